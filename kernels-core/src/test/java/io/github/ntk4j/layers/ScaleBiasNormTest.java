package io.github.ntk4j.layers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.ntk4j.Kernels;
import io.github.ntk4j.Matrix;
import io.github.ntk4j.empirical.FiniteNetwork;
import io.github.ntk4j.empirical.MonteCarlo;
import io.github.ntk4j.empirical.MonteCarloEstimate;
import io.github.ntk4j.testing.KernelChecks;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * scale(c), bias(σb) and layernorm(): exact identities with dense layers, finite-width networks
 * (whose gradients are checked by finite differences), and the errors of their structural rules.
 */
class ScaleBiasNormTest {
  static final Matrix X =
      Matrix.of(new double[][] {{1.0, -2.0, 0.5}, {0.3, 0.8, -1.1}, {-1.0, -1.0, 2.0}, {2.0, -4.0, 1.0}});

  @Test
  void scaleAndBiasComposeWithDenseAsTheirFormulasSay() {
    // dense(w, b) then scale(c): NNGP c²(w²Σ + b²); NTK c²·Θ_dense. Equal to nothing simpler, so
    // compare with the hand-composed maps on a one-layer net.
    Matrix sigma0 = Kernels.nngp(Architectures.parse("dense(1)"), X, null);
    Matrix k = Kernels.nngp(Architectures.parse("serial(dense(1.3, 0.4), scale(0.7), bias(0.2))"), X, null);
    Matrix t = Kernels.ntk(Architectures.parse("serial(dense(1.3, 0.4), scale(0.7), bias(0.2))"), X, null);
    for (int i = 0; i < 4; i++) {
      for (int j = 0; j < 4; j++) {
        double dense = 1.69 * sigma0.get(i, j) + 0.16;
        assertEquals(0.49 * dense + 0.04, k.get(i, j), 1e-14);
        assertEquals(0.49 * dense + 0.04, t.get(i, j), 1e-14); // one dense layer from Θ⁰ = 0 has Θ = Σ
      }
    }
    // scale(1) and bias(0) change nothing; scale(c) before an activation equals a dense layer with c·σ.
    Layer plain = Architectures.parse("serial(dense(1.2, 0.3), relu(), dense(0.9, 0.1))");
    KernelChecks.equivalentArchitectures(
        plain, Architectures.parse("serial(dense(1.2, 0.3), scale(1), bias(0), relu(), dense(0.9, 0.1))"), X, null, 1e-15).orThrow();
  }

  @Test
  void layerNormDividesByTheStandardDeviationsOfBothPoints() {
    Layer before = Architectures.parse("serial(dense(1.4, 0.3), bias(0.2))");
    Matrix k = Kernels.nngp(before, X, null);
    Matrix t = Kernels.ntk(before, X, null);
    Layer norm = Architectures.parse("serial(dense(1.4, 0.3), bias(0.2), layernorm())");
    Matrix kn = Kernels.nngp(norm, X, null);
    Matrix tn = Kernels.ntk(norm, X, null);
    for (int i = 0; i < 4; i++) {
      for (int j = 0; j < 4; j++) {
        double r = Math.sqrt(k.get(i, i) * k.get(j, j));
        assertEquals(k.get(i, j) / r, kn.get(i, j), 1e-14);
        assertEquals(t.get(i, j) / r, tn.get(i, j), 1e-14);
      }
    }
  }

  @Test
  void finiteWidthNetworksApproachTheKernels() {
    for (String arch :
        List.of(
            "serial(dense(1.2, 0.2), layernorm(), relu(), dense(1.1, 0.1), scale(0.8), bias(0.3), erf(), dense(0.9, 0.2))",
            "serial(dense(1.0, 0.1), bias(0.4), gelu(), dense(1.3), layernorm(), dense(1.0, 0.2))")) {
      Layer net = Architectures.parse(arch);
      MonteCarloEstimate mc = MonteCarlo.kernels(net, X, null, 512, 1, 64, 11, 2);
      KernelChecks.monteCarloAgreement(Kernels.nngp(net, X, null), mc.nngp(), mc.nngpStandardError(), 5, 0.03).orThrow();
      KernelChecks.monteCarloAgreement(Kernels.ntk(net, X, null), mc.ntk(), mc.ntkStandardError(), 5, 0.03).orThrow();
    }
  }

  @Test
  void finiteNetworkGradientsThroughTheNewLayersMatchFiniteDifferences() {
    Layer net = Architectures.parse("serial(dense(1.2, 0.2), layernorm(), gelu(), dense(1.1, 0.1), scale(0.8), bias(0.3), dense(0.9, 0.2))");
    FiniteNetwork f = FiniteNetwork.sample(net, 3, 6, 1, 3);
    double[] x = X.row(1);
    double[] g = f.parameterGradient(x, 0);
    double[] theta = f.parameters();
    double h = 1e-6;
    for (int p = 0; p < theta.length; p += 3) {
      double[] up = theta.clone();
      double[] down = theta.clone();
      up[p] += h;
      down[p] -= h;
      double fd = (f.withParameters(up).apply(Matrix.of(new double[][] {x})).get(0, 0)
          - f.withParameters(down).apply(Matrix.of(new double[][] {x})).get(0, 0)) / (2 * h);
      assertEquals(fd, g[p], 1e-6 * (1 + Math.abs(fd)), "parameter " + p);
    }
  }

  @Test
  void structuralRulesAndStringsAreEnforced() {
    for (String bad : List.of("layernorm()", "serial(dense(1), relu(), layernorm())", "serial(scale(2), relu())")) {
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Kernels.nngp(Architectures.parse(bad), X, null));
      assertTrue(e.getMessage().contains("layernorm()") || e.getMessage().contains("relu()"), e.getMessage());
    }
    Matrix zero = Matrix.of(new double[][] {{0, 0, 0}, {1, 2, 3}});
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> Kernels.nngp(Architectures.parse("serial(dense(1), layernorm())"), zero, null));
    assertTrue(e.getMessage().contains("layernorm(): point 0 reaches this layer with variance 0"), e.getMessage());
    for (String s : List.of("scale(-0.5)", "bias(0.25)", "layernorm()", "serial(dense(1.5, 0.1), layernorm(), scale(2), relu(), bias(0.1), dense(1))")) {
      KernelChecks.stringRoundTrip(Architectures.parse(s)).orThrow();
    }
    assertThrows(IllegalArgumentException.class, () -> Architectures.parse("bias(-1)"));
    IllegalArgumentException sign =
        assertThrows(IllegalArgumentException.class, () -> io.github.ntk4j.adaptive.SignKernel.compute(Architectures.parse("serial(dense(1), layernorm(), relu(), dense(1))"), X, null));
    assertTrue(sign.getMessage().contains("layernorm() is not supported"), sign.getMessage());
  }
}
