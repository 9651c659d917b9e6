package io.github.ntk4j.layers;

import static io.github.ntk4j.internal.Angles.TWO_PI;

import io.github.ntk4j.internal.Angles;

/**
 * The rectifier φ(x) = max(x, 0), with the arc-cosine kernel of degree 1 (Cho and Saul, NeurIPS
 * 2009):
 *
 * <pre>
 *   s = √(q1·q2 − Σ²),  θ = atan2(s, Σ)
 *   T = (s + (π − θ)·Σ) / (2π),   Ṫ = (π − θ) / (2π),   T(q; q, q) = q/2
 * </pre>
 *
 * Equal in value to {@code abrelu(0, 1)} but computed by its own, shorter formula. String form
 * {@code relu()}.
 */
public record Relu() implements Activation {

  @Override
  public void applyToEntries(
      double[] covariance, double[] ntk, double variance1, double[] variances2, int offset, int length) {
    double q1 = variance1;
    for (int k = 0; k < length; k++) {
      double sig = covariance[k];
      double q2 = variances2[offset + k];
      double p = q1 * q2;
      double s;
      double theta;
      if (Angles.inRange(p)) {
        s = Math.sqrt(Math.max(Angles.det(q1, q2, sig), 0));
        theta = (s == 0 && sig == 0) ? Math.PI / 2 : Math.atan2(s, sig);
      } else {
        s = Angles.sine(q1, q2, sig);
        theta = Angles.angle(q1, q2, sig);
      }
      // (π − θ)/(2π) is exactly 0.5 for θ = 0, so duplicates reproduce the diagonal map q/2.
      double tdot = (Math.PI - theta) / TWO_PI;
      covariance[k] = s / TWO_PI + tdot * sig;
      if (ntk != null) {
        ntk[k] *= tdot;
      }
    }
  }

  @Override
  public double dualOfVariance(double variance) {
    return 0.5 * variance;
  }

  @Override
  public double dualDerivativeOfVariance(double variance) {
    return 0.5;
  }

  @Override
  public String toString() {
    return "relu()";
  }
}
