package io.github.ntk4j.layers;

/**
 * The dual maps of φ(x) = a·sin(b·x + c) (shared/math/kernels.md §2.4), shared by {@link Sin} and
 * {@link Cos} (a cosine is a sine with c + π/2). With d∓ = q1 + q2 ∓ 2Σ (computed without
 * cancellation by {@link Distances}):
 *
 * <pre>
 *   s₁ = e^{−b²·d₋/2},   s₂ = e^{−b²·d₊/2}·cos 2c
 *   T = (a²/2)·(s₁ − s₂),   Ṫ = (a²b²/2)·(s₁ + s₂)
 * </pre>
 */
final class Trigonometric {
  private Trigonometric() {}

  /** Applies the dual maps of a·sin(b·x + phase) to a block of entries (see {@link Activation#applyToEntries}). */
  static void applyToEntries(
      double a, double b, double phase, double[] covariance, double[] sine, double[] ntk, double variance1,
      double[] variances2, int offset, int length) {
    double cosTwoC = Math.cos(2 * phase);
    double sinC = Math.sin(phase);
    double sinSquaredC = sinC * sinC;
    double a2 = a * a;
    double b2 = b * b;
    for (int k = 0; k < length; k++) {
      double sig = covariance[k];
      double q2 = variances2[offset + k];
      double x1 = -b2 * Distances.minus(variance1, q2, sig, sine[k]) / 2;
      double x2 = -b2 * Distances.plus(variance1, q2, sig, sine[k]) / 2;
      double s1 = Math.exp(x1);
      double e2 = Math.exp(x2);
      // s₁ − s₂ = (s₁ − e₂) + 2e₂·sin²c, and s₁ − e₂ = expm1(x₁) − expm1(x₂): no cancellation for
      // small b²q or cos 2c ≈ 1.
      covariance[k] = a2 / 2 * ((Math.expm1(x1) - Math.expm1(x2)) + 2 * e2 * sinSquaredC);
      if (ntk != null) {
        ntk[k] *= a2 * b2 / 2 * (s1 + e2 * cosTwoC);
      }
    }
  }
}
