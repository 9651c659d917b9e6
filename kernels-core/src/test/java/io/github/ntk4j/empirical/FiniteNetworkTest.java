package io.github.ntk4j.empirical;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.ntk4j.Kernels;
import io.github.ntk4j.Matrix;
import io.github.ntk4j.layers.Architectures;
import io.github.ntk4j.layers.Layer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Finite networks: gradients against finite differences, and the batched kernels against explicit gradients. */
class FiniteNetworkTest {
  static final Matrix X = Matrix.of(new double[][] {{0.4, -1.2, 0.9}, {1.0, 0.3, -0.5}, {-0.7, 0.2, 0.1}, {0, 0, 0}});

  @ParameterizedTest
  @ValueSource(strings = {
    "serial(dense(1.3, 0.2), erf(0.9, 1.1, 0.1), dense(1.1, 0.3), erf(), dense(0.7, 0.1))",
    "serial(dense(1.3, 0.2, parameterization=standard, width=16), erf(), dense(1.1, 0.3, parameterization=standard))",
    "serial(dense(1.5, 0.1), abrelu(-0.4, 1.2), dense(0.9), relu(), dense(1.2, 0.3))",
  })
  void parameterGradientsMatchCentralDifferences(String spec) {
    Layer arch = Architectures.parse(spec);
    FiniteNetwork net = FiniteNetwork.sample(arch, 3, 16, 2, 7);
    double[] x = X.row(0);
    for (int unit = 0; unit < 2; unit++) {
      double[] grad = net.parameterGradient(x, unit);
      double[] theta = net.parameters();
      double h = 1e-6;
      int checked = 0;
      for (int p = 0; p < theta.length; p += 7) { // every 7th parameter: all layers, weights and biases
        double[] plus = theta.clone();
        double[] minus = theta.clone();
        plus[p] += h;
        minus[p] -= h;
        double fp = net.withParameters(plus).apply(Matrix.of(new double[][] {x})).get(0, unit);
        double fm = net.withParameters(minus).apply(Matrix.of(new double[][] {x})).get(0, unit);
        double fd = (fp - fm) / (2 * h);
        assertEquals(fd, grad[p], 1e-6 * (1 + Math.abs(fd)), spec + ": parameter " + p + ", unit " + unit);
        checked++;
      }
      assertTrue(checked > 10, "checked " + checked);
    }
  }

  @Test
  void empiricalNtkIsTheInnerProductOfParameterGradients() {
    Layer arch = Architectures.parse("serial(dense(1.4, 0.3), relu(), dense(1.1, 0.2), erf(), dense(0.8, 0.5))");
    for (String p : new String[] {"ntk", "standard"}) {
      Layer a = p.equals("ntk") ? arch : Architectures.parse(
          "serial(dense(1.4, 0.3, parameterization=standard, width=32), relu(), dense(1.1, 0.2, parameterization=standard, width=32),"
              + " erf(), dense(0.8, 0.5, parameterization=standard))");
      FiniteNetwork net = FiniteNetwork.sample(a, 3, 32, 3, 11);
      Matrix ntk = net.empiricalNtk(X, null, 1);
      Matrix nngp = net.empiricalNngp(X, null);
      Matrix f = net.apply(X);
      for (int i = 0; i < X.rows(); i++) {
        for (int j = 0; j < X.rows(); j++) {
          double[] gi = net.parameterGradient(X.row(i), 1);
          double[] gj = net.parameterGradient(X.row(j), 1);
          double dot = 0;
          for (int k = 0; k < gi.length; k++) {
            dot += gi[k] * gj[k];
          }
          assertEquals(dot, ntk.get(i, j), 1e-12 * Math.abs(dot) + 1e-14, p + " NTK (" + i + ", " + j + ")");
          double ff = (f.get(i, 0) * f.get(j, 0) + f.get(i, 1) * f.get(j, 1) + f.get(i, 2) * f.get(j, 2)) / 3;
          assertEquals(ff, nngp.get(i, j), 1e-12 * Math.abs(ff) + 1e-14, p + " NNGP (" + i + ", " + j + ")");
        }
      }
    }
  }

  @Test
  void aGradientDescentStepMovesAlongMinusTheLossGradient() {
    Layer arch = Architectures.parse("serial(dense(1.3, 0.2), erf(), dense(1.1, 0.3))");
    FiniteNetwork net = FiniteNetwork.sample(arch, 3, 8, 2, 3);
    Matrix y = Matrix.of(new double[][] {{1, 0}, {0, 1}, {-1, 0.5}, {0.2, 0.2}});
    double eta = 0.3;
    double[] next = net.gradientDescentStep(X, y, eta).parameters();
    double[] expected = net.parameters();
    Matrix f = net.apply(X);
    int entries = 8;
    for (int i = 0; i < 4; i++) {
      for (int k = 0; k < 2; k++) {
        double[] g = net.parameterGradient(X.row(i), k);
        double r = (f.get(i, k) - y.get(i, k)) / entries;
        for (int p = 0; p < g.length; p++) {
          expected[p] -= eta * r * g[p];
        }
      }
    }
    for (int p = 0; p < next.length; p++) {
      assertEquals(expected[p], next[p], 1e-13 * (1 + Math.abs(expected[p])), "parameter " + p);
    }
  }

  @Test
  void sameSeedSameNetworkAndTheNetworkIsImmutable() {
    Layer arch = Architectures.parse("serial(dense(1.3, 0.2), relu(), dense(1.1, 0.3))");
    FiniteNetwork a = FiniteNetwork.sample(arch, 3, 8, 1, 5);
    FiniteNetwork b = FiniteNetwork.sample(arch, 3, 8, 1, 5);
    assertEquals(a.apply(X), b.apply(X));
    Matrix before = a.apply(X);
    a.gradientDescentStep(X, Matrix.of(new double[][] {{1}, {2}, {3}, {4}}), 0.5);
    double[] p = a.parameters();
    p[0] = 1e6;
    assertEquals(before, a.apply(X));
    assertTrue(!FiniteNetwork.sample(arch, 3, 8, 1, 6).apply(X).equals(before));
  }

  @Test
  void badInputIsRejectedWithAClearMessage() {
    Layer arch = Architectures.parse("serial(dense(1.3, 0.2), relu(), dense(1.1, 0.3))");
    assertThrows(IllegalArgumentException.class, () -> FiniteNetwork.sample(arch, 0, 8, 1, 1));
    assertThrows(IllegalArgumentException.class, () -> FiniteNetwork.sample(Architectures.parse("relu()"), 3, 8, 1, 1));
    FiniteNetwork net = FiniteNetwork.sample(arch, 3, 8, 1, 1);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> net.apply(Matrix.of(new double[][] {{1, 2}})));
    assertTrue(e.getMessage().contains("2 columns"), e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> net.empiricalNtk(X, null, 1));
    assertThrows(IllegalArgumentException.class, () -> net.withParameters(new double[3]));
    assertThrows(IllegalArgumentException.class, () -> net.gradientDescentStep(X, Matrix.of(new double[][] {{1}}), 0.1));
    assertThrows(IllegalArgumentException.class,
        () -> MonteCarlo.kernels(arch, X, Matrix.of(new double[][] {{1, 2}}), 8, 1, 4, 1, 1));
  }

  @Test
  void monteCarloIsIndependentOfThreadsAndAgreesWithTheClosedFormWithinItsStandardError() {
    Layer arch = Architectures.parse("serial(dense(1.4, 0.3), relu(), dense(1.1, 0.2), erf(), dense(0.8, 0.5))");
    MonteCarloEstimate one = MonteCarlo.kernels(arch, X, null, 256, 16, 24, 99, 1);
    MonteCarloEstimate two = MonteCarlo.kernels(arch, X, null, 256, 16, 24, 99, 3);
    assertEquals(one, two);
    Matrix nngp = Kernels.nngp(arch, X, null);
    Matrix ntk = Kernels.ntk(arch, X, null);
    for (int i = 0; i < 4; i++) {
      for (int j = 0; j < 4; j++) {
        // 5 standard errors, plus the O(1/width) bias of the estimator.
        double tolK = 5 * one.nngpStandardError().get(i, j) + 2.0 / 256 * Math.abs(nngp.get(i, j));
        double tolT = 5 * one.ntkStandardError().get(i, j) + 2.0 / 256 * Math.abs(ntk.get(i, j));
        assertEquals(nngp.get(i, j), one.nngp().get(i, j), tolK + 1e-12, "NNGP (" + i + ", " + j + ")");
        assertEquals(ntk.get(i, j), one.ntk().get(i, j), tolT + 1e-12, "NTK (" + i + ", " + j + ")");
      }
    }
  }
}
