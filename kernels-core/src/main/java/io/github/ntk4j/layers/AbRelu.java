package io.github.ntk4j.layers;

import static io.github.ntk4j.internal.Angles.TWO_PI;

import io.github.ntk4j.internal.Angles;

/**
 * The piecewise-linear activation φ(x) = a·min(x, 0) + b·max(x, 0) (Tsuchida, Roosta and Gallagher,
 * arXiv 1711.09090):
 *
 * <pre>
 *   s = √(q1·q2 − Σ²),  θ = atan2(s, Σ)
 *   Ṫ = (a² + b²)/2 − (a − b)²·θ/(2π)
 *   T = (a − b)²·s/(2π) + Ṫ·Σ,          T(q; q, q) = (a² + b²)·q/2
 * </pre>
 *
 * {@code abrelu(0, 1)} is ReLU, {@code abrelu(-1, 1)} is |x|, {@code abrelu(c, c)} is x ↦ c·x. String
 * form {@code abrelu(a, b)}.
 *
 * @param a slope for negative inputs (finite)
 * @param b slope for positive inputs (finite)
 */
public record AbRelu(double a, double b) implements Activation {

  /** Validates the slopes. */
  public AbRelu {
    a = Numbers.requireFinite("abrelu", "a", a);
    b = Numbers.requireFinite("abrelu", "b", b);
  }

  private double even() {
    return (a * a + b * b) / 2;
  }

  @Override
  public void applyToEntries(
      double[] covariance,
      double[] sine,
      double[] ntk,
      double variance1,
      double[] variances2,
      int offset,
      int length) {
    double c0 = even();
    double c1 = (a - b) * (a - b);
    for (int k = 0; k < length; k++) {
      double sig = covariance[k];
      double s = sine[k];
      double tdot;
      double t;
      if (sig < 0 && s < 0.5 * -sig) {
        // Near anti-parallel (θ → π): with φ = π − θ = atan(s/|Σ|), Ṫ = ab + (a − b)²φ/(2π) and
        // T = ab·Σ + (a − b)²·|Σ|·(tan φ − φ)/(2π), evaluated without cancellation.
        double ratio = s / -sig;
        tdot = a * b + c1 * Math.atan(ratio) / TWO_PI;
        t = a * b * sig + c1 * (-sig) * Angles.tanExcess(ratio) / TWO_PI;
      } else {
        double theta = (s == 0 && sig == 0) ? Math.PI / 2 : Math.atan2(s, sig);
        tdot = c0 - c1 * theta / TWO_PI;
        t = c1 * s / TWO_PI + tdot * sig;
      }
      covariance[k] = t;
      if (ntk != null) {
        ntk[k] *= tdot;
      }
    }
  }

  @Override
  public double dualOfVariance(double variance) {
    return even() * variance;
  }

  @Override
  public double dualDerivativeOfVariance(double variance) {
    return even();
  }

  @Override
  public double outputSine(double covariance, double sine, double outVariance1, double outVariance2, double outCovariance) {
    return PiecewiseLinear.outputSine(a, b, covariance, sine);
  }

  @Override
  public String toString() {
    return "abrelu(" + Numbers.format(a) + ", " + Numbers.format(b) + ")";
  }

  /** a·x for x &lt; 0, b·x otherwise. */
  @Override
  public double apply(double x) {
    return x < 0 ? a * x : b * x;
  }

  /** a for x &lt; 0, b otherwise. */
  @Override
  public double derivative(double x) {
    return x < 0 ? a : b;
  }
}
