package io.github.ntk4j.layers;

/**
 * The piecewise-linear activation φ(x) = a·min(x, 0) + b·max(x, 0) (Tsuchida, Roosta and Gallagher,
 * arXiv 1711.09090):
 *
 * \[ s = \sqrt{q_1 q_2 - \Sigma^2}, \qquad \theta = \operatorname{atan2}(s, \Sigma) \]
 * \[ \dot T = \frac{a^2 + b^2}{2} - \frac{(a - b)^2\,\theta}{2\pi}, \qquad
 *    T = \frac{(a - b)^2\,s}{2\pi} + \dot T\,\Sigma, \qquad T(q; q, q) = \frac{(a^2 + b^2)\,q}{2} \]
 *
 * {@code abrelu(0, 1)} is ReLU, {@code abrelu(-1, 1)} is |x|, {@code abrelu(c, c)} is x ↦ c·x. String
 * form {@code abrelu(a, b)}.
 *
 * @param a slope for negative inputs (finite)
 * @param b slope for positive inputs (finite)
 */
public record AbRelu(double a, double b) implements Activation {

  /**
   * Validates the slopes.
   *
   * @param a slope for negative inputs (finite)
   * @param b slope for positive inputs (finite)
   * @throws IllegalArgumentException when a value is out of its range, naming it
   */
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
    PiecewiseLinear.applyToEntries(a, b, covariance, sine, ntk, length);
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
