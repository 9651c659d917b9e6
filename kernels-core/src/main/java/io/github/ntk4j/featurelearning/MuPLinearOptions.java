package io.github.ntk4j.featurelearning;

/**
 * Hyperparameters of the μP linear one-hidden-layer network f(x) = α·(V·(U·x + α_b·b₁) + α_b2·b₂)
 * (shared/math/feature-learning.md §1; Tensor Programs IV, arXiv 2011.14522).
 *
 * @param sigmaU σ₁ ≥ 0, the scale of the input weights
 * @param sigmaV σ₂ ≥ 0, the scale of the readout weights
 * @param alpha α, the output multiplier (finite)
 * @param biasMultiplier α_b, the multiplier of the hidden bias b₁ (0: no hidden bias)
 * @param outputBiasMultiplier α_b2, the multiplier of the output bias b₂ (0: no output bias)
 */
public record MuPLinearOptions(double sigmaU, double sigmaV, double alpha, double biasMultiplier, double outputBiasMultiplier) {
  /**
   * Validates the hyperparameters.
   *
   * @param sigmaU σ₁ ≥ 0
   * @param sigmaV σ₂ ≥ 0
   * @param alpha α (finite)
   * @param biasMultiplier α_b (finite)
   * @param outputBiasMultiplier α_b2 (finite)
   * @throws IllegalArgumentException naming a value that is negative or not finite
   */
  public MuPLinearOptions {
    if (!(sigmaU >= 0) || !Double.isFinite(sigmaU)) {
      throw new IllegalArgumentException("sigmaU must be a finite number >= 0, got " + sigmaU);
    }
    if (!(sigmaV >= 0) || !Double.isFinite(sigmaV)) {
      throw new IllegalArgumentException("sigmaV must be a finite number >= 0, got " + sigmaV);
    }
    if (!Double.isFinite(alpha) || !Double.isFinite(biasMultiplier) || !Double.isFinite(outputBiasMultiplier)) {
      throw new IllegalArgumentException(
          "alpha, biasMultiplier and outputBiasMultiplier must be finite, got " + alpha + ", " + biasMultiplier + ", "
              + outputBiasMultiplier);
    }
  }

  /**
   * σ₁, σ₂ and α, with a hidden bias (α_b = 1) and no output bias.
   *
   * @param sigmaU σ₁ ≥ 0
   * @param sigmaV σ₂ ≥ 0
   * @param alpha α
   * @return the options
   */
  public static MuPLinearOptions of(double sigmaU, double sigmaV, double alpha) {
    return new MuPLinearOptions(sigmaU, sigmaV, alpha, 1, 0);
  }
}
