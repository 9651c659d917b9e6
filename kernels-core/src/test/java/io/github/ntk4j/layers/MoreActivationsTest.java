package io.github.ntk4j.layers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.ntk4j.Kernels;
import io.github.ntk4j.Matrix;
import io.github.ntk4j.empirical.MonteCarlo;
import io.github.ntk4j.empirical.MonteCarloEstimate;
import io.github.ntk4j.testing.KernelChecks;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The closed forms of shared/math/kernels.md §2 against independent routes: Gauss–Hermite quadrature
 * of the layer's own φ and φ' (order 80; smooth activations), plain Monte Carlo over Gaussian pairs
 * (kinked ones), finite-width networks, and the special cases the math notes list.
 */
class MoreActivationsTest {
  static Stream<Activation> smooth() {
    return Stream.of(
        new Gelu(), new Sin(1.3, 0.7, 0.4), new Sin(1, 1, 0), new Cos(0.8, 1.1, -0.3), new Exp(0.9, 0.4),
        new Gaussian(1.2, -0.7), new Gaussian(0.5, 0.02), new Rbf(0.6), new Monomial(0), new Monomial(1),
        new Monomial(2), new Monomial(3), new Monomial(4), new Monomial(5), new Identity(), new Erf(0.7, 0.8, 0.2));
  }

  static Stream<Activation> kinked() {
    return Stream.of(new LeakyRelu(0.2), new LeakyRelu(-0.4), new Abs(), new Sign(), new Step());
  }

  /** Pairs (q1, q2, ρ) with moderate variances, correlations from −0.95 to 0.97, and a duplicate. */
  static final double[][] PAIRS = {
    {0.5, 1.5, 0.3}, {1.2, 0.8, -0.6}, {2.0, 2.0, 0.97}, {0.7, 0.4, -0.95}, {1.0, 1.0, 1.0}, {0.3, 1.1, 0.0}
  };

  @ParameterizedTest(name = "{0}")
  @MethodSource("smooth")
  void smoothClosedFormsMatchQuadratureOfTheActivationItself(Activation layer) {
    Elementwise quad = Elementwise.of("check", layer::apply, layer::derivative).withOrder(80);
    for (double[] p : PAIRS) {
      double sig = p[2] * Math.sqrt(p[0] * p[1]);
      double t = layer.dual(sig, p[0], p[1]);
      double tq = quad.dual(sig, p[0], p[1]);
      // Order-80 quadrature of these moderate activations is good to better than 1e-8 (a steeper erf,
      // b = 1.3 at q = 2, needs 3e-8: quadrature error, not the closed form).
      assertEquals(tq, t, 1e-8 * Math.max(1, Math.abs(tq)), layer + " T at " + java.util.Arrays.toString(p));
      double d = layer.dualDerivative(sig, p[0], p[1]);
      double dq = quad.dualDerivative(sig, p[0], p[1]);
      assertEquals(dq, d, 1e-8 * Math.max(1, Math.abs(dq)), layer + " Tdot at " + java.util.Arrays.toString(p));
    }
    for (double q : new double[] {0, 0.3, 1.0, 1.7}) {
      assertEquals(quad.dualOfVariance(q), layer.dualOfVariance(q), 1e-8 * Math.max(1, layer.dualOfVariance(q)), layer + " diagonal at " + q);
      assertEquals(quad.dualDerivativeOfVariance(q), layer.dualDerivativeOfVariance(q),
          1e-8 * Math.max(1, Math.abs(layer.dualDerivativeOfVariance(q))), layer + " Tdot diagonal at " + q);
      assertEquals(layer.dual(q, q, q), layer.dualOfVariance(q), 1e-14 * Math.max(1, layer.dualOfVariance(q)), layer + " diagonal map vs entry map");
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("kinked")
  void kinkedClosedFormsMatchMonteCarloOverGaussianPairs(Activation layer) {
    SplittableRandom r = new SplittableRandom(layer.toString().hashCode());
    int samples = 400_000;
    for (double[] p : PAIRS) {
      double sig = p[2] * Math.sqrt(p[0] * p[1]);
      double cond = Math.sqrt(Math.max(p[1] - sig * sig / p[0], 0));
      double sum = 0;
      double sq = 0;
      double dsum = 0;
      double dsq = 0;
      for (int i = 0; i < samples; i++) {
        double u = Math.sqrt(p[0]) * r.nextGaussian();
        double v = sig / p[0] * u + cond * r.nextGaussian();
        double f = layer.apply(u) * layer.apply(v);
        double g = layer.derivative(u) * layer.derivative(v);
        sum += f;
        sq += f * f;
        dsum += g;
        dsq += g * g;
      }
      double mean = sum / samples;
      double se = Math.sqrt((sq / samples - mean * mean) / samples);
      assertEquals(mean, layer.dual(sig, p[0], p[1]), 5 * se + 1e-12, layer + " T at " + java.util.Arrays.toString(p));
      double dmean = dsum / samples;
      double dse = Math.sqrt(Math.max(dsq / samples - dmean * dmean, 0) / samples);
      assertEquals(dmean, layer.dualDerivative(sig, p[0], p[1]), 5 * dse + 1e-12, layer + " Tdot at " + java.util.Arrays.toString(p));
    }
  }

  @Test
  void finiteWidthNetworksApproachTheKernelsOfTheNewLayers() {
    Matrix x = Matrix.of(new double[][] {{1.0, -2.0, 0.5}, {0.3, 0.8, -1.1}, {-1.0, -1.0, 2.0}});
    for (String arch :
        List.of(
            "serial(dense(1.2, 0.2), gelu(), dense(1.1, 0.1), sin(1.3, 0.9, 0.3), dense(0.9, 0.2))",
            "serial(dense(1.1, 0.1), leakyrelu(0.2), dense(1.0, 0.1), rbf(0.4), dense(1.0))",
            "serial(dense(0.8, 0.3), monomial(2), dense(0.7, 0.1), abs(), dense(1.0, 0.2))",
            "serial(dense(1.0, 0.2), cos(1.1, 0.8, 0.3), dense(0.9, 0.1), exp(0.8, 0.3), dense(1.0, 0.1))",
            "serial(dense(1.1, 0.3), gaussian(1.2, -0.6), dense(1.2, 0.2), monomial(3), dense(0.8))",
            "serial(dense(1.0, 0.2), erf(0.5, 0.8, 0.3), dense(1.2, 0.1), identity(), dense(1.0, 0.3), step(), dense(1.0, 0.1))",
            "serial(dense(1.3, 0.1), sign(), dense(0.9, 0.2), leakyrelu(-0.3), dense(1.0))")) {
      Layer net = Architectures.parse(arch);
      MonteCarloEstimate mc = MonteCarlo.kernels(net, x, null, 512, 1, 64, 7, 2);
      Matrix nngp = Kernels.nngp(net, x, null);
      Matrix ntk = Kernels.ntk(net, x, null);
      KernelChecks.monteCarloAgreement(nngp, mc.nngp(), mc.nngpStandardError(), 5, 0.03).orThrow();
      KernelChecks.monteCarloAgreement(ntk, mc.ntk(), mc.ntkStandardError(), 5, 0.03).orThrow();
    }
  }

  @Test
  void specialCasesOfTheMathNotesHold() {
    Matrix x = Matrix.of(new double[][] {{1.0, -2.0, 0.5}, {0.3, 0.8, -1.1}, {0, 0, 0}, {2.0, -4.0, 1.0}});
    String[][] same = {
      {"leakyrelu(0.3)", "abrelu(0.3, 1)"},
      {"abs()", "abrelu(-1, 1)"},
      {"identity()", "abrelu(1, 1)"},
      {"cos(1.2, 0.8, 0.1)", "sin(1.2, 0.8, " + (0.1 + Math.PI / 2) + ")"},
    };
    for (String[] pair : same) {
      Layer a = Architectures.parse("serial(dense(1.3, 0.2), " + pair[0] + ", dense(0.9, 0.1))");
      Layer b = Architectures.parse("serial(dense(1.3, 0.2), " + pair[1] + ", dense(0.9, 0.1))");
      KernelChecks.equivalentArchitectures(a, b, x, null, 1e-13).orThrow();
    }
    // serial(dense(1), rbf(γ)) has the NNGP exp(−γ·|x − x'|²/d).
    double gamma = 0.7;
    Matrix k = Kernels.nngp(Architectures.parse("serial(dense(1), rbf(" + gamma + "))"), x, null);
    for (int i = 0; i < 4; i++) {
      for (int j = 0; j < 4; j++) {
        double d2 = 0;
        for (int c = 0; c < 3; c++) {
          double e = x.get(i, c) - x.get(j, c);
          d2 += e * e;
        }
        assertEquals(Math.exp(-gamma * d2 / 3), k.get(i, j), 1e-14, "rbf [" + i + "][" + j + "]");
      }
    }
    // Sign and step pass no gradient: the NTK is that of the layers after them.
    Matrix after = Kernels.ntk(Architectures.parse("serial(dense(1.2, 0.3), sign(), dense(0.9, 0.1))"), x, null);
    Matrix nngp = Kernels.nngp(Architectures.parse("serial(dense(1.2, 0.3), sign(), dense(0.9, 0.1))"), x, null);
    assertEquals(nngp, after);
  }

  @Test
  void everyNewLayerParsesBackFromItsCanonicalString() {
    for (Activation a : Stream.concat(smooth(), kinked()).toList()) {
      KernelChecks.stringRoundTrip(a).orThrow();
      KernelChecks.stringRoundTrip(new Serial(List.of(new Dense(1.1, 0.2), a, new Dense(0.9, 0)))).orThrow();
    }
    assertEquals(new Sin(1, 1, 0), Architectures.parse("sin()"));
    assertEquals(new Monomial(3), Architectures.parse("monomial(k=3)"));
  }

  @Test
  void outsideItsDomainTheGaussianLayerNamesItselfAndTheVariance() {
    Layer net = Architectures.parse("serial(dense(2.0, 0.5), gaussian(1, 0.25), dense(1.0))");
    Matrix x = Matrix.of(new double[][] {{1.0, -2.0, 0.5}, {0.1, 0.1, 0.1}});
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Kernels.ntk(net, x, null));
    assertTrue(e.getMessage().contains("gaussian(1, 0.25)") && e.getMessage().contains("input variance q = "), e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> Architectures.parse("monomial(6)"));
    IllegalArgumentException el =
        assertThrows(IllegalArgumentException.class, () -> Architectures.parse(Layers.elementwise("tanh", Math::tanh, v -> 1).toString()));
    assertTrue(el.getMessage().contains("has no string form that can be parsed"), el.getMessage());
  }
}
