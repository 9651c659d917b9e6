package io.github.ntk4j.predict;

import io.github.ntk4j.internal.Gram;
import io.github.ntk4j.internal.LinearAlgebra;
import io.github.ntk4j.internal.Products;
import java.util.concurrent.CancellationException;

/**
 * The finite-time filter h(A)·R of a symmetric positive semidefinite A = K + reg·I without an
 * eigendecomposition: a Chebyshev expansion of h on an interval [a, b] that holds A's spectrum,
 * applied by the three-term recurrence, one product A·V (n×n by n×c) per degree.
 *
 * <p>With x = (2λ − a − b)/(b − a) and h(λ) ≈ Σ_{k&lt;m} c_k T_k(x), the recurrence T₀ = R,
 * T₁ = Ã·R, T_{k+1} = 2Ã·T_k − T_{k−1} for Ã = (2A − (a + b)I)/(b − a) gives h(A)·R ≈ Σ c_k T_k.
 * Every eigenvalue of Ã lies in [−1, 1], where |T_k| ≤ 1: the forward recurrence is stable and its
 * rounding grows at most linearly in k. The filters of kernels.md §7,
 * h(λ) = (1 − e^{−σλτ})/λ (σ = 1, or 2 for the covariance's doubled filter), are entire, so the
 * coefficients fall faster than geometrically once k exceeds about √(37·στ·(b − a)): the degree
 * depends on the training time, not on n. Several times share the products T_k (only the
 * coefficients differ), so a whole training curve costs the products of its longest time.
 *
 * <p>The cost is m products that each read A once (memory-bound for few columns), against about
 * 9n³ flops for a symmetric eigendecomposition: at n = 20,000 and moderate τ a few dozen products
 * replace a quarter of an hour of {@code dsyevd}.
 */
final class ChebyshevFilter {
  /** Largest number of sample points for the coefficients (degrees up to half of it). */
  static final int MAX_POINTS = 8192;
  /**
   * Coefficients below this fraction of h's largest value στ are dropped, or below 2ε·√(στ(b − a))
   * of it when that is larger. The sampled coefficients carry rounding from h's values near λ = 0,
   * where h changes by about στ·ε·στb when λ = mid + half·x moves by one rounding of b: averaged
   * over the nodes this gives a floor near 0.5ε·√(στb) of στ (about 1e-15 measured at τb = 2·10⁴).
   * The threshold sits well above it, and the dropped terms, falling faster than geometrically, sum
   * to about the same. The eigenvector route has the same sensitivity: its small eigenvalues carry
   * absolute errors of ε·‖K‖ too.
   */
  private static final double TAIL = 1e-15;

  private ChebyshevFilter() {}

  /** The filter h(λ) = (1 − e^{−σλτ})/λ (and στ at λ = 0), continued smoothly to λ &lt; 0. */
  static double filter(double lambda, double tau, int sigma) {
    double x = sigma * tau * lambda;
    return lambda == 0 || x == 0 ? sigma * tau : -Math.expm1(-x) / lambda;
  }

  /**
   * The Chebyshev coefficients c₀ … c_{m−1} of h(λ) = (1 − e^{−σλτ})/λ on [a, b], with m the
   * smallest degree after which every coefficient is below the rounding floor (see {@link #TAIL}); {@code null} when
   * that needs more than {@link #MAX_POINTS}/2 terms (a time too long for this route).
   *
   * <p>They come from h at N Chebyshev points x_j = cos(π(j + ½)/N) (N doubled until the last half
   * of the coefficients has decayed), c_k = (2/N)·Σ_j h(λ(x_j))·cos(πk(j + ½)/N), c₀ halved; the
   * cosines are read from one table of cos(πr/2N) by exact integer indexing.
   */
  static double[] coefficients(double a, double b, double tau, int sigma) {
    for (int points = 32; points <= MAX_POINTS; points *= 2) {
      double[] c = sampled(a, b, tau, sigma, points);
      double threshold = sigma * tau * Math.max(TAIL, 2 * Math.ulp(1.0) * Math.sqrt(sigma * tau * (b - a)));
      int degree = c.length;
      while (degree > 1 && Math.abs(c[degree - 1]) <= threshold) {
        degree--;
      }
      // Resolved when the last half is negligible: the aliasing of the dropped terms is then too.
      if (degree <= points / 2) {
        return java.util.Arrays.copyOf(c, degree);
      }
    }
    return null;
  }

  private static double[] sampled(double a, double b, double tau, int sigma, int points) {
    double half = 0.5 * (b - a);
    double mid = 0.5 * (a + b);
    int period = 4 * points;
    double[] cos = new double[period];
    for (int r = 0; r < period; r++) {
      cos[r] = Math.cos(Math.PI * r / (2.0 * points));
    }
    double[] values = new double[points];
    for (int j = 0; j < points; j++) {
      values[j] = filter(mid + half * cos[2 * j + 1], tau, sigma);
    }
    double[] c = new double[points];
    for (int k = 0; k < points; k++) {
      double sum = 0;
      // cos(πk(2j + 1)/2N) = cos[k(2j + 1) mod 4N], the index advanced by 2k per j.
      int index = k % period;
      int increment = (2 * k) % period;
      for (int j = 0; j < points; j++) {
        sum += values[j] * cos[index];
        index += increment;
        if (index >= period) {
          index -= period;
        }
      }
      c[k] = 2.0 * sum / points;
    }
    c[0] *= 0.5;
    return c;
  }

  /**
   * Σ_k c_k T_k(Ã)·R for each coefficient set: out[s] (n×cols, row-major) for {@code sets[s]}; or
   * null if some ‖T_k(Ã)·R‖ exceeds twice ‖R‖ (Frobenius norms). With A's spectrum in [a, b] every
   * |T_k| ≤ 1 on it, so that cannot happen: it means an eigenvalue outside the interval, along which
   * T_k grows geometrically, and the caller takes another route.
   *
   * @param kernel K, n×n row-major, symmetric (read only)
   * @param regularization reg, added to K's diagonal
   * @param a lower end of the interval, at or below A's smallest eigenvalue
   * @param b upper end, at or above A's largest eigenvalue
   * @param rhs R, n×cols (read only)
   * @param sets the coefficients of each filter
   * @throws CancellationException if the calling thread is interrupted
   */
  static double[][] apply(
      double[] kernel, int n, double regularization, double a, double b, double[] rhs, int cols, double[][] sets) {
    int degree = 0;
    for (double[] c : sets) {
      degree = Math.max(degree, c.length);
    }
    double alpha = 2 / (b - a);
    double beta = (2 * regularization - a - b) / (b - a);
    // The recurrence runs on Rᵀ (cols×n): products with K on the left are the BLAS's fastest layout.
    double[] first = Products.transpose(rhs, n, cols);
    double[][] out = new double[sets.length][];
    for (int s = 0; s < sets.length; s++) {
      out[s] = new double[rhs.length];
      accumulate(out[s], sets[s], 0, first);
    }
    double limit = 4 * Gram.dot(first, 0, first, 0, first.length);
    double[] previous = first;
    double[] current = null;
    for (int k = 1; k < degree; k++) {
      if (Thread.currentThread().isInterrupted()) {
        throw new CancellationException("finite-time prediction interrupted at Chebyshev degree " + k + " of " + degree);
      }
      double[] source = k == 1 ? first : current;
      double[] next = LinearAlgebra.symmetricTimesColumns(kernel, n, source, cols);
      if (k == 1) {
        for (int i = 0; i < next.length; i++) {
          next[i] = alpha * next[i] + beta * source[i];
        }
      } else {
        for (int i = 0; i < next.length; i++) {
          next[i] = 2 * (alpha * next[i] + beta * source[i]) - previous[i];
        }
        previous = current;
      }
      current = next;
      if (Gram.dot(current, 0, current, 0, current.length) > limit) {
        return null;
      }
      for (int s = 0; s < sets.length; s++) {
        accumulate(out[s], sets[s], k, current);
      }
    }
    for (int s = 0; s < sets.length; s++) {
      out[s] = Products.transpose(out[s], cols, n);
    }
    return out;
  }

  private static void accumulate(double[] sum, double[] coefficients, int k, double[] term) {
    if (k >= coefficients.length) {
      return;
    }
    double c = coefficients[k];
    for (int i = 0; i < sum.length; i++) {
      sum[i] += c * term[i];
    }
  }

  /**
   * The interval's lower end, with b the upper bound, for a matrix whose Cholesky factorization
   * succeeded or a kernel computed by this library: below the smallest eigenvalue that the
   * factorization's backward error, or the kernel's rounding, leaves possible (both of order n·ε·‖A‖),
   * so that the interval holds the spectrum with room to spare. An eigenvalue slightly below it costs
   * little: the expansion stays accurate a little outside its interval, and the recurrence's norm
   * check catches one far outside.
   */
  static double lowerEnd(int n, double b) {
    return -12.0 * n * Math.ulp(1.0) * b;
  }

  /**
   * An upper bound on the largest eigenvalue of K + reg·I: the largest absolute row sum of K plus
   * reg (Gershgorin).
   */
  static double upperBound(double[] kernel, int n, double regularization) {
    double top = 0;
    for (int i = 0; i < n; i++) {
      double row = 0;
      int base = i * n;
      for (int j = 0; j < n; j++) {
        row += Math.abs(kernel[base + j]);
      }
      top = Math.max(top, row);
    }
    return top + regularization;
  }
}
