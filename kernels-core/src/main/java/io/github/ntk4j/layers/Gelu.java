package io.github.ntk4j.layers;

import io.github.ntk4j.internal.SpecialFunctions;

/**
 * The exact GELU φ(x) = x·Φ(x), Φ the standard normal CDF (Hendrycks and Gimpel, arXiv 1606.08415;
 * closed form as in neural-tangents, shared/math/kernels.md §2.3). With P = q1·q2,
 * P₁ = (1 + q1)(1 + q2), δ² = P₁ − Σ² = 1 + q1 + q2 + s² (no cancellation) and ψ = atan2(Σ, δ):
 *
 * <pre>
 *   T = Σ/4 + [ (Σ² + P·δ²)/(P₁·δ) + Σ·ψ ] / (2π)
 *   Ṫ = 1/4 + ψ/(2π) + Σ/(2π·δ)·( 1/δ² + (1 − P)/P₁ + 1 )
 *   T(q; q, q) = q·[ 1/4 + ( q/((1 + q)·√(1 + 2q)) + ½·atan2(q, √(1 + 2q)) ) / π ]
 * </pre>
 *
 * The tanh approximation of GELU has no closed form; use {@link Elementwise} for it. String form
 * {@code gelu()}.
 */
public record Gelu() implements Activation {
  private static final double TWO_PI = 2 * Math.PI;

  @Override
  public void applyToEntries(
      double[] covariance, double[] sine, double[] ntk, double variance1, double[] variances2, int offset, int length) {
    double q1 = variance1;
    for (int k = 0; k < length; k++) {
      double sig = covariance[k];
      double q2 = variances2[offset + k];
      double s = sine[k];
      double p = q1 * q2;
      double p1 = (1 + q1) * (1 + q2);
      double delta2 = 1 + q1 + q2 + s * s;
      double delta = Math.sqrt(delta2);
      double psi = Math.atan2(sig, delta);
      covariance[k] = sig / 4 + ((sig * sig + p * delta2) / (p1 * delta) + sig * psi) / TWO_PI;
      if (ntk != null) {
        ntk[k] *= 0.25 + psi / TWO_PI + sig / (TWO_PI * delta) * (1 / delta2 + (1 - p) / p1 + 1);
      }
    }
  }

  @Override
  public double dualOfVariance(double variance) {
    return EntryMaps.diagonal(this, variance);
  }

  @Override
  public double dualDerivativeOfVariance(double variance) {
    return EntryMaps.diagonalDerivative(this, variance);
  }

  /** x·Φ(x). */
  @Override
  public double apply(double x) {
    return x * 0.5 * (1 + SpecialFunctions.erf(x / Math.sqrt(2)));
  }

  /** Φ(x) + x·φ(x), φ the standard normal density. */
  @Override
  public double derivative(double x) {
    return 0.5 * (1 + SpecialFunctions.erf(x / Math.sqrt(2))) + x * Math.exp(-x * x / 2) / Math.sqrt(2 * Math.PI);
  }

  @Override
  public String toString() {
    return "gelu()";
  }
}
