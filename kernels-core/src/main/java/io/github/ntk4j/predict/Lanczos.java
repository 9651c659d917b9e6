package io.github.ntk4j.predict;

import io.github.ntk4j.internal.Gram;
import io.github.ntk4j.internal.LinearAlgebra;
import java.util.SplittableRandom;

/**
 * The largest eigenvalue of a symmetric matrix by the Lanczos iteration with full
 * reorthogonalization, from a fixed pseudo-random start (so the result is deterministic): one
 * product A·v per step instead of an eigendecomposition's O(n³).
 *
 * <p>After k steps the largest Ritz value θ (the top eigenvalue of the k×k tridiagonal T_k) is at
 * most λ_max, and some eigenvalue of A lies within the residual ‖A·y − θ·y‖ = |β_k·s_k| of it (s_k the
 * last component of T_k's top eigenvector). The iteration stops when that bound falls below
 * 1e-14·|θ| and returns θ plus the bound, an upper estimate of λ_max. The top of a kernel's spectrum
 * is usually well separated (the constant mode), so a few dozen steps suffice; clustered tops take
 * more, up to {@link #MAX_STEPS}.
 */
final class Lanczos {
  /** Most Lanczos steps (the iteration also stops when the Krylov space is exhausted). */
  static final int MAX_STEPS = 300;

  private Lanczos() {}

  /**
   * An upper estimate of the largest eigenvalue of the symmetric row-major n×n {@code a}, within
   * about 1e-14 of its magnitude; null when {@link #MAX_STEPS} steps do not reach that.
   */
  static Double largestEigenvalue(double[] a, int n) {
    int steps = Math.min(n, MAX_STEPS);
    double[][] basis = new double[steps + 1][];
    double[] alpha = new double[steps];
    double[] beta = new double[steps];
    double[] v = new double[n];
    SplittableRandom r = new SplittableRandom(0x5eed);
    for (int i = 0; i < n; i++) {
      v[i] = r.nextDouble() - 0.5;
    }
    scale(v, 1 / norm(v));
    basis[0] = v;
    for (int k = 0; k < steps; k++) {
      double[] w = LinearAlgebra.multiply(a, n, n, basis[k], 1);
      alpha[k] = dot(w, basis[k]);
      // Full reorthogonalization, twice: the basis stays orthonormal to rounding level.
      for (int pass = 0; pass < 2; pass++) {
        for (int j = 0; j <= k; j++) {
          axpy(w, -dot(w, basis[j]), basis[j]);
        }
      }
      beta[k] = norm(w);
      int size = k + 1;
      boolean last = beta[k] == 0 || size == steps;
      if (!last && size > 20 && size % 5 != 0) { // the small eigenproblem every step early, then every fifth
        scale(w, 1 / beta[k]);
        basis[k + 1] = w;
        continue;
      }
      double[] t = new double[size * size];
      for (int i = 0; i < size; i++) {
        t[i * size + i] = alpha[i];
        if (i + 1 < size) {
          t[i * size + i + 1] = beta[i];
          t[(i + 1) * size + i] = beta[i];
        }
      }
      LinearAlgebra.Eigen e = LinearAlgebra.eigen(t, size, true);
      if (e == null) {
        return null;
      }
      double theta = e.values()[size - 1];
      double component = e.vectors()[(size - 1) * size + (size - 1)]; // last entry of the top Ritz vector
      double bound = Math.abs(beta[k] * component);
      if (bound <= 1e-14 * Math.abs(theta) || beta[k] == 0 || size == n) {
        return theta + bound;
      }
      if (last) {
        return null;
      }
      scale(w, 1 / beta[k]);
      basis[k + 1] = w;
    }
    return null;
  }

  private static double dot(double[] x, double[] y) {
    return Gram.dot(x, 0, y, 0, x.length);
  }

  private static double norm(double[] x) {
    return Math.sqrt(dot(x, x));
  }

  private static void scale(double[] x, double c) {
    for (int i = 0; i < x.length; i++) {
      x[i] *= c;
    }
  }

  private static void axpy(double[] y, double c, double[] x) {
    for (int i = 0; i < y.length; i++) {
      y[i] += c * x[i];
    }
  }
}
