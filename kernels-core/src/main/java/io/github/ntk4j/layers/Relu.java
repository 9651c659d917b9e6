package io.github.ntk4j.layers;

import static io.github.ntk4j.internal.Angles.TWO_PI;

import io.github.ntk4j.internal.Angles;

/**
 * The rectifier φ(x) = max(x, 0), with the arc-cosine kernel of degree 1 (Cho and Saul, NeurIPS
 * 2009):
 *
 * \[ s = \sqrt{q_1 q_2 - \Sigma^2}, \qquad \theta = \operatorname{atan2}(s, \Sigma) \]
 * \[ T = \frac{s + (\pi - \theta)\,\Sigma}{2\pi}, \qquad \dot T = \frac{\pi - \theta}{2\pi}, \qquad
 *    T(q; q, q) = \frac{q}{2} \]
 *
 * Equal in value to {@code abrelu(0, 1)} but computed by its own, shorter formula. String form
 * {@code relu()}.
 */
public record Relu() implements Activation {

  @Override
  public void applyToEntries(
      double[] covariance,
      double[] sine,
      double[] ntk,
      double variance1,
      double[] variances2,
      int offset,
      int length) {
    for (int k = 0; k < length; k++) {
      double sig = covariance[k];
      double s = sine[k];
      double tdot;
      double t;
      if (sig < 0 && s < 0.5 * -sig) {
        // Near anti-parallel (θ → π): with φ = π − θ = atan(s/|Σ|), s + (π − θ)Σ = |Σ|·(tan φ − φ),
        // evaluated without cancellation; Ṫ = φ/(2π) from φ directly.
        double ratio = s / -sig;
        tdot = Math.atan(ratio) / TWO_PI;
        t = -sig * Angles.tanExcess(ratio) / TWO_PI;
      } else {
        double theta = (s == 0 && sig == 0) ? Math.PI / 2 : Angles.angle(s, sig);
        // (π − θ)/(2π) is exactly 0.5 for θ = 0, so duplicates reproduce the diagonal map q/2.
        tdot = (Math.PI - theta) / TWO_PI;
        t = s / TWO_PI + tdot * sig;
      }
      covariance[k] = t;
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
  public double outputSine(double covariance, double sine, double outVariance1, double outVariance2, double outCovariance) {
    return PiecewiseLinear.outputSine(0, 1, covariance, sine);
  }

  @Override
  public String toString() {
    return "relu()";
  }

  /** max(x, 0). */
  @Override
  public double apply(double x) {
    return Math.max(x, 0);
  }

  /** 1 for x &gt; 0, else 0 (the derivative at 0 is taken as 0). */
  @Override
  public double derivative(double x) {
    return x > 0 ? 1 : 0;
  }
}
