package io.github.ntk4j.layers;

/**
 * The monomial φ(x) = x^k, 0 ≤ k ≤ 5 (shared/math/kernels.md §2.6): with p = q1·q2,
 *
 * <pre>
 *   k = 0: T = 1          k = 1: T = Σ          k = 2: T = 2Σ² + p
 *   k = 3: T = 6Σ³ + 9Σp  k = 4: T = 3(8Σ⁴ + 3p(8Σ² + p))   k = 5: T = 15Σ(8Σ⁴ + 5p(8Σ² + 3p))
 *   Ṫ = k²·T_{k−1} (0 for k = 0),   T(q; q, q) = (2k − 1)!!·q^k
 * </pre>
 *
 * String form {@code monomial(k)}.
 *
 * @param degree k in [0, 5]
 */
public record Monomial(int degree) implements Activation {
  /**
   * Validates the degree.
   *
   * @param degree k in [0, 5]
   * @throws IllegalArgumentException when a value is out of its range, naming it
   */
  public Monomial {
    if (degree < 0 || degree > 5) {
      throw new IllegalArgumentException("monomial: k must be in 0..5, got " + degree);
    }
  }

  /** T_k(Σ; q1, q2) for p = q1·q2. */
  static double dual(int k, double sig, double p) {
    double s2 = sig * sig;
    switch (k) {
      case 0:
        return 1;
      case 1:
        return sig;
      case 2:
        return 2 * s2 + p;
      case 3:
        return sig * (6 * s2 + 9 * p);
      case 4:
        return 3 * (8 * s2 * s2 + 3 * p * (8 * s2 + p));
      default:
        return 15 * sig * (8 * s2 * s2 + 5 * p * (8 * s2 + 3 * p));
    }
  }

  @Override
  public void applyToEntries(
      double[] covariance, double[] sine, double[] ntk, double variance1, double[] variances2, int offset, int length) {
    int k = degree;
    for (int e = 0; e < length; e++) {
      double sig = covariance[e];
      double p = variance1 * variances2[offset + e];
      covariance[e] = dual(k, sig, p);
      if (ntk != null) {
        ntk[e] *= k == 0 ? 0 : k * k * dual(k - 1, sig, p);
      }
    }
  }

  /** (2k − 1)!!·q^k, by the same operations as an entry with Σ = q1 = q2 = q. */
  @Override
  public double dualOfVariance(double variance) {
    return dual(degree, variance, variance * variance);
  }

  /** k²·(2k − 3)!!·q^{k−1}. */
  @Override
  public double dualDerivativeOfVariance(double variance) {
    return degree == 0 ? 0 : degree * degree * dual(degree - 1, variance, variance * variance);
  }

  /** x^k (x⁰ = 1). */
  @Override
  public double apply(double x) {
    double r = 1;
    for (int i = 0; i < degree; i++) {
      r *= x;
    }
    return r;
  }

  /** k·x^{k−1}. */
  @Override
  public double derivative(double x) {
    double r = degree;
    for (int i = 1; i < degree; i++) {
      r *= x;
    }
    return degree == 0 ? 0 : r;
  }

  @Override
  public String toString() {
    return "monomial(" + degree + ")";
  }
}
