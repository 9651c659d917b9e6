package io.github.ntk4j.internal;

/**
 * Gauss–Hermite rules for ∫ e^{−x²}·g(x) dx ≈ Σ wₖ·g(xₖ), by the Golub–Welsch method: the nodes are
 * the eigenvalues of the symmetric tridiagonal Jacobi matrix with off-diagonal √(k/2), the weights
 * √π times the squared first components of its eigenvectors.
 */
public final class GaussHermite {
  private GaussHermite() {}

  /**
   * The rule of order n (exact for polynomials of degree up to 2n − 1).
   *
   * @return {nodes, weights}, nodes ascending
   */
  public static double[][] rule(int n) {
    double[] j = new double[n * n];
    for (int k = 1; k < n; k++) {
      double b = Math.sqrt(k / 2.0);
      j[(k - 1) * n + k] = b;
      j[k * n + k - 1] = b;
    }
    LinearAlgebra.Eigen e = LinearAlgebra.eigen(j, n, true);
    double[] nodes = new double[n];
    double[] weights = new double[n];
    for (int i = 0; i < n; i++) {
      nodes[i] = e.values()[i];
      double v0 = e.vectors()[i];
      weights[i] = Math.sqrt(Math.PI) * v0 * v0;
    }
    // Symmetrize: the exact rule is symmetric about 0.
    for (int i = 0; i < n / 2; i++) {
      double x = (nodes[n - 1 - i] - nodes[i]) / 2;
      double w = (weights[i] + weights[n - 1 - i]) / 2;
      nodes[i] = -x;
      nodes[n - 1 - i] = x;
      weights[i] = w;
      weights[n - 1 - i] = w;
    }
    if (n % 2 == 1) {
      nodes[n / 2] = 0;
    }
    return new double[][] {nodes, weights};
  }
}
