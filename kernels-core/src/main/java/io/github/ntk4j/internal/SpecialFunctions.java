package io.github.ntk4j.internal;

/** Special functions the JDK lacks. */
public final class SpecialFunctions {
  private static final double TWO_OVER_SQRT_PI = 2 / Math.sqrt(Math.PI);

  private SpecialFunctions() {}

  /**
   * erf(x) to within a few ulp: the Maclaurin-type series (2/√π)·e^{−x²}·Σ 2ⁿx^{2n+1}/(1·3···(2n+1))
   * (positive terms, no cancellation) for |x| &lt; 2.5, and 1 − erfc(|x|) with erfc from its
   * Laplace continued fraction e^{−x²}/√π · 1/(x + (1/2)/(x + 1/(x + (3/2)/(x + …)))) beyond,
   * evaluated backwards from a fixed depth that converges to double precision for |x| ≥ 2.5;
   * ±1 for |x| ≥ 6 (erfc(6) ≈ 2e-17).
   *
   * @param x any double (NaN gives NaN)
   * @return erf(x)
   */
  public static double erf(double x) {
    double ax = Math.abs(x);
    if (!(ax < 6)) {
      return Double.isNaN(x) ? x : Math.signum(x);
    }
    double x2 = ax * ax;
    double value;
    if (ax < 2.5) {
      double term = ax;
      double sum = ax;
      for (int n = 1; n < 100 && term > 1e-17 * sum; n++) {
        term *= 2 * x2 / (2 * n + 1);
        sum += term;
      }
      value = TWO_OVER_SQRT_PI * Math.exp(-x2) * sum;
    } else {
      double f = ax;
      for (int k = 60; k >= 1; k--) {
        f = ax + (k / 2.0) / f;
      }
      value = 1 - Math.exp(-x2) / (Math.sqrt(Math.PI) * f);
    }
    return Math.copySign(value, x);
  }
}
