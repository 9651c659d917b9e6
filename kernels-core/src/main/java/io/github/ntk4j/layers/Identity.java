package io.github.ntk4j.layers;

/**
 * The identity φ(x) = x: T = Σ, Ṫ = 1 (the ABReLU map with a = b = 1; shared/math/kernels.md §2.1).
 * Between two Dense layers it makes them one linear network of two layers. String form
 * {@code identity()}.
 */
public record Identity() implements Activation {

  @Override
  public void applyToEntries(
      double[] covariance, double[] sine, double[] ntk, double variance1, double[] variances2, int offset, int length) {
    // T = Σ and Ṫ = 1: nothing changes.
  }

  @Override
  public double dualOfVariance(double variance) {
    return variance;
  }

  @Override
  public double dualDerivativeOfVariance(double variance) {
    return 1;
  }

  /** The output pair is the input pair: s' = s. */
  @Override
  public double outputSine(double covariance, double sine, double outVariance1, double outVariance2, double outCovariance) {
    return sine;
  }

  /** x. */
  @Override
  public double apply(double x) {
    return x;
  }

  /** 1. */
  @Override
  public double derivative(double x) {
    return 1;
  }

  @Override
  public String toString() {
    return "identity()";
  }
}
