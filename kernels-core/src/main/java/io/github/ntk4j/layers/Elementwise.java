package io.github.ntk4j.layers;

import io.github.ntk4j.internal.GaussHermite;
import java.util.Objects;
import java.util.function.DoubleUnaryOperator;

/**
 * Any elementwise activation φ given as Java functions φ and φ', with its dual maps computed by
 * two-dimensional Gauss–Hermite quadrature of order n on the bivariate Gaussian
 * (shared/math/kernels.md §3; neural-tangents' {@code ElementwiseNumerical}):
 *
 * <pre>
 *   uₖ = √(2q1)·xₖ,   vₖₗ = (Σ/q1)·uₖ + √2·(s/√q1)·xₗ
 *   T ≈ (1/π)·Σₖ Σₗ wₖwₗ·φ(uₖ)·φ(vₖₗ),   Ṫ ≈ (1/π)·Σₖ Σₗ wₖwₗ·φ'(uₖ)·φ'(vₖₗ)
 *   T(q; q, q) ≈ (1/√π)·Σₖ wₖ·φ(√(2q)·xₖ)²
 * </pre>
 *
 * (q1 = 0: T = φ(0)·(1/√π)·Σₗ wₗ·φ(√(2q2)·xₗ).) Cost: n² evaluations of φ and φ' per kernel entry.
 * Accuracy: smooth activations with moderate variances reach about 1e-4 relative at n = 25 and 1e-7
 * at n = 50 for erf (better for GELU, exact to rounding for sin by n = 25); steep functions need more
 * nodes, and kinked or discontinuous ones (ReLU, step) converge slowly and erratically: use their
 * closed forms. The default order is 25.
 *
 * <p>This layer carries Java functions, so its string {@code elementwise(name)} <b>cannot be parsed
 * back</b>: build it with {@link Layers#elementwise} in code. Two instances are equal when they have the
 * same name, order and the same function objects.
 */
public final class Elementwise implements Activation {
  private static final int DEFAULT_ORDER = 25;

  private final String name;
  private final DoubleUnaryOperator function;
  private final DoubleUnaryOperator derivative;
  private final int order;
  private final double[] nodes;
  private final double[] weights;

  private Elementwise(String name, DoubleUnaryOperator function, DoubleUnaryOperator derivative, int order) {
    this.name = Objects.requireNonNull(name, "name");
    if (!name.matches("[A-Za-z0-9_.-]+")) {
      throw new IllegalArgumentException("elementwise: name must be letters, digits, '_', '.' or '-', got '" + name + "'");
    }
    this.function = Objects.requireNonNull(function, "function");
    this.derivative = Objects.requireNonNull(derivative, "derivative");
    if (order < 2 || order > 200) {
      throw new IllegalArgumentException("elementwise: order must be in 2..200, got " + order);
    }
    this.order = order;
    double[][] rule = GaussHermite.rule(order);
    this.nodes = rule[0];
    this.weights = rule[1];
  }

  /**
   * φ with derivative φ', quadrature of order 25.
   *
   * @param name a short name for messages and the string form (letters, digits, '_', '.', '-')
   * @param function φ (must be pure and thread-safe)
   * @param derivative φ' (must be pure and thread-safe)
   * @return the layer
   */
  public static Elementwise of(String name, DoubleUnaryOperator function, DoubleUnaryOperator derivative) {
    return new Elementwise(name, function, derivative, DEFAULT_ORDER);
  }

  /**
   * This activation with quadrature of order n (2 to 200).
   *
   * @param n the order, 2 to 200
   * @return the new activation
   */
  public Elementwise withOrder(int n) {
    return new Elementwise(name, function, derivative, n);
  }

  /**
   * The quadrature order n.
   *
   * @return n
   */
  public int order() {
    return order;
  }

  /**
   * The name given at construction.
   *
   * @return the name
   */
  public String name() {
    return name;
  }

  @Override
  public void applyToEntries(
      double[] covariance, double[] sine, double[] ntk, double variance1, double[] variances2, int offset, int length) {
    int n = order;
    double r1 = Math.sqrt(variance1);
    double[] fu = new double[n];
    double[] du = new double[n];
    for (int k = 0; k < n; k++) {
      double u = Math.sqrt(2) * r1 * nodes[k];
      fu[k] = function.applyAsDouble(u);
      du[k] = ntk == null ? 0 : derivative.applyAsDouble(u);
    }
    for (int e = 0; e < length; e++) {
      double sig = covariance[e];
      double q2 = variances2[offset + e];
      double t = 0;
      double tdot = 0;
      if (variance1 == 0) {
        double sf = 0;
        double sd = 0;
        for (int l = 0; l < n; l++) {
          double v = Math.sqrt(2 * q2) * nodes[l];
          sf += weights[l] * function.applyAsDouble(v);
          sd += ntk == null ? 0 : weights[l] * derivative.applyAsDouble(v);
        }
        t = function.applyAsDouble(0) * sf / Math.sqrt(Math.PI);
        tdot = derivative.applyAsDouble(0) * sd / Math.sqrt(Math.PI);
      } else {
        double slope = sig / variance1;
        double spread = Math.sqrt(2) * sine[e] / r1;
        for (int k = 0; k < n; k++) {
          double base = slope * Math.sqrt(2) * r1 * nodes[k];
          double sf = 0;
          double sd = 0;
          for (int l = 0; l < n; l++) {
            double v = base + spread * nodes[l];
            sf += weights[l] * function.applyAsDouble(v);
            if (ntk != null) {
              sd += weights[l] * derivative.applyAsDouble(v);
            }
          }
          t += weights[k] * fu[k] * sf;
          tdot += weights[k] * du[k] * sd;
        }
        t /= Math.PI;
        tdot /= Math.PI;
      }
      covariance[e] = t;
      if (ntk != null) {
        ntk[e] *= tdot;
      }
    }
  }

  @Override
  public double dualOfVariance(double variance) {
    return diagonal(function, variance);
  }

  @Override
  public double dualDerivativeOfVariance(double variance) {
    return diagonal(derivative, variance);
  }

  private double diagonal(DoubleUnaryOperator f, double q) {
    double s = 0;
    for (int k = 0; k < order; k++) {
      double v = f.applyAsDouble(Math.sqrt(2 * q) * nodes[k]);
      s += weights[k] * v * v;
    }
    return s / Math.sqrt(Math.PI);
  }

  /** φ(x). */
  @Override
  public double apply(double x) {
    return function.applyAsDouble(x);
  }

  /** φ'(x). */
  @Override
  public double derivative(double x) {
    return derivative.applyAsDouble(x);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Elementwise e && e.name.equals(name) && e.function == function && e.derivative == derivative
        && e.order == order;
  }

  @Override
  public int hashCode() {
    return Objects.hash(name, System.identityHashCode(function), System.identityHashCode(derivative), order);
  }

  /** {@code elementwise(name)}, or {@code elementwise(name, order=n)}: not parseable (see the class). */
  @Override
  public String toString() {
    return "elementwise(" + name + (order == DEFAULT_ORDER ? "" : ", order=" + order) + ")";
  }
}
