package io.github.ntk4j.layers;

/**
 * The scaled error function φ(x) = a·erf(b·x) + c (Williams, NeurIPS 1997; neural-tangents' {@code
 * Erf}). With Σ̃ = b²Σ, q̃ᵢ = b²qᵢ and D = (1 + 2q̃1)(1 + 2q̃2) − 4Σ̃², computed as
 * 1 + 2(q̃1 + q̃2) + 4(q̃1q̃2 − Σ̃²) so that no digits cancel:
 *
 * \[ T = a^2\,\frac{2}{\pi}\operatorname{atan2}\big(2\tilde\Sigma, \sqrt{D}\big) + c^2, \qquad
 *    \dot T = \frac{4\,a^2 b^2}{\pi\sqrt{D}}, \qquad
 *    T(q; q, q) = a^2\,\frac{2}{\pi}\operatorname{atan2}\big(2\tilde q, \sqrt{1 + 4\tilde q}\big) + c^2 \]
 *
 * D ≥ 1, so the maps are smooth everywhere. String form {@code erf()} for a = b = 1, c = 0, and
 * {@code erf(a, b, c)} otherwise.
 *
 * @param a output scale (finite)
 * @param b input scale (finite)
 * @param c output shift (finite)
 */
public record Erf(double a, double b, double c) implements Activation {
  private static final double TWO_OVER_PI = 2 / Math.PI;
  private static final double FOUR_OVER_PI = 4 / Math.PI;
  private static final double HUGE = 0x1p500;

  /**
   * Validates the parameters.
   *
   * @param a output scale (finite)
   * @param b input scale (finite)
   * @param c output shift (finite)
   * @throws IllegalArgumentException when a value is out of its range, naming it
   */
  public Erf {
    a = Numbers.requireFinite("erf", "a", a);
    b = Numbers.requireFinite("erf", "b", b);
    c = Numbers.requireFinite("erf", "c", c);
  }

  /** The plain x ↦ erf(x). */
  public Erf() {
    this(1, 1, 0);
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
    double b2 = b * b;
    double a2 = a * a;
    double c2 = c * c;
    double slope = a2 * b2 * FOUR_OVER_PI;
    double qt1 = b2 * variance1;
    for (int k = 0; k < length; k++) {
      double st = b2 * covariance[k];
      double qt2 = b2 * variances2[offset + k];
      double bs = b2 * sine[k];
      double y;
      double root;
      double scale = 1;
      if (qt1 <= HUGE && qt2 <= HUGE) {
        // D = 1 + 2(q̃1 + q̃2) + 4(q̃1q̃2 − Σ̃²), the last term from the supplied sine: no cancellation.
        root = Math.sqrt(1 + 2 * (qt1 + qt2) + 4 * (bs * bs));
        y = 2 * st;
      } else {
        // Huge variances: scale (2Σ̃, √D) by a power of two; the angle is unchanged.
        int e = Math.getExponent(Math.max(qt1, qt2));
        double u1 = Math.scalb(qt1, -e);
        double u2 = Math.scalb(qt2, -e);
        double ut = Math.scalb(bs, -e);
        root = Math.sqrt(Math.scalb(1.0, -2 * e) + 2 * Math.scalb(u1 + u2, -e) + 4 * (ut * ut));
        y = 2 * Math.scalb(st, -e);
        scale = Math.scalb(1.0, e);
      }
      // atan2(y, root) with root > 0, through the chains' fast angle (odd in y).
      covariance[k] = a2 * TWO_OVER_PI * Math.copySign(io.github.ntk4j.internal.Angles.angle(Math.abs(y), root), y) + c2;
      if (ntk != null) {
        ntk[k] *= slope / root / scale;
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

  @Override
  public String toString() {
    if (a == 1 && b == 1 && c == 0) {
      return "erf()";
    }
    return "erf(" + Numbers.format(a) + ", " + Numbers.format(b) + ", " + Numbers.format(c) + ")";
  }

  /** a·erf(b·x) + c. */
  @Override
  public double apply(double x) {
    return a * io.github.ntk4j.internal.SpecialFunctions.erf(b * x) + c;
  }

  /** a·b·(2/√π)·e^{−b²x²}. */
  @Override
  public double derivative(double x) {
    double y = b * x;
    return a * b * (2 / Math.sqrt(Math.PI)) * Math.exp(-y * y);
  }
}
