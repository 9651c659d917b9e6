package io.github.ntk4j.internal;

/**
 * One input set prepared for the Gram product, with the per-row factor and the input variance
 * q = |x|²/d. When a row's largest entry lies outside 2^±256 (or always in float32 mode) every row
 * is scaled by a power of two so that its largest entry lies in [1, 2); otherwise the rows are used
 * as they are (factor 1), without a copy.
 *
 * <p>The scaling is exact, so q and every Gram entry (x·y/d) come out bit for bit as without it,
 * while rows with very large or very small entries stay clear of overflow and underflow. In float32
 * mode the scaled rows are rounded to float, and {@link #rows} holds those float values widened,
 * so that every route through the data sees the same inputs.
 */
public final class ScaledRows {
  final int n;
  final int d;
  /** Scaled rows, row-major n×d (float-rounded values in float32 mode); may be the caller's array. */
  final double[] rows;
  /** The same rows as floats in float32 mode, null otherwise. */
  final float[] floatRows;
  /** 2^e, the factor that undoes the scaling of each row. */
  final double[] factor;
  /** q = |x|²/d of each row, from the same fixed-order dot product as the Gram entries. */
  final double[] variance;
  /** √q of each row. */
  final double[] root;
  /** |scaled row|², in double and in the fixed order of {@link Gram#dot}. */
  final double[] squaredNorm;

  private ScaledRows(
      int n, int d, double[] rows, float[] floatRows, double[] factor, double[] variance, double[] squaredNorm) {
    this.n = n;
    this.d = d;
    this.rows = rows;
    this.floatRows = floatRows;
    this.factor = factor;
    this.variance = variance;
    this.squaredNorm = squaredNorm;
    this.root = new double[n];
    for (int i = 0; i < n; i++) {
      root[i] = Math.sqrt(variance[i]);
    }
  }

  /**
   * Prepares {@code x} (row-major n×d, not modified).
   *
   * @param name the set's name in error messages
   * @throws IllegalArgumentException when a row's variance overflows double precision
   */
  public static ScaledRows of(double[] x, int n, int d, boolean float32, String name) {
    int[] e = new int[n];
    boolean asIs = !float32;
    for (int i = 0; i < n; i++) {
      e[i] = exponent(MatrixBridge.maxAbs(x, i * d, d));
      asIs &= Math.abs(e[i]) <= AS_IS_EXPONENT;
    }
    double[] f = new double[n];
    double[] a;
    if (asIs) {
      // Every row within 2^±256: no product or sum of the Gram can overflow, and underflow can only
      // touch terms below 2^-500 of the rows' norms, so the rows are used as they are (shared, never
      // written) and no copy is made.
      a = x;
      java.util.Arrays.fill(f, 1.0);
    } else {
      a = new double[x.length];
      for (int i = 0; i < n; i++) {
        f[i] = scaleRow(x, a, i * d, d, e[i]);
      }
    }
    float[] af = null;
    if (float32) {
      af = new float[a.length];
      for (int k = 0; k < a.length; k++) {
        af[k] = (float) a[k];
        a[k] = af[k];
      }
    }
    double[] q = new double[n];
    double[] norm2 = new double[n];
    for (int i = 0; i < n; i++) {
      norm2[i] = Gram.dot(a, i * d, a, i * d, d);
      // float32: the variance comes from the float dot, like the Gram entries it is compared with.
      double g = float32 ? Gram.dot(af, i * d, af, i * d, d) : norm2[i];
      q[i] = g / d * f[i] * f[i];
      if (!Double.isFinite(q[i])) {
        throw new IllegalArgumentException(
            name + ": row " + i + " has a squared norm |x|^2/d that overflows double precision; rescale the inputs");
      }
    }
    return new ScaledRows(n, d, a, af, f, q, norm2);
  }

  /**
   * Largest |exponent| of a row's largest magnitude for which a float64 set is used unscaled: 2⁵¹⁴·d
   * cannot overflow, and 2⁻⁵¹² is far above the subnormal range.
   */
  static final int AS_IS_EXPONENT = 256;

  /** The binary exponent of m ≥ 0 (subnormals included), 0 for m = 0. */
  private static int exponent(double m) {
    if (m == 0) {
      return 0;
    }
    int e = Math.getExponent(m);
    return e < Double.MIN_EXPONENT ? Math.getExponent(m * 0x1p60) - 60 : e;
  }

  /** Scales the row x[at, at + d) into a by 2^−e and returns 2^e. */
  private static double scaleRow(double[] x, double[] a, int at, int d, int e) {
    if (Math.abs(e) <= 512) {
      // Math.scalb by at most 2^512 is this one multiplication (exact, or one rounding if subnormal).
      double scale = Math.scalb(1.0, -e);
      for (int k = 0; k < d; k++) {
        a[at + k] = x[at + k] * scale;
      }
    } else {
      for (int k = 0; k < d; k++) {
        a[at + k] = Math.scalb(x[at + k], -e);
      }
    }
    return Math.scalb(1.0, e);
  }

  /** Number of rows. */
  public int count() {
    return n;
  }

  /** Scaled rows, row-major n×d (read only; float-rounded values in float32 mode). */
  public double[] rows() {
    return rows;
  }

  /** The per-row factors 2^e that undo the scaling (read only). */
  public double[] factors() {
    return factor;
  }

  /** q = |x|²/d of each row (read only). */
  public double[] variances() {
    return variance;
  }

  /** |scaled row|² of each row (read only). */
  public double[] squaredNorms() {
    return squaredNorm;
  }

  /** The scaled rows transposed (d×n), for the second operand of the Gram product. */
  double[] transposed() {
    return Gram.transpose(rows, n, d);
  }

  /** The float rows transposed (d×n); float32 mode only. */
  float[] transposedFloat() {
    return Gram.transpose(floatRows, n, d);
  }

  /** Scaled row i of this set · scaled row j of {@code other}, in the fixed order, in double. */
  double dot(int i, ScaledRows other, int j) {
    return Gram.dot(rows, i * d, other.rows, j * d, d);
  }
}
