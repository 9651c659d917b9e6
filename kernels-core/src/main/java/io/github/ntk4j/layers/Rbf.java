package io.github.ntk4j.layers;

/**
 * φ(x) = √2·sin(√(2γ)·x + π/4), whose NNGP after a Dense layer is the RBF kernel
 * (shared/math/kernels.md §2.4; neural-tangents' {@code Rbf}): with d₋ = q1 + q2 − 2Σ (computed
 * without cancellation),
 *
 * <pre>
 *   T = e^{−γ·d₋},   Ṫ = 2γ·T,   T(q; q, q) = 1
 * </pre>
 *
 * serial(dense(1), rbf(γ)) gives the NNGP exp(−γ·|x − x'|²/d). String form {@code rbf(gamma)}.
 *
 * @param gamma γ ≥ 0 (finite)
 */
public record Rbf(double gamma) implements Activation {

  /**
   * Validates γ.
   *
   * @param gamma γ ≥ 0 (finite)
   * @throws IllegalArgumentException when a value is out of its range, naming it
   */
  public Rbf {
    gamma = Numbers.requireNonNegative("rbf", "gamma", gamma);
  }

  @Override
  public void applyToEntries(
      double[] covariance, double[] sine, double[] ntk, double variance1, double[] variances2, int offset, int length) {
    for (int k = 0; k < length; k++) {
      double t = Math.exp(-gamma * Distances.minus(variance1, variances2[offset + k], covariance[k], sine[k]));
      covariance[k] = t;
      if (ntk != null) {
        ntk[k] *= 2 * gamma * t;
      }
    }
  }

  @Override
  public double dualOfVariance(double variance) {
    return 1;
  }

  @Override
  public double dualDerivativeOfVariance(double variance) {
    return 2 * gamma;
  }

  /** √2·sin(√(2γ)·x + π/4). */
  @Override
  public double apply(double x) {
    return Math.sqrt(2) * Math.sin(Math.sqrt(2 * gamma) * x + Math.PI / 4);
  }

  /** 2·√γ·cos(√(2γ)·x + π/4). */
  @Override
  public double derivative(double x) {
    return 2 * Math.sqrt(gamma) * Math.cos(Math.sqrt(2 * gamma) * x + Math.PI / 4);
  }

  @Override
  public String toString() {
    return "rbf(" + Numbers.format(gamma) + ")";
  }
}
