package io.github.ntk4j.internal;

/**
 * Stable building blocks for the angle between two Gaussian coordinates with variances q1, q2 and
 * covariance Σ (shared/math/kernels.md §2 and §4).
 *
 * <p>The determinant q1·q2 − Σ² is computed with fused multiply-adds and a compensation term, so an
 * exact duplicate (Σ = q1 = q2) gives exactly 0 and a near-duplicate keeps the digits the data has.
 * Outside the normal range of q1·q2 (overflow or underflow) the three numbers are first scaled by
 * powers of two, which is exact.
 */
public final class Angles {
  /** Products q1·q2 inside [MIN_PRODUCT, MAX_PRODUCT] are computed directly. */
  private static final double MIN_PRODUCT = 0x1p-900;

  /** See {@link #MIN_PRODUCT}. */
  private static final double MAX_PRODUCT = 0x1p900;

  /** 2π, exact doubling of {@link Math#PI}; π / TWO_PI is exactly 0.5. */
  public static final double TWO_PI = 2 * Math.PI;

  private Angles() {}

  /** tan(kπ/16), k = 0..4: the centres of the reduction in {@link #angle}. */
  private static final double[] TAN_CENTRE = new double[5];

  /** kπ/16 = atan(TAN_CENTRE[k]). */
  private static final double[] CENTRE_ANGLE = new double[5];

  /** tan((2k + 1)π/32), k = 0..3: the boundaries between the centres. */
  private static final double[] TAN_BOUNDARY = new double[4];


  static {
    for (int k = 0; k < 5; k++) {
      TAN_CENTRE[k] = Math.tan(k * Math.PI / 16);
      CENTRE_ANGLE[k] = Math.atan(TAN_CENTRE[k]);
    }
    for (int k = 0; k < 4; k++) {
      TAN_BOUNDARY[k] = Math.tan((2 * k + 1) * Math.PI / 32);
    }
  }

  /**
   * θ = atan2(s, Σ) for s ≥ 0, in [0, π], within a few ulps of {@link Math#atan2} and several times
   * faster (the per-entry chains call it once per entry and layer). With t = min(s, |Σ|)/max(s, |Σ|)
   * in [0, 1], atan t = kπ/16 + atan u with the nearest centre c = tan(kπ/16) and
   * u = (t − c)/(1 + t·c), |u| ≤ tan(π/32) ≈ 0.098, whose series needs eight terms for double
   * precision (truncation below 5e-18 relative; evaluated by Estrin's scheme, which halves the chain
   * of dependent multiply-adds); then θ = π/2 − atan t when s > |Σ|, and π − θ when Σ &lt; 0. s = 0 with Σ &gt; 0 gives
   * exactly 0. Non-finite arguments and s = Σ = 0 go to {@link Math#atan2}.
   */
  public static double angle(double s, double sigma) {
    double a = Math.abs(sigma);
    if (!(a < Double.POSITIVE_INFINITY && s < Double.POSITIVE_INFINITY && s >= 0) || (s == 0 && a == 0)) {
      return Math.atan2(s, sigma);
    }
    boolean steep = s > a;
    double t = steep ? a / s : s / a;
    int k = t <= TAN_BOUNDARY[1] ? (t <= TAN_BOUNDARY[0] ? 0 : 1)
        : t <= TAN_BOUNDARY[2] ? 2 : t <= TAN_BOUNDARY[3] ? 3 : 4;
    double u = k == 0 ? t : (t - TAN_CENTRE[k]) / (1 + t * TAN_CENTRE[k]);
    double x = u * u;
    double x2 = x * x;
    double r0 = Math.fma(Math.fma(1.0 / 9, x, -1.0 / 7), x2, Math.fma(1.0 / 5, x, -1.0 / 3));
    double r1 = Math.fma(-1.0 / 15, x2, Math.fma(1.0 / 13, x, -1.0 / 11));
    double rr = Math.fma(r1, x2 * x2, r0);
    double atanT = CENTRE_ANGLE[k] + Math.fma(u * x, rr, u);
    double theta = steep ? Math.PI / 2 - atanT : atanT;
    return sigma < 0 ? Math.PI - theta : theta;
  }

  /** Coefficients (−1)^k/(2k + 3) of (t − atan t)/t³ = Σ_k (−1)^k t^(2k)/(2k + 3). */
  private static final double[] TAN_EXCESS = new double[28];

  static {
    for (int k = 0; k < TAN_EXCESS.length; k++) {
      TAN_EXCESS[k] = (k % 2 == 0 ? 1.0 : -1.0) / (2 * k + 3);
    }
  }

  /**
   * t − atan(t) for t ≥ 0 without cancellation: by its series below t = 1/2 (28 terms reach
   * rounding level), directly above, where at most a factor 12 of relative accuracy is lost.
   */
  public static double tanExcess(double t) {
    if (t >= 0.5) {
      return t - Math.atan(t);
    }
    double x = t * t;
    double sum = 0;
    for (int k = TAN_EXCESS.length - 1; k >= 0; k--) {
      sum = sum * x + TAN_EXCESS[k];
    }
    return t * x * sum;
  }

  /** q1·q2 − Σ², compensated; may be slightly negative only through rounding of the inputs. */
  private static double det(double q1, double q2, double sigma) {
    double ss = sigma * sigma;
    double err = Math.fma(sigma, sigma, -ss);
    return Math.fma(q1, q2, -ss) - err;
  }

  /** Whether q1·q2 is in the range where {@link #det} needs no scaling. */
  public static boolean inRange(double product) {
    return product >= MIN_PRODUCT && product <= MAX_PRODUCT;
  }

  /**
   * A number with the sign of {@link #inRange}: not negative exactly when the product is in range,
   * NaN for NaN. Branch-free, so that loops deciding a whole block by its minimum vectorize.
   */
  static double rangeMargin(double product) {
    return Math.min(product - MIN_PRODUCT, MAX_PRODUCT - product);
  }

  /**
   * {@link #sine} for a product q1·q2 {@link #inRange in range}: √max(q1·q2 − Σ², 0) without
   * scaling (branch-free; loops over it vectorize).
   */
  static double directSine(double q1, double q2, double sigma) {
    return Math.sqrt(Math.max(det(q1, q2, sigma), 0));
  }

  /** The even exponent e with q·2^(−e) in [1, 4); 0 for q = 0. */
  private static int evenExponent(double q) {
    if (q == 0) {
      return 0;
    }
    int e = Math.getExponent(q);
    if (e < Double.MIN_EXPONENT) {
      // subnormal: scale up first to read the exponent
      e = Math.getExponent(q * 0x1p60) - 60;
    }
    return e - (e & 1);
  }

  /**
   * s = √max(q1·q2 − Σ², 0) for any magnitudes, by exact power-of-two scaling. The result may
   * overflow or underflow only when s itself is out of range.
   */
  public static double sine(double q1, double q2, double sigma) {
    double p = q1 * q2;
    if (inRange(p)) {
      return directSine(q1, q2, sigma);
    }
    if (q1 == 0 || q2 == 0) {
      return 0;
    }
    int e1 = evenExponent(q1);
    int e2 = evenExponent(q2);
    int half = (e1 + e2) / 2;
    double s =
        Math.sqrt(
            Math.max(det(Math.scalb(q1, -e1), Math.scalb(q2, -e2), Math.scalb(sigma, -half)), 0));
    return Math.scalb(s, half);
  }
}
