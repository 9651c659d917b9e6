package io.github.ntk4j.featurelearning;

import io.github.ntk4j.Matrix;
import io.github.ntk4j.NumericalException;
import io.github.ntk4j.internal.LinearAlgebra;
import io.github.ntk4j.internal.MatrixBridge;
import io.github.ntk4j.internal.Products;
import java.util.Objects;

/**
 * Shared input handling of the feature-learning limits: checks of a training set with one target
 * column and a test set, their joint array, the input Gram matrix x·x'/D and its eigendecomposition.
 */
final class Inputs {
  private Inputs() {}

  /** Throws with a message naming the problem unless x (P×D), y (P×1) and xTest (P*×D) are finite and fit. */
  static void check(Matrix x, Matrix y, Matrix xTest) {
    Objects.requireNonNull(x, "x");
    Objects.requireNonNull(y, "y");
    Objects.requireNonNull(xTest, "xTest");
    MatrixBridge.requireFinite(x, "x", "inputs must be finite numbers");
    if (xTest.rows() > 0 && xTest.cols() != x.cols()) {
      throw new IllegalArgumentException("xTest must have " + x.cols() + " columns like x, got " + xTest.rows() + "x" + xTest.cols());
    }
    MatrixBridge.requireFinite(xTest, "xTest", "inputs must be finite numbers");
    if (y.rows() != x.rows() || y.cols() != 1) {
      throw new IllegalArgumentException("y must be " + x.rows() + "x1 (one target per training input), got " + y.rows() + "x" + y.cols());
    }
    MatrixBridge.requireFinite(y, "y", "targets must be finite numbers");
  }

  /** The rows of x, then those of xTest, row-major (P + P*)×D. */
  static double[] joint(Matrix x, Matrix xTest) {
    int p = x.rows();
    int d = x.cols();
    double[] all = new double[(p + xTest.rows()) * d];
    System.arraycopy(x.toRowMajorArray(), 0, all, 0, p * d);
    if (xTest.rows() > 0) {
      System.arraycopy(xTest.toRowMajorArray(), 0, all, p * d, xTest.rows() * d);
    }
    return all;
  }

  /** The input Gram matrix A·Bᵀ/D of the rows of a (n×D) and b (m×D), n×m row-major. */
  static double[] gram(double[] a, int n, double[] b, int m, int d) {
    double[] g = Products.timesTransposed(a, n, d, b, m);
    for (int i = 0; i < g.length; i++) {
      g[i] /= d;
    }
    return g;
  }

  /**
   * The eigendecomposition of the symmetric n×n Gram matrix c (values ascending, eigenvectors as
   * columns), with eigenvalues at rounding level, λ ≤ n·ε·λ_max, set to 0. Throws, naming c, when an
   * eigenvalue is below −10⁻⁸·λ_max: c is then not positive semidefinite.
   */
  static LinearAlgebra.Eigen clippedEigen(double[] c, int n, String name) {
    LinearAlgebra.Eigen eig = LinearAlgebra.eigen(c, n, true);
    if (eig == null) {
      throw new NumericalException("the eigendecomposition of the input Gram matrix did not converge");
    }
    double[] values = eig.values();
    double lmax = Math.max(0, values[n - 1]);
    if (values[0] < -1e-8 * Math.max(lmax, Double.MIN_NORMAL)) {
      throw new IllegalArgumentException(
          name + " must be positive semidefinite; its smallest eigenvalue is " + values[0] + " (largest " + lmax + ")");
    }
    double cutoff = n * 0x1p-52 * lmax;
    double[] clipped = new double[n];
    for (int i = 0; i < n; i++) {
      clipped[i] = values[i] > cutoff ? values[i] : 0;
    }
    return new LinearAlgebra.Eigen(n, clipped, eig.vectors());
  }
}
