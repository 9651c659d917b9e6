package io.github.ntk4j.layers;

/**
 * The absolute value φ(x) = |x|, the ABReLU map with (a, b) = (−1, 1) (shared/math/kernels.md §2.1):
 *
 * <pre>
 *   T = (2/π)·s + (1 − 2θ/π)·Σ,   Ṫ = 1 − 2θ/π,   T(q; q, q) = q
 * </pre>
 *
 * String form {@code abs()}.
 */
public record Abs() implements Activation {

  @Override
  public void applyToEntries(
      double[] covariance, double[] sine, double[] ntk, double variance1, double[] variances2, int offset, int length) {
    PiecewiseLinear.applyToEntries(-1, 1, covariance, sine, ntk, length);
  }

  @Override
  public double dualOfVariance(double variance) {
    return variance;
  }

  @Override
  public double dualDerivativeOfVariance(double variance) {
    return 1;
  }

  @Override
  public double outputSine(double covariance, double sine, double outVariance1, double outVariance2, double outCovariance) {
    return PiecewiseLinear.outputSine(-1, 1, covariance, sine);
  }

  /** |x|. */
  @Override
  public double apply(double x) {
    return Math.abs(x);
  }

  /** −1 for x &lt; 0, 1 otherwise. */
  @Override
  public double derivative(double x) {
    return x < 0 ? -1 : 1;
  }

  @Override
  public String toString() {
    return "abs()";
  }
}
