package io.github.ntk4j.internal;

import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.CommonOps_DDRM;
import org.ejml.dense.row.factory.DecompositionFactory_DDRM;
import org.ejml.interfaces.decomposition.CholeskyDecomposition_F64;
import org.ejml.interfaces.decomposition.EigenDecomposition_F64;

/**
 * Dense symmetric linear algebra for predictions, on row-major {@code double[]} arrays. The system's
 * native LAPACK does the Cholesky and eigendecompositions when it can be loaded ({@link
 * NativeLapack}), EJML otherwise and for the products (single-threaded); no EJML or netlib type
 * leaves this class.
 */
public final class LinearAlgebra {
  private LinearAlgebra() {}

  /**
   * Which library factorizes: "native LAPACK" when {@code dev.ludovic.netlib} found the system's
   * LAPACK (e.g. OpenBLAS), else "EJML (pure Java)". Set {@code -Dntk4j.noNativeLapack=true} to force
   * EJML.
   */
  public static String backend() {
    return NativeLapack.available() ? "native LAPACK (dev.ludovic.netlib)" : "EJML (pure Java)";
  }

  /** A symmetric eigendecomposition A = V·diag(values)·Vᵀ, eigenvalues ascending. */
  public record Eigen(int n, double[] values, double[] vectors) {}

  /**
   * The lower Cholesky factor L (row-major, upper triangle zero) of the symmetric matrix {@code a}
   * (not modified), or {@code null} when a pivot is not positive or is at rounding level: L_ii² ≤
   * n·ε·max_j a_jj, the sign that the matrix is numerically singular. {@code failedPivot[0]} then
   * receives the index of the offending pivot (-1 when the decomposition itself failed).
   */
  public static double[] cholesky(double[] a, int n, int[] failedPivot) {
    return cholesky(a, n, failedPivot, NativeLapack.available());
  }

  /**
   * {@link #cholesky(double[], int, int[])} that may overwrite {@code a} (it becomes the factor on
   * the native route), so that factoring an n×n matrix needs no second n×n array.
   */
  public static double[] choleskyInPlace(double[] a, int n, int[] failedPivot) {
    return cholesky(a, n, failedPivot, NativeLapack.available(), true);
  }

  /** {@link #cholesky(double[], int, int[])} on the chosen route (native LAPACK or EJML). */
  static double[] cholesky(double[] a, int n, int[] failedPivot, boolean nativeRoute) {
    return cholesky(a, n, failedPivot, nativeRoute, false);
  }

  private static double[] cholesky(double[] a, int n, int[] failedPivot, boolean nativeRoute, boolean overwrite) {
    // The rounding floor of the pivots, taken before a native factorization overwrites a.
    double maxDiag = 0;
    for (int i = 0; i < n; i++) {
      maxDiag = Math.max(maxDiag, a[i * n + i]);
    }
    double[] l;
    if (nativeRoute) {
      l = NativeLapack.cholesky(overwrite ? a : a.clone(), n, failedPivot);
      if (l == null) {
        return null;
      }
    } else {
      DMatrixRMaj m = DMatrixRMaj.wrap(n, n, a.clone());
      CholeskyDecomposition_F64<DMatrixRMaj> chol = DecompositionFactory_DDRM.chol(n, true);
      if (!chol.decompose(m)) {
        failedPivot[0] = -1;
        return null;
      }
      l = chol.getT(null).data;
    }
    double floor = n * Math.ulp(1.0) * maxDiag;
    for (int i = 0; i < n; i++) {
      double p = l[i * n + i];
      if (!(p * p > floor)) {
        failedPivot[0] = i;
        return null;
      }
    }
    return l;
  }

  /**
   * A lower-triangular L with L·Lᵀ ≈ A for a symmetric positive semi-definite {@code a} (not
   * modified), never failing on singular matrices: a pivot below {@code relativeFloor}·a_jj (a
   * column that depends on the earlier ones, e.g. a duplicated point) gets a zero column. Row i of
   * L only depends on the leading (i+1)×(i+1) block of A, so appending points never changes the
   * factor of the earlier ones. Used to sample N(0, A) as L·g.
   */
  public static double[] semidefiniteCholesky(double[] a, int n, double relativeFloor) {
    double[] l = new double[n * n];
    for (int j = 0; j < n; j++) {
      double sum = a[j * n + j] - Gram.dot(l, j * n, l, j * n, j);
      if (!(sum > relativeFloor * a[j * n + j])) {
        continue; // column j stays zero
      }
      double pivot = Math.sqrt(sum);
      l[j * n + j] = pivot;
      for (int i = j + 1; i < n; i++) {
        l[i * n + j] = (a[i * n + j] - Gram.dot(l, i * n, l, j * n, j)) / pivot;
      }
    }
    return l;
  }

  /**
   * Solves (L·Lᵀ)·X = B in place for the {@code cols} columns of the row-major n×cols matrix
   * {@code b}: forward substitution with L, then back substitution with Lᵀ.
   */
  public static void choleskySolve(double[] l, int n, double[] b, int cols) {
    for (int i = 0; i < n; i++) {
      int bi = i * cols;
      for (int k = 0; k < i; k++) {
        double lik = l[i * n + k];
        if (lik != 0) {
          int bk = k * cols;
          for (int c = 0; c < cols; c++) {
            b[bi + c] -= lik * b[bk + c];
          }
        }
      }
      double inv = 1 / l[i * n + i];
      for (int c = 0; c < cols; c++) {
        b[bi + c] *= inv;
      }
    }
    for (int i = n - 1; i >= 0; i--) {
      int bi = i * cols;
      for (int k = i + 1; k < n; k++) {
        double lki = l[k * n + i];
        if (lki != 0) {
          int bk = k * cols;
          for (int c = 0; c < cols; c++) {
            b[bi + c] -= lki * b[bk + c];
          }
        }
      }
      double inv = 1 / l[i * n + i];
      for (int c = 0; c < cols; c++) {
        b[bi + c] *= inv;
      }
    }
  }

  /**
   * The symmetric eigendecomposition of {@code a} (not modified); {@code null} if the iteration did
   * not converge.
   */
  public static Eigen eigen(double[] a, int n, boolean vectors) {
    return eigen(a, n, vectors, NativeLapack.available());
  }

  /**
   * {@link #eigen(double[], int, boolean)} that may overwrite {@code a} (on the native route it
   * becomes the eigenvectors), so that no second n×n array is needed besides LAPACK's workspace.
   */
  public static Eigen eigenInPlace(double[] a, int n, boolean vectors) {
    return eigen(a, n, vectors, NativeLapack.available(), true);
  }

  /** {@link #eigen(double[], int, boolean)} on the chosen route (native LAPACK or EJML). */
  static Eigen eigen(double[] a, int n, boolean vectors, boolean nativeRoute) {
    return eigen(a, n, vectors, nativeRoute, false);
  }

  private static Eigen eigen(double[] a, int n, boolean vectors, boolean nativeRoute, boolean overwrite) {
    if (nativeRoute) {
      return NativeLapack.eigen(overwrite ? a : a.clone(), n, vectors);
    }
    DMatrixRMaj m = DMatrixRMaj.wrap(n, n, overwrite ? a : a.clone());
    EigenDecomposition_F64<DMatrixRMaj> eig = DecompositionFactory_DDRM.eig(n, vectors, true);
    if (!eig.decompose(m)) {
      return null;
    }
    Integer[] order = new Integer[n];
    double[] raw = new double[n];
    for (int i = 0; i < n; i++) {
      order[i] = i;
      raw[i] = eig.getEigenvalue(i).real;
    }
    java.util.Arrays.sort(order, (p, q) -> Double.compare(raw[p], raw[q]));
    double[] values = new double[n];
    double[] v = vectors ? new double[n * n] : null;
    for (int j = 0; j < n; j++) {
      int src = order[j];
      values[j] = raw[src];
      if (vectors) {
        double[] col = eig.getEigenVector(src).data;
        for (int i = 0; i < n; i++) {
          v[i * n + j] = col[i];
        }
      }
    }
    return new Eigen(n, values, v);
  }

  /** C = A·B for row-major A (r×k) and B (k×c); native BLAS when present. */
  public static double[] multiply(double[] a, int r, int k, double[] b, int c) {
    return multiply(a, r, k, b, c, NativeBlas.available());
  }

  static double[] multiply(double[] a, int r, int k, double[] b, int c, boolean nativeRoute) {
    if (nativeRoute) {
      return NativeBlas.multiply(a, r, k, b, c);
    }
    DMatrixRMaj out = new DMatrixRMaj(r, c);
    CommonOps_DDRM.mult(DMatrixRMaj.wrap(r, k, a), DMatrixRMaj.wrap(k, c, b), out);
    return out.data;
  }

  /**
   * (A·B)ᵀ = Bᵀ·A for a symmetric row-major A (n×n) and Bᵀ (c×n, row-major): each row of the result
   * is A times a column of B. Native BLAS when present.
   */
  public static double[] symmetricTimesColumns(double[] a, int n, double[] bt, int c) {
    return symmetricTimesColumns(a, n, bt, c, NativeBlas.available());
  }

  static double[] symmetricTimesColumns(double[] a, int n, double[] bt, int c, boolean nativeRoute) {
    if (nativeRoute) {
      return NativeBlas.symmetricTimesColumns(a, n, bt, c);
    }
    DMatrixRMaj out = new DMatrixRMaj(c, n);
    CommonOps_DDRM.mult(DMatrixRMaj.wrap(c, n, bt), DMatrixRMaj.wrap(n, n, a), out);
    return out.data;
  }

  /** C = Aᵀ·B for row-major A (k×r) and B (k×c); native BLAS when present. */
  public static double[] multiplyTransposeA(double[] a, int k, int r, double[] b, int c) {
    return multiplyTransposeA(a, k, r, b, c, NativeBlas.available());
  }

  static double[] multiplyTransposeA(double[] a, int k, int r, double[] b, int c, boolean nativeRoute) {
    if (nativeRoute) {
      return NativeBlas.multiplyTransposeA(a, k, r, b, c);
    }
    DMatrixRMaj out = new DMatrixRMaj(r, c);
    CommonOps_DDRM.multTransA(DMatrixRMaj.wrap(k, r, a), DMatrixRMaj.wrap(k, c, b), out);
    return out.data;
  }
}
