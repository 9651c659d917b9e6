package io.github.ntk4j.layers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.ntk4j.Kernels;
import io.github.ntk4j.Matrix;
import io.github.ntk4j.adaptive.SignKernel;
import io.github.ntk4j.empirical.FiniteNetwork;
import io.github.ntk4j.internal.SpecialFunctions;
import io.github.ntk4j.testing.KernelChecks;
import java.util.List;
import java.util.function.DoubleUnaryOperator;
import org.junit.jupiter.api.Test;

/**
 * The quadrature layer: its accuracy against closed forms (the table of shared/math/kernels.md §3),
 * its use inside architectures and finite networks, and its equality and string rules.
 */
class ElementwiseQuadratureTest {
  static final double[][] PAIRS = {{0.5, 1.5, 0.3}, {1.2, 0.8, -0.6}, {2.0, 2.0, 0.94}, {0.0, 1.0, 0.0}};

  static double worst(Activation exact, Elementwise quad, boolean derivative) {
    double worst = 0;
    for (double[] p : PAIRS) {
      double sig = p[2] * Math.sqrt(p[0] * p[1]);
      double a = derivative ? exact.dualDerivative(sig, p[0], p[1]) : exact.dual(sig, p[0], p[1]);
      double b = derivative ? quad.dualDerivative(sig, p[0], p[1]) : quad.dual(sig, p[0], p[1]);
      worst = Math.max(worst, Math.abs(a - b) / Math.max(Math.abs(a), 1e-3));
    }
    return worst;
  }

  @Test
  void smoothActivationsConvergeToTheirClosedFormsAsTheOrderGrows() {
    DoubleUnaryOperator erf = SpecialFunctions::erf;
    DoubleUnaryOperator derf = x -> 2 / Math.sqrt(Math.PI) * Math.exp(-x * x);
    Elementwise e25 = Elementwise.of("erf", erf, derf);
    Elementwise e50 = e25.withOrder(50);
    // The math notes' table: erf 3e-4 / 4e-3 at n = 25, 3e-7 / 7e-6 at n = 50 (on similar pairs).
    assertTrue(worst(new Erf(), e25, false) < 3e-4 && worst(new Erf(), e50, false) < 3e-7,
        worst(new Erf(), e25, false) + " " + worst(new Erf(), e50, false));
    assertTrue(worst(new Erf(), e25, true) < 4e-3 && worst(new Erf(), e50, true) < 7e-6,
        worst(new Erf(), e25, true) + " " + worst(new Erf(), e50, true));
    Gelu g = new Gelu();
    Elementwise q = Elementwise.of("gelu", g::apply, g::derivative);
    assertTrue(worst(g, q.withOrder(50), false) < 1e-9, "gelu T " + worst(g, q.withOrder(50), false));
    assertTrue(worst(g, q.withOrder(50), true) < 1e-8, "gelu Tdot " + worst(g, q.withOrder(50), true));
    Sin s = new Sin(1, 1, 0);
    assertTrue(worst(s, Elementwise.of("sin", s::apply, s::derivative), false) < 1e-13);
  }

  @Test
  void kinkedActivationsConvergeSlowlyWhichIsWhyTheyHaveClosedForms() {
    Relu relu = new Relu();
    Elementwise q = Elementwise.of("relu", relu::apply, relu::derivative);
    double at25 = worst(relu, q, false);
    double at100 = worst(relu, q.withOrder(100), false);
    assertTrue(at25 > 1e-4, "ReLU by quadrature should not be accurate at n = 25: " + at25);
    assertTrue(at100 < 0.05, "but it converges: " + at100);
  }

  @Test
  void aQuadratureLayerWorksInsideArchitecturesAndFiniteNetworks() {
    Gelu g = new Gelu();
    Layer quad = Layers.serial(Layers.dense(1.2, 0.1), Elementwise.of("gelu", g::apply, g::derivative).withOrder(60), Layers.dense(0.9, 0.2));
    Layer exact = Layers.serial(Layers.dense(1.2, 0.1), g, Layers.dense(0.9, 0.2));
    Matrix x = Matrix.of(new double[][] {{1.0, -2.0, 0.5}, {0.3, 0.8, -1.1}, {0, 0, 0}, {-1.0, -1.0, 2.0}});
    // Order 60 reaches ~3e-8 on the NTK diagonal of the largest input (q ≈ 2.9); 1e-7 leaves a margin.
    KernelChecks.equivalentArchitectures(exact, quad, x, null, 1e-7).orThrow();
    FiniteNetwork a = FiniteNetwork.sample(exact, 3, 16, 1, 5);
    FiniteNetwork b = FiniteNetwork.sample(quad, 3, 16, 1, 5);
    assertEquals(a.apply(x), b.apply(x));
    // A sign kernel needs closed forms: the quadrature layer is refused by name.
    IllegalArgumentException e =
        org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class, () -> SignKernel.compute(quad, x, null));
    assertTrue(e.getMessage().contains("elementwise(gelu, order=60)"), e.getMessage());
  }

  @Test
  void equalityFollowsTheFunctionObjectsAndTheStringSaysItCannotBeParsed() {
    DoubleUnaryOperator f = Math::tanh;
    DoubleUnaryOperator df = x -> 1 - Math.tanh(x) * Math.tanh(x);
    Elementwise a = Elementwise.of("tanh", f, df);
    assertEquals(a, Elementwise.of("tanh", f, df));
    assertNotEquals(a, a.withOrder(30));
    assertNotEquals(a, Elementwise.of("tanh", Math::tanh, df));
    assertEquals("elementwise(tanh)", a.toString());
    assertTrue(KernelChecks.stringRoundTrip(a).detail().contains("has no string form that can be parsed"));
    for (String bad : List.of("", "a b", "x(1)")) {
      org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class, () -> Elementwise.of(bad, f, df));
    }
    org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class, () -> a.withOrder(1));
    Matrix nngp = Kernels.nngp(Layers.serial(Layers.dense(1.0), a, Layers.dense(1.0)), Matrix.of(new double[][] {{0.5}, {-0.3}}), null);
    assertTrue(Double.isFinite(nngp.get(0, 1)));
  }
}
