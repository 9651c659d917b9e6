package io.github.ntk4j.layers;

/**
 * The leaky rectifier φ(x) = α·min(x, 0) + max(x, 0), the ABReLU map with (a, b) = (α, 1)
 * (shared/math/kernels.md §2.1; Tsuchida, Roosta and Gallagher, arXiv 1711.09090):
 *
 * <pre>
 *   Ṫ = (α² + 1)/2 − (α − 1)²·θ/(2π),   T = (α − 1)²·s/(2π) + Ṫ·Σ,   T(q; q, q) = (1 + α²)·q/2
 * </pre>
 *
 * String form {@code leakyrelu(alpha)}.
 *
 * @param alpha the slope for negative inputs (finite)
 */
public record LeakyRelu(double alpha) implements Activation {

  /**
   * Validates the slope.
   *
   * @param alpha the slope for negative inputs (finite)
   * @throws IllegalArgumentException when a value is out of its range, naming it
   */
  public LeakyRelu {
    alpha = Numbers.requireFinite("leakyrelu", "alpha", alpha);
  }

  @Override
  public void applyToEntries(
      double[] covariance, double[] sine, double[] ntk, double variance1, double[] variances2, int offset, int length) {
    PiecewiseLinear.applyToEntries(alpha, 1, covariance, sine, ntk, length);
  }

  @Override
  public double dualOfVariance(double variance) {
    return (alpha * alpha + 1) / 2 * variance;
  }

  @Override
  public double dualDerivativeOfVariance(double variance) {
    return (alpha * alpha + 1) / 2;
  }

  @Override
  public double outputSine(double covariance, double sine, double outVariance1, double outVariance2, double outCovariance) {
    return PiecewiseLinear.outputSine(alpha, 1, covariance, sine);
  }

  /** α·x for x &lt; 0, x otherwise. */
  @Override
  public double apply(double x) {
    return x < 0 ? alpha * x : x;
  }

  /** α for x &lt; 0, 1 otherwise. */
  @Override
  public double derivative(double x) {
    return x < 0 ? alpha : 1;
  }

  @Override
  public String toString() {
    return "leakyrelu(" + Numbers.format(alpha) + ")";
  }
}
