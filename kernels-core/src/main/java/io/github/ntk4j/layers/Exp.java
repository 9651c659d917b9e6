package io.github.ntk4j.layers;

/**
 * φ(x) = a·e^{b·x} (shared/math/kernels.md §2.4): with S = q1 + q2,
 *
 * <pre>
 *   T = a²·e^{b²·(S/2 + Σ)},   Ṫ = b²·T,   T(q; q, q) = a²·e^{2b²q}
 * </pre>
 *
 * The kernel grows like e^{2b²q}: large variances overflow, which the kernel computation reports as a
 * numerical error. String form {@code exp(a, b)} (both required).
 *
 * @param a scale (finite)
 * @param b rate (finite)
 */
public record Exp(double a, double b) implements Activation {

  /**
   * Validates the parameters.
   *
   * @param a scale (finite)
   * @param b rate (finite)
   * @throws IllegalArgumentException when a value is out of its range, naming it
   */
  public Exp {
    a = Numbers.requireFinite("exp", "a", a);
    b = Numbers.requireFinite("exp", "b", b);
  }

  @Override
  public void applyToEntries(
      double[] covariance, double[] sine, double[] ntk, double variance1, double[] variances2, int offset, int length) {
    double a2 = a * a;
    double b2 = b * b;
    for (int k = 0; k < length; k++) {
      double t = a2 * Math.exp(b2 * ((variance1 + variances2[offset + k]) / 2 + covariance[k]));
      covariance[k] = t;
      if (ntk != null) {
        ntk[k] *= b2 * t;
      }
    }
  }

  @Override
  public double dualOfVariance(double variance) {
    return a * a * Math.exp(2 * b * b * variance);
  }

  @Override
  public double dualDerivativeOfVariance(double variance) {
    return b * b * dualOfVariance(variance);
  }

  /** a·e^{b·x}. */
  @Override
  public double apply(double x) {
    return a * Math.exp(b * x);
  }

  /** a·b·e^{b·x}. */
  @Override
  public double derivative(double x) {
    return a * b * Math.exp(b * x);
  }

  @Override
  public String toString() {
    return "exp(" + Numbers.format(a) + ", " + Numbers.format(b) + ")";
  }
}
