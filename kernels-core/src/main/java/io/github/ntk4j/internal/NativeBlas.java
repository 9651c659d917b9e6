package io.github.ntk4j.internal;

import dev.ludovic.netlib.blas.BLAS;
import dev.ludovic.netlib.blas.NativeBLAS;

/**
 * The system's native BLAS (e.g. OpenBLAS from {@code apt-get install libopenblas0}) through {@code
 * dev.ludovic.netlib}, for the Gram product of the CPU backend. When it cannot be loaded, or with
 * {@code -Dntk4j.noNativeBlas=true}, {@link #available()} is false and the backend keeps its
 * pure-Java Gram product ({@link Gram}), which is faster than netlib's own Java fallback.
 */
public final class NativeBlas {
  private static final BLAS BLAS_INSTANCE = load();

  private NativeBlas() {}

  private static BLAS load() {
    return NativeLibraries.load("BLAS", "ntk4j.noNativeBlas", "dev.ludovic.netlib.blas.InstanceBuilder",
        "dev.ludovic.netlib.blas.JNIBLAS", BLAS.class, NativeBLAS::getInstance);
  }


  /** Whether a native BLAS was loaded. */
  public static boolean available() {
    return BLAS_INSTANCE != null;
  }

  /** What computes the Gram product, for {@code ntk4j info} and provenance. */
  public static String describe() {
    return available() ? "native BLAS dgemm (dev.ludovic.netlib)" : "pure Java";
  }

  /**
   * g[(i − i0)·w + (j − j0)] = a_i · b_j for i in [i0, i0 + m), j in [j0, j0 + w), by one dgemm:
   * row-major G (m×w) is column-major Gᵀ = B_blockᵀ·A_block with both blocks read in place.
   *
   * @param a first set, row-major n1×d (not modified)
   * @param b second set, row-major n2×d (not modified)
   * @param g output, at least m·w (modified)
   */
  static void tile(double[] a, double[] b, int d, int i0, int m, int j0, int w, double[] g) {
    tile(a, b, d, i0, m, j0, w, g, 0, w);
  }

  /**
   * As {@link #tile(double[], double[], int, int, int, int, int, double[])}, into g at
   * {@code offset + (i − i0)·stride + (j − j0)}: a block of a larger row-major matrix.
   */
  static void tile(double[] a, double[] b, int d, int i0, int m, int j0, int w, double[] g, int offset, int stride) {
    BLAS_INSTANCE.dgemm("T", "N", w, m, d, 1.0, b, j0 * d, d, a, i0 * d, d, 0.0, g, offset, stride);
  }

  /** C = A·B for row-major A (r×k) and B (k×c): in column-major terms Cᵀ = Bᵀ·Aᵀ. */
  static double[] multiply(double[] a, int r, int k, double[] b, int c) {
    double[] out = new double[r * c];
    if (r > 0 && c > 0 && k > 0) {
      BLAS_INSTANCE.dgemm("N", "N", c, r, k, 1.0, b, 0, c, a, 0, k, 0.0, out, 0, c);
    }
    return out;
  }

  /**
   * Cᵀ = Bᵀ·A (c×n, row-major) for a symmetric row-major A (n×n) and Bᵀ given row-major (c×n), i.e.
   * the columns of A·B stored one after another. In column-major terms this is A·B with A on the
   * left (A is its own transpose): the layout OpenBLAS runs fastest for a thin B, about a quarter
   * faster than {@link #multiply} with A on the right (0.38 against 0.49 s at n = 20,000, c = 10).
   */
  static double[] symmetricTimesColumns(double[] a, int n, double[] bt, int c) {
    double[] out = new double[n * c];
    if (n > 0 && c > 0) {
      BLAS_INSTANCE.dgemm("N", "N", n, c, n, 1.0, a, 0, n, bt, 0, n, 0.0, out, 0, n);
    }
    return out;
  }

  /** C = Aᵀ·B for row-major A (k×r) and B (k×c): in column-major terms Cᵀ = Bᵀ·A. */
  static double[] multiplyTransposeA(double[] a, int k, int r, double[] b, int c) {
    double[] out = new double[r * c];
    if (r > 0 && c > 0 && k > 0) {
      BLAS_INSTANCE.dgemm("N", "T", c, r, k, 1.0, b, 0, c, a, 0, r, 0.0, out, 0, c);
    }
    return out;
  }
}
