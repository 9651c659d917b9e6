package io.github.ntk4j.layers;

import static io.github.ntk4j.internal.Angles.TWO_PI;

import io.github.ntk4j.internal.Angles;

/**
 * The dual maps and output sine of the ABReLU family φ(x) = a·min(x, 0) + b·max(x, 0), shared by
 * {@link AbRelu}, {@link LeakyRelu}, {@link Abs} and {@link Identity}.
 */
final class PiecewiseLinear {
  private PiecewiseLinear() {}

  /**
   * T = (a − b)²·s/(2π) + Ṫ·Σ and Ṫ = (a² + b²)/2 − (a − b)²·θ/(2π) for each entry (Tsuchida et al.,
   * arXiv 1711.09090), with the near-anti-parallel case (θ → π) computed without cancellation from
   * φ = π − θ = atan(s/|Σ|): Ṫ = ab + (a − b)²·φ/(2π), T = ab·Σ + (a − b)²·|Σ|·(tan φ − φ)/(2π).
   */
  static void applyToEntries(double a, double b, double[] covariance, double[] sine, double[] ntk, int length) {
    double c0 = (a * a + b * b) / 2;
    double c1 = (a - b) * (a - b);
    for (int k = 0; k < length; k++) {
      double sig = covariance[k];
      double s = sine[k];
      double tdot;
      double t;
      if (sig < 0 && s < 0.5 * -sig) {
        double ratio = s / -sig;
        tdot = a * b + c1 * Math.atan(ratio) / TWO_PI;
        t = a * b * sig + c1 * (-sig) * Angles.tanExcess(ratio) / TWO_PI;
      } else {
        double theta = (s == 0 && sig == 0) ? Math.PI / 2 : Angles.angle(s, sig);
        tdot = c0 - c1 * theta / TWO_PI;
        t = c1 * s / TWO_PI + tdot * sig;
      }
      covariance[k] = t;
      if (ntk != null) {
        ntk[k] *= tdot;
      }
    }
  }

  /**
   * s' = √(T(q1)·T(q2) − T(Σ)²) for φ(x) = a·min(x, 0) + b·max(x, 0).
   *
   * <p>With r = √(q1·q2), cos θ = Σ/r and J(θ) = sin θ − θ·cos θ, the determinant factors as
   * r²·F1·F2 with F1 = c0(1 − cos θ) − c1·J(θ)/(2π) and F2 = c0(1 + cos θ) + c1·J(θ)/(2π)
   * (c0 = (a² + b²)/2, c1 = (a − b)²). For θ ≤ π/2 both are sums of terms that do not cancel (J is
   * taken from its series at small angles); for θ > π/2, with φ = π − θ, F1 is rewritten as
   * (a + b)²/2 − ab·(1 − cos φ) − c1·J(φ)/(2π), which stays accurate where it vanishes (a = −b).
   */
  static double outputSine(double a, double b, double sigma, double sine) {
    double s = sine;
    double absSigma = Math.abs(sigma);
    double big = Math.max(s, absSigma);
    if (big == 0) {
      return 0;
    }
    // Scale by a power of two so that r cannot overflow; the result is scaled back exactly.
    int e = Math.getExponent(big);
    s = Math.scalb(s, -e);
    double sg = Math.scalb(sigma, -e);
    double as = Math.abs(sg);
    double r = Math.sqrt(s * s + sg * sg);
    double c0 = (a * a + b * b) / 2;
    double c1 = (a - b) * (a - b);
    double f1;
    double f2;
    if (sg >= 0) {
      double oneMinusCos = s * s / (r * (r + sg));
      double onePlusCos = (r + sg) / r;
      double j = sg >= s ? (sg / r) * Angles.tanExcess(s / sg) : (s - Math.atan2(s, sg) * sg) / r;
      f1 = c0 * oneMinusCos - c1 * j / TWO_PI;
      f2 = c0 * onePlusCos + c1 * j / TWO_PI;
    } else {
      double phi = Math.atan2(s, as);
      double oneMinusCosPhi = s * s / (r * (r + as));
      double jTheta = (s + (Math.PI - phi) * as) / r;
      double jPhi = as >= s ? (as / r) * Angles.tanExcess(s / as) : (s - phi * as) / r;
      f1 = (a + b) * (a + b) / 2 - a * b * oneMinusCosPhi - c1 * jPhi / TWO_PI;
      f2 = c0 * oneMinusCosPhi + c1 * jTheta / TWO_PI;
    }
    return Math.scalb(r * Math.sqrt(Math.max(f1, 0) * Math.max(f2, 0)), e);
  }
}
