package io.github.ntk4j.internal;

/**
 * The input Gram product x1ᵢ·x2ⱼ in pure Java, with one fixed order of operations for every entry.
 *
 * <p>Each dot product is accumulated over k in groups of four, {@code acc = acc + ((p0 + p1) +
 * (p2 + p3))}, then the remaining d mod 4 terms one at a time. The order depends only on k, never on
 * the entry's position in a tile, the tile size or the thread, so
 *
 * <ul>
 *   <li>a duplicated row gives exactly its squared norm, and a negated row exactly its negative
 *       (correlations of exactly ±1);
 *   <li>results are bit-for-bit the same for any tiling and thread count;
 *   <li>the norms computed by {@link #dot} agree bit for bit with the diagonal of the product.
 * </ul>
 *
 * The inner loops run over a contiguous row of the transposed second set, which the JIT compiles to
 * SIMD instructions; Java's strict IEEE semantics keep each lane's arithmetic identical to the
 * scalar {@link #dot}.
 */
public final class Gram {
  /** Depth of a k-chunk: the slice of the transposed second set kept in cache. */
  private static final int KC = 128;

  private Gram() {}

  /** x·y over {@code d} entries starting at {@code xo} and {@code yo}, in the fixed order. */
  public static double dot(double[] x, int xo, double[] y, int yo, int d) {
    int d4 = d & ~3;
    double acc = 0;
    for (int k = 0; k < d4; k += 4) {
      acc = acc + ((x[xo + k] * y[yo + k] + x[xo + k + 1] * y[yo + k + 1])
          + (x[xo + k + 2] * y[yo + k + 2] + x[xo + k + 3] * y[yo + k + 3]));
    }
    for (int k = d4; k < d; k++) {
      acc = acc + x[xo + k] * y[yo + k];
    }
    return acc;
  }

  /** Float version of {@link #dot}, same order. */
  public static float dot(float[] x, int xo, float[] y, int yo, int d) {
    int d4 = d & ~3;
    float acc = 0;
    for (int k = 0; k < d4; k += 4) {
      acc = acc + ((x[xo + k] * y[yo + k] + x[xo + k + 1] * y[yo + k + 1])
          + (x[xo + k + 2] * y[yo + k + 2] + x[xo + k + 3] * y[yo + k + 3]));
    }
    for (int k = d4; k < d; k++) {
      acc = acc + x[xo + k] * y[yo + k];
    }
    return acc;
  }

  /** The d×n transpose of a row-major n×d matrix. */
  public static double[] transpose(double[] a, int n, int d) {
    double[] t = new double[a.length];
    for (int i = 0; i < n; i++) {
      for (int k = 0; k < d; k++) {
        t[k * n + i] = a[i * d + k];
      }
    }
    return t;
  }

  /** The d×n transpose of a row-major n×d matrix. */
  public static float[] transpose(float[] a, int n, int d) {
    float[] t = new float[a.length];
    for (int i = 0; i < n; i++) {
      for (int k = 0; k < d; k++) {
        t[k * n + i] = a[i * d + k];
      }
    }
    return t;
  }

  /**
   * g[(i − i0)·w + (j − j0)] = a_i · b_j for i in [i0, i1), j in [j0, j0 + w).
   *
   * @param a first set, row-major n1×d (not modified)
   * @param bt second set transposed, d×n2 (not modified)
   * @param g output tile (modified)
   */
  public static void tile(double[] a, int d, double[] bt, int n2, int i0, int i1, int j0, int w, double[] g) {
    java.util.Arrays.fill(g, 0, (i1 - i0) * w, 0.0);
    int d4 = d & ~3;
    for (int kc = 0; kc < d4; kc += KC) {
      int kEnd = Math.min(kc + KC, d4);
      int i = i0;
      for (; i + 1 < i1; i += 2) {
        int r0 = (i - i0) * w;
        int r1 = r0 + w;
        int ai = i * d;
        int aj = ai + d;
        for (int k = kc; k < kEnd; k += 4) {
          double a00 = a[ai + k], a01 = a[ai + k + 1], a02 = a[ai + k + 2], a03 = a[ai + k + 3];
          double a10 = a[aj + k], a11 = a[aj + k + 1], a12 = a[aj + k + 2], a13 = a[aj + k + 3];
          rowPair(g, r0, r1, bt, k * n2 + j0, n2, w, a00, a01, a02, a03, a10, a11, a12, a13);
        }
      }
      for (; i < i1; i++) {
        int r0 = (i - i0) * w;
        int ai = i * d;
        for (int k = kc; k < kEnd; k += 4) {
          double a00 = a[ai + k], a01 = a[ai + k + 1], a02 = a[ai + k + 2], a03 = a[ai + k + 3];
          int b0 = k * n2 + j0;
          int b1 = b0 + n2;
          int b2 = b1 + n2;
          int b3 = b2 + n2;
          for (int j = 0; j < w; j++) {
            g[r0 + j] = g[r0 + j] + ((a00 * bt[b0 + j] + a01 * bt[b1 + j]) + (a02 * bt[b2 + j] + a03 * bt[b3 + j]));
          }
        }
      }
    }
    for (int k = d4; k < d; k++) {
      int b0 = k * n2 + j0;
      for (int i = i0; i < i1; i++) {
        double ak = a[i * d + k];
        int r0 = (i - i0) * w;
        for (int j = 0; j < w; j++) {
          g[r0 + j] = g[r0 + j] + ak * bt[b0 + j];
        }
      }
    }
  }

  /**
   * g[r0 + j] += a0·x(j) and g[r1 + j] += a1·x(j) for j in [0, w), x(j) the four rows of bt starting
   * at b0 with stride n2. A method of its own, called once per row pair and k-group, so that the
   * JIT compiles it early instead of waiting for on-stack replacement of the whole loop nest.
   */
  private static void rowPair(
      double[] g, int r0, int r1, double[] bt, int b0, int n2, int w,
      double a00, double a01, double a02, double a03, double a10, double a11, double a12, double a13) {
    int b1 = b0 + n2;
    int b2 = b1 + n2;
    int b3 = b2 + n2;
    for (int j = 0; j < w; j++) {
      double x0 = bt[b0 + j], x1 = bt[b1 + j], x2 = bt[b2 + j], x3 = bt[b3 + j];
      g[r0 + j] = g[r0 + j] + ((a00 * x0 + a01 * x1) + (a02 * x2 + a03 * x3));
      g[r1 + j] = g[r1 + j] + ((a10 * x0 + a11 * x1) + (a12 * x2 + a13 * x3));
    }
  }

  /** Float version of {@link #rowPair(double[], int, int, double[], int, int, int, double, double, double, double, double, double, double, double)}. */
  private static void rowPair(
      float[] g, int r0, int r1, float[] bt, int b0, int n2, int w,
      float a00, float a01, float a02, float a03, float a10, float a11, float a12, float a13) {
    int b1 = b0 + n2;
    int b2 = b1 + n2;
    int b3 = b2 + n2;
    for (int j = 0; j < w; j++) {
      float x0 = bt[b0 + j], x1 = bt[b1 + j], x2 = bt[b2 + j], x3 = bt[b3 + j];
      g[r0 + j] = g[r0 + j] + ((a00 * x0 + a01 * x1) + (a02 * x2 + a03 * x3));
      g[r1 + j] = g[r1 + j] + ((a10 * x0 + a11 * x1) + (a12 * x2 + a13 * x3));
    }
  }

  /** Float version of {@link #tile}, same order. */
  public static void tile(float[] a, int d, float[] bt, int n2, int i0, int i1, int j0, int w, float[] g) {
    java.util.Arrays.fill(g, 0, (i1 - i0) * w, 0f);
    int d4 = d & ~3;
    for (int kc = 0; kc < d4; kc += KC) {
      int kEnd = Math.min(kc + KC, d4);
      int i = i0;
      for (; i + 1 < i1; i += 2) {
        int r0 = (i - i0) * w;
        int r1 = r0 + w;
        int ai = i * d;
        int aj = ai + d;
        for (int k = kc; k < kEnd; k += 4) {
          float a00 = a[ai + k], a01 = a[ai + k + 1], a02 = a[ai + k + 2], a03 = a[ai + k + 3];
          float a10 = a[aj + k], a11 = a[aj + k + 1], a12 = a[aj + k + 2], a13 = a[aj + k + 3];
          rowPair(g, r0, r1, bt, k * n2 + j0, n2, w, a00, a01, a02, a03, a10, a11, a12, a13);
        }
      }
      for (; i < i1; i++) {
        int r0 = (i - i0) * w;
        int ai = i * d;
        for (int k = kc; k < kEnd; k += 4) {
          float a00 = a[ai + k], a01 = a[ai + k + 1], a02 = a[ai + k + 2], a03 = a[ai + k + 3];
          int b0 = k * n2 + j0;
          int b1 = b0 + n2;
          int b2 = b1 + n2;
          int b3 = b2 + n2;
          for (int j = 0; j < w; j++) {
            g[r0 + j] = g[r0 + j] + ((a00 * bt[b0 + j] + a01 * bt[b1 + j]) + (a02 * bt[b2 + j] + a03 * bt[b3 + j]));
          }
        }
      }
    }
    for (int k = d4; k < d; k++) {
      int b0 = k * n2 + j0;
      for (int i = i0; i < i1; i++) {
        float ak = a[i * d + k];
        int r0 = (i - i0) * w;
        for (int j = 0; j < w; j++) {
          g[r0 + j] = g[r0 + j] + ak * bt[b0 + j];
        }
      }
    }
  }
}
