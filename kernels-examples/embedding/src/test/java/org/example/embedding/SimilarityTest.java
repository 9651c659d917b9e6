package org.example.embedding;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.github.ntk4j.Kernels;
import org.junit.jupiter.api.Test;

class SimilarityTest {
  @Test
  void theLibraryIsTheNamedModuleOnTheModulePath() {
    assertEquals("io.github.ntk4j.core", Kernels.class.getModule().getName());
    assertEquals("org.example.embedding", Similarity.class.getModule().getName());
  }

  @Test
  void orthogonalAndEqualPointsGiveTheArcCosineClosedForms() {
    // Input kernel Σ = x·x'/d with d = 2: unit vectors give q = 1/2, and Σ = 0 when orthogonal.
    // One hidden ReLU layer, σw = 1, σb = 0 (Cho and Saul; Jacot et al.):
    //   NNGP K = (s + (π − θ)Σ)/(2π), NTK Θ = K + Σ·(π − θ)/(2π), s = √(q q' − Σ²), θ = atan2(s, Σ).
    // Equal points: θ = 0, K = q/2 = 1/4, Θ = 1/4 + 1/2·1/2 = 1/2.
    // Orthogonal points: θ = π/2, s = 1/2, K = (1/2)/(2π) = 1/(4π), Θ = K + 0 = 1/(4π).
    double[][] k = Similarity.ntk(new double[][] {{1, 0}}, new double[][] {{1, 0}, {0, 1}});
    assertEquals(0.5, k[0][0], 1e-15);
    assertEquals(1 / (4 * Math.PI), k[0][1], 1e-15);
  }
}
