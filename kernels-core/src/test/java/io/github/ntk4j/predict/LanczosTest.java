package io.github.ntk4j.predict;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.ntk4j.Kernels;
import io.github.ntk4j.Matrix;
import io.github.ntk4j.internal.LinearAlgebra;
import io.github.ntk4j.layers.Layer;
import io.github.ntk4j.testing.Generators;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The Lanczos estimate of λ_max against all eigenvalues from LAPACK (or EJML), on generated kernels
 * and on a matrix built with a known, evenly spread spectrum. Every failure message starts with the seed.
 */
class LanczosTest {
  @ParameterizedTest(name = "seed {0}")
  @ValueSource(longs = {1, 2, 3, 4, 5, 6})
  void theEstimateIsTheLargestEigenvalueOfGeneratedKernels(long seed) {
    SplittableRandom r = new SplittableRandom(seed);
    int n = 256 + r.nextInt(300);
    Layer arch = Generators.architecture(r, r.nextBoolean());
    double[] k = Kernels.ntk(arch, Generators.genericInputs(r, n, 1 + r.nextInt(20)), null).toRowMajorArray();
    double exact = LinearAlgebra.eigen(k, n, false).values()[n - 1];
    Double estimate = Lanczos.largestEigenvalue(k, n);
    assertNotNull(estimate, "seed " + seed);
    assertEquals(exact, estimate, 1e-12 * Math.abs(exact), "seed " + seed + ": " + arch + ", n " + n);
    assertTrue(estimate >= exact - 1e-13 * Math.abs(exact), "seed " + seed + ": an upper estimate");
    assertEquals(estimate, Lanczos.largestEigenvalue(k, n), "seed " + seed + ": deterministic");
    // The public η_max at this size goes through it and agrees with the formula on the exact value.
    double eta = KernelPredictor.maxLearningRate(Matrix.ofRowMajor(n, n, k), 10L * n, 0.5);
    assertEquals(2 * 1.5 * 10 * n / (exact + 1e-12), eta, 1e-12 * eta, "seed " + seed + ": eta_max");
  }

  @Test
  void anEvenlySpreadSpectrumWithoutAGapIsFoundToo() {
    // A = Q·diag(1/n, 2/n, …, 1)·Qᵀ, Q a product of three random Householder reflections: the top
    // eigenvalue 1 is only 1/n from the next.
    int n = 400;
    SplittableRandom r = new SplittableRandom(9);
    double[] a = new double[n * n];
    for (int i = 0; i < n; i++) {
      a[i * n + i] = (i + 1.0) / n;
    }
    for (int h = 0; h < 3; h++) {
      double[] u = new double[n];
      double uu = 0;
      for (int i = 0; i < n; i++) {
        u[i] = r.nextDouble() - 0.5;
        uu += u[i] * u[i];
      }
      // A ← H·A·H with H = I − 2uuᵀ/uᵀu.
      double[] au = new double[n];
      for (int i = 0; i < n; i++) {
        for (int j = 0; j < n; j++) {
          au[i] += a[i * n + j] * u[j];
        }
      }
      double uau = 0;
      for (int i = 0; i < n; i++) {
        uau += u[i] * au[i];
      }
      for (int i = 0; i < n; i++) {
        for (int j = 0; j < n; j++) {
          a[i * n + j] += -2 * (au[i] * u[j] + u[i] * au[j]) / uu + 4 * uau * u[i] * u[j] / (uu * uu);
        }
      }
    }
    Double estimate = Lanczos.largestEigenvalue(a, n);
    assertNotNull(estimate, "converged within the step limit");
    assertEquals(1.0, estimate, 1e-10);
  }
}
