package io.github.ntk4j.predict;

/**
 * Independent routes to the prediction formulas, sharing no code with the library: a dense
 * Gauss–Jordan solve with partial pivoting, and fourth-order Runge–Kutta integration of the
 * gradient-flow ODE. All matrices are {@code double[rows][cols]}.
 */
final class IndependentRoutes {
  private IndependentRoutes() {}

  /** X with A·X = B, by Gauss–Jordan elimination with partial pivoting. */
  static double[][] solve(double[][] a, double[][] b) {
    int n = a.length;
    int c = b[0].length;
    double[][] m = new double[n][n + c];
    for (int i = 0; i < n; i++) {
      System.arraycopy(a[i], 0, m[i], 0, n);
      System.arraycopy(b[i], 0, m[i], n, c);
    }
    for (int col = 0; col < n; col++) {
      int pivot = col;
      for (int r = col + 1; r < n; r++) {
        if (Math.abs(m[r][col]) > Math.abs(m[pivot][col])) {
          pivot = r;
        }
      }
      double[] tmp = m[col];
      m[col] = m[pivot];
      m[pivot] = tmp;
      double p = m[col][col];
      for (int k = 0; k < n + c; k++) {
        m[col][k] /= p;
      }
      for (int r = 0; r < n; r++) {
        if (r != col && m[r][col] != 0) {
          double f = m[r][col];
          for (int k = 0; k < n + c; k++) {
            m[r][k] -= f * m[col][k];
          }
        }
      }
    }
    double[][] x = new double[n][c];
    for (int i = 0; i < n; i++) {
      System.arraycopy(m[i], n, x[i], 0, c);
    }
    return x;
  }

  static double[][] multiply(double[][] a, double[][] b) {
    double[][] c = new double[a.length][b[0].length];
    for (int i = 0; i < a.length; i++) {
      for (int k = 0; k < b.length; k++) {
        for (int j = 0; j < b[0].length; j++) {
          c[i][j] += a[i][k] * b[k][j];
        }
      }
    }
    return c;
  }

  static double[][] transpose(double[][] a) {
    double[][] t = new double[a[0].length][a.length];
    for (int i = 0; i < a.length; i++) {
      for (int j = 0; j < a[0].length; j++) {
        t[j][i] = a[i][j];
      }
    }
    return t;
  }

  /**
   * Integrates dz/dt = −(η/N)·J·(z_train − Y) from z(0) = z0 for {@code steps} RK4 steps up to time
   * t, where z stacks the n training outputs and the m test outputs (each with c columns) and J =
   * [Θ_dd + reg·I; Θ_td] is (n+m)×n. Returns z(t).
   */
  static double[][] integrate(double[][] joint, int n, double[][] y, double[][] z0, double rate, double time, int steps) {
    double h = time / steps;
    double[][] z = copy(z0);
    for (int s = 0; s < steps; s++) {
      double[][] k1 = derivative(joint, n, y, z, rate);
      double[][] k2 = derivative(joint, n, y, axpy(z, k1, h / 2), rate);
      double[][] k3 = derivative(joint, n, y, axpy(z, k2, h / 2), rate);
      double[][] k4 = derivative(joint, n, y, axpy(z, k3, h), rate);
      for (int i = 0; i < z.length; i++) {
        for (int j = 0; j < z[0].length; j++) {
          z[i][j] += h / 6 * (k1[i][j] + 2 * k2[i][j] + 2 * k3[i][j] + k4[i][j]);
        }
      }
    }
    return z;
  }

  private static double[][] derivative(double[][] joint, int n, double[][] y, double[][] z, double rate) {
    int c = z[0].length;
    double[][] d = new double[joint.length][c];
    for (int i = 0; i < joint.length; i++) {
      for (int k = 0; k < n; k++) {
        for (int j = 0; j < c; j++) {
          d[i][j] -= rate * joint[i][k] * (z[k][j] - (y == null ? 0 : y[k][j]));
        }
      }
    }
    return d;
  }

  private static double[][] axpy(double[][] z, double[][] k, double h) {
    double[][] r = copy(z);
    for (int i = 0; i < z.length; i++) {
      for (int j = 0; j < z[0].length; j++) {
        r[i][j] += h * k[i][j];
      }
    }
    return r;
  }

  static double[][] copy(double[][] a) {
    double[][] c = new double[a.length][];
    for (int i = 0; i < a.length; i++) {
      c[i] = a[i].clone();
    }
    return c;
  }
}
