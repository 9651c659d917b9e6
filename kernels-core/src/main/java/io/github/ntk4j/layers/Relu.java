package io.github.ntk4j.layers;

import io.github.ntk4j.internal.ArcCosine;

/**
 * The rectifier φ(x) = max(x, 0), with the arc-cosine kernel of degree 1 (Cho and Saul, NeurIPS
 * 2009):
 *
 * \[ s = \sqrt{q_1 q_2 - \Sigma^2}, \qquad \theta = \operatorname{atan2}(s, \Sigma) \]
 * \[ T = \frac{s + (\pi - \theta)\,\Sigma}{2\pi}, \qquad \dot T = \frac{\pi - \theta}{2\pi}, \qquad
 *    T(q; q, q) = \frac{q}{2} \]
 *
 * Equal in value to {@code abrelu(0, 1)} but computed by its own, shorter formula, in loops the
 * JIT vectorizes (see {@code internal.ArcCosine}). String form {@code relu()}.
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
    ArcCosine.relu(covariance, sine, ntk, length);
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
