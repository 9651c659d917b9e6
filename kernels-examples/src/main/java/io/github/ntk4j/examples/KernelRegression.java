package io.github.ntk4j.examples;

import io.github.ntk4j.Matrix;

/**
 * Kernel ridge regression for the demo: solves (K + r·mean(diag K)·I)·α = Y by Cholesky and predicts
 * K*·α. Small and dense; the library's prediction API replaces it when it lands.
 */
final class KernelRegression {
  private KernelRegression() {}

  /** Mean predictions (m×c) for test kernel {@code ktd} (m×n), train kernel {@code kdd} (n×n), targets y (n×c). */
  static double[][] predict(Matrix kdd, Matrix ktd, double[][] y, double reg) {
    int n = kdd.rows();
    double[] a = kdd.toRowMajorArray();
    double mean = 0;
    for (int i = 0; i < n; i++) {
      mean += a[i * n + i];
    }
    mean /= n;
    for (int i = 0; i < n; i++) {
      a[i * n + i] += reg * mean;
    }
    // Cholesky, lower triangle in place.
    for (int j = 0; j < n; j++) {
      double s = a[j * n + j];
      for (int k = 0; k < j; k++) {
        s -= a[j * n + k] * a[j * n + k];
      }
      if (!(s > 0)) {
        throw new IllegalStateException("training kernel is not positive definite; raise the regularizer");
      }
      double l = Math.sqrt(s);
      a[j * n + j] = l;
      for (int i = j + 1; i < n; i++) {
        double t = a[i * n + j];
        for (int k = 0; k < j; k++) {
          t -= a[i * n + k] * a[j * n + k];
        }
        a[i * n + j] = t / l;
      }
    }
    int c = y[0].length;
    double[][] alpha = new double[n][c];
    for (int col = 0; col < c; col++) {
      double[] z = new double[n];
      for (int i = 0; i < n; i++) {
        double t = y[i][col];
        for (int k = 0; k < i; k++) {
          t -= a[i * n + k] * z[k];
        }
        z[i] = t / a[i * n + i];
      }
      for (int i = n - 1; i >= 0; i--) {
        double t = z[i];
        for (int k = i + 1; k < n; k++) {
          t -= a[k * n + i] * alpha[k][col];
        }
        alpha[i][col] = t / a[i * n + i];
      }
    }
    int m = ktd.rows();
    double[][] pred = new double[m][c];
    for (int i = 0; i < m; i++) {
      for (int k = 0; k < n; k++) {
        double kv = ktd.get(i, k);
        for (int col = 0; col < c; col++) {
          pred[i][col] += kv * alpha[k][col];
        }
      }
    }
    return pred;
  }
}
