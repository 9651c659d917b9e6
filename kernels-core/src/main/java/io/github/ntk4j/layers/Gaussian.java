package io.github.ntk4j.layers;

/**
 * φ(x) = a·e^{b·x²} (shared/math/kernels.md §2.4). With S = q1 + q2 and
 * D = √((1 − 2b·q1)(1 − 2b·q2) − 4b²Σ²) = √(1 − 2b·S + 4b²·s²):
 *
 * <pre>
 *   T = a²/D,   Ṫ = 4a²b²·Σ/D³,   T(q; q, q) = a²/√(1 − 4b·q)
 * </pre>
 *
 * For b &gt; 0 the expectation exists only when 4·b·q &lt; 1 for every input variance q; outside that
 * domain the layer throws {@link IllegalArgumentException} naming itself and the offending variance,
 * never returning NaN or infinity. String form {@code gaussian(a, b)} (both required;
 * {@code gaussian(1, -1)} is the bell curve e^{−x²}).
 *
 * @param a scale (finite)
 * @param b exponent factor (finite; b &lt; 0 gives a bell curve)
 */
public record Gaussian(double a, double b) implements Activation {

  /**
   * Validates the parameters.
   *
   * @param a scale (finite)
   * @param b exponent factor (finite; b &lt; 0 gives a bell curve)
   * @throws IllegalArgumentException when a value is out of its range, naming it
   */
  public Gaussian {
    a = Numbers.requireFinite("gaussian", "a", a);
    b = Numbers.requireFinite("gaussian", "b", b);
  }

  private void requireDomain(double q) {
    if (b > 0 && !(4 * b * q < 1)) {
      throw new IllegalArgumentException(
          this + ": an input variance q = " + q + " gives 4·b·q = " + (4 * b * q) + " >= 1, where E[φ(u)²] is"
              + " infinite; lower b, the weights or the input scale so that 4·b·q < 1");
    }
  }

  @Override
  public void applyToEntries(
      double[] covariance, double[] sine, double[] ntk, double variance1, double[] variances2, int offset, int length) {
    requireDomain(variance1);
    double a2 = a * a;
    for (int k = 0; k < length; k++) {
      double q2 = variances2[offset + k];
      requireDomain(q2);
      double s = sine[k];
      double d = Math.sqrt(Math.max((1 - 2 * b * (variance1 + q2)) + 4 * b * b * (s * s), 0));
      double sig = covariance[k];
      covariance[k] = a2 / d;
      if (ntk != null) {
        ntk[k] *= 4 * a2 * b * b * sig / (d * d * d);
      }
    }
  }

  @Override
  public double dualOfVariance(double variance) {
    requireDomain(variance);
    return a * a / Math.sqrt(1 - 4 * b * variance);
  }

  @Override
  public double dualDerivativeOfVariance(double variance) {
    requireDomain(variance);
    double d = Math.sqrt(1 - 4 * b * variance);
    return 4 * a * a * b * b * variance / (d * d * d);
  }

  /** a·e^{b·x²}. */
  @Override
  public double apply(double x) {
    return a * Math.exp(b * x * x);
  }

  /** 2·a·b·x·e^{b·x²}. */
  @Override
  public double derivative(double x) {
    return 2 * a * b * x * Math.exp(b * x * x);
  }

  @Override
  public String toString() {
    return "gaussian(" + Numbers.format(a) + ", " + Numbers.format(b) + ")";
  }
}
