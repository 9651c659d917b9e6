package io.github.ntk4j.internal;

/**
 * Dense products for finite-width networks, on row-major arrays, through the fixed-order
 * {@link Gram} kernel (so results are reproducible bit for bit). Single-threaded.
 */
public final class Products {
  private Products() {}

  /** A·Bᵀ for A (n×k) and B (m×k): the n×m matrix of row dot products. */
  public static double[] timesTransposed(double[] a, int n, int k, double[] b, int m) {
    return times(a, n, k, Gram.transpose(b, m, k), m);
  }

  /** A·C for A (n×k) and C (k×m). */
  public static double[] times(double[] a, int n, int k, double[] c, int m) {
    double[] g = new double[n * m];
    if (n > 0 && m > 0) {
      Gram.tile(a, k, c, m, 0, n, 0, m, g);
    }
    return g;
  }

  /** The transpose (k×n) of the row-major n×k matrix {@code a}. */
  public static double[] transpose(double[] a, int n, int k) {
    return Gram.transpose(a, n, k);
  }
}
