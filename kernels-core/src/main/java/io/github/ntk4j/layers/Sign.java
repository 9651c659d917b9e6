package io.github.ntk4j.layers;

import static io.github.ntk4j.internal.Angles.TWO_PI;

/**
 * The sign function φ(x) = sign(x) (shared/math/kernels.md §2.5): with θ = atan2(s, Σ),
 *
 * <pre>
 *   T = 1 − 2θ/π,   T(q; q, q) = 1 (0 when q = 0),   Ṫ = 0
 * </pre>
 *
 * Its derivative is 0 almost everywhere, so gradients do not pass through it: the NTK of the layers
 * before it is dropped and only the layers after it contribute (as in neural-tangents). String form
 * {@code sign()}.
 */
public record Sign() implements Activation {

  @Override
  public void applyToEntries(
      double[] covariance, double[] sine, double[] ntk, double variance1, double[] variances2, int offset, int length) {
    for (int k = 0; k < length; k++) {
      double sig = covariance[k];
      double s = sine[k];
      double theta = (s == 0 && sig == 0) ? Math.PI / 2 : io.github.ntk4j.internal.Angles.angle(s, sig);
      covariance[k] = 1 - 4 * theta / TWO_PI;
      if (ntk != null) {
        ntk[k] = 0;
      }
    }
  }

  @Override
  public double dualOfVariance(double variance) {
    return variance > 0 ? 1 : 0;
  }

  @Override
  public double dualDerivativeOfVariance(double variance) {
    return 0;
  }

  /** −1, 0 or 1. */
  @Override
  public double apply(double x) {
    return Math.signum(x);
  }

  /** 0 (the derivative almost everywhere). */
  @Override
  public double derivative(double x) {
    return 0;
  }

  @Override
  public String toString() {
    return "sign()";
  }
}
