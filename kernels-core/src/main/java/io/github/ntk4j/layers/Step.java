package io.github.ntk4j.layers;

import static io.github.ntk4j.internal.Angles.TWO_PI;

/**
 * The Heaviside step φ(x) = 1 for x &gt; 0, else 0 (shared/math/kernels.md §2.5): with
 * θ = atan2(s, Σ),
 *
 * <pre>
 *   T = (π − θ)/(2π)  (0 when q1 = 0 or q2 = 0),   T(q; q, q) = 1/2 (0 when q = 0),   Ṫ = 0
 * </pre>
 *
 * Its derivative is 0 almost everywhere, so only the layers after it contribute to the NTK. String
 * form {@code step()}.
 */
public record Step() implements Activation {

  @Override
  public void applyToEntries(
      double[] covariance, double[] sine, double[] ntk, double variance1, double[] variances2, int offset, int length) {
    for (int k = 0; k < length; k++) {
      double sig = covariance[k];
      double s = sine[k];
      if (variance1 == 0 || variances2[offset + k] == 0) {
        covariance[k] = 0; // a point whose pre-activation is 0 has step(0) = 0
      } else {
        covariance[k] = (Math.PI - Math.atan2(s, sig)) / TWO_PI;
      }
      if (ntk != null) {
        ntk[k] = 0;
      }
    }
  }

  @Override
  public double dualOfVariance(double variance) {
    return variance > 0 ? 0.5 : 0;
  }

  @Override
  public double dualDerivativeOfVariance(double variance) {
    return 0;
  }

  /** 1 for x &gt; 0, else 0. */
  @Override
  public double apply(double x) {
    return x > 0 ? 1 : 0;
  }

  /** 0 (the derivative almost everywhere). */
  @Override
  public double derivative(double x) {
    return 0;
  }

  @Override
  public String toString() {
    return "step()";
  }
}
