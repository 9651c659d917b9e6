package io.github.ntk4j.internal;

import dev.ludovic.netlib.lapack.LAPACK;
import dev.ludovic.netlib.lapack.NativeLAPACK;
import org.netlib.util.intW;

/**
 * The system's native LAPACK (e.g. OpenBLAS from {@code apt-get install libopenblas0}) through
 * {@code dev.ludovic.netlib}, when it can be loaded; otherwise {@link #available()} is false and the
 * callers keep EJML. The pure-Java fallback of netlib is not used: EJML is faster than it here.
 *
 * <p>Arrays are row-major; LAPACK is column-major. For a symmetric matrix the two layouts hold the
 * same numbers, so the factorizations are called on the row-major array directly and their outputs
 * transposed where needed.
 */
final class NativeLapack {
  private static final LAPACK LAPACK_INSTANCE = load();

  private NativeLapack() {}

  private static LAPACK load() {
    return NativeLibraries.load("LAPACK", "ntk4j.noNativeLapack", "dev.ludovic.netlib.lapack.InstanceBuilder",
        "dev.ludovic.netlib.lapack.JNILAPACK", LAPACK.class, NativeLAPACK::getInstance);
  }


  /** Whether a native LAPACK was loaded. */
  static boolean available() {
    return LAPACK_INSTANCE != null;
  }

  /**
   * The lower Cholesky factor, row-major with a zero upper triangle, written over {@code a} (which
   * is returned), or null with the failing pivot (0-based) in {@code failedPivot[0]} when dpotrf
   * reports a non-positive pivot.
   */
  static double[] cholesky(double[] a, int n, int[] failedPivot) {
    double[] l = a;
    intW info = new intW(0);
    // Column-major "U" of the symmetric matrix is the row-major lower triangle: A = Uᵀ·U = L·Lᵀ.
    LAPACK_INSTANCE.dpotrf("U", n, l, Math.max(n, 1), info);
    if (info.val != 0) {
      failedPivot[0] = info.val > 0 ? info.val - 1 : -1;
      return null;
    }
    for (int i = 0; i < n; i++) {
      java.util.Arrays.fill(l, i * n + i + 1, i * n + n, 0.0);
    }
    return l;
  }

  /**
   * Eigenvalues ascending and, when asked, eigenvectors as columns of a row-major n×n matrix written
   * over {@code a}; null on failure.
   */
  static LinearAlgebra.Eigen eigen(double[] a, int n, boolean vectors) {
    double[] m = a;
    double[] w = new double[n];
    intW info = new intW(0);
    String jobz = vectors ? "V" : "N";
    double[] work = new double[1];
    int[] iwork = new int[1];
    LAPACK_INSTANCE.dsyevd(jobz, "U", n, m, Math.max(n, 1), w, work, -1, iwork, -1, info);
    if (info.val != 0) {
      return null;
    }
    work = new double[Math.max(1, (int) work[0])];
    iwork = new int[Math.max(1, iwork[0])];
    LAPACK_INSTANCE.dsyevd(jobz, "U", n, m, Math.max(n, 1), w, work, work.length, iwork, iwork.length, info);
    if (info.val != 0) {
      return null;
    }
    if (!vectors) {
      return new LinearAlgebra.Eigen(n, w, null);
    }
    // Column-major eigenvectors: m[j·n + i] is component i of vector j; return v[i·n + j], in place.
    for (int i = 0; i < n; i++) {
      for (int j = i + 1; j < n; j++) {
        double t = m[i * n + j];
        m[i * n + j] = m[j * n + i];
        m[j * n + i] = t;
      }
    }
    return new LinearAlgebra.Eigen(n, w, m);
  }
}
