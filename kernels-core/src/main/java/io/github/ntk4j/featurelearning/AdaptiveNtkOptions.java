package io.github.ntk4j.featurelearning;

/**
 * Settings of the two-layer adaptive NTK dynamics ({@link AdaptiveNtk}; shared/math/feature-learning.md
 * §2.7, arXiv 2502.07998).
 *
 * @param gamma γ &gt; 0, the feature-learning strength (small γ: lazy; larger: stronger feature learning)
 * @param weightDecay λ ≥ 0 of the loss γ²N·½Σ(f − y)² + (λ/2)‖θ‖²
 * @param learningRate η &gt; 0, the gradient-descent step; the loss sums over the P training points,
 *     so stable steps shrink like 1/P (on 200 standardized digits η = 0.01 trains and η = 0.1 kills
 *     most ReLU neurons in the first steps)
 * @param steps number of full-batch steps ≥ 0
 * @param neurons S ≥ 1, the sampled neurons (the width of the simulated network)
 * @param seed the seed of the initial weights
 * @param centred whether the output at initialization f₀ is subtracted (then Δ = y − f + f₀)
 */
public record AdaptiveNtkOptions(
    double gamma, double weightDecay, double learningRate, int steps, int neurons, long seed, boolean centred) {
  /**
   * Validates the settings.
   *
   * @param gamma γ &gt; 0
   * @param weightDecay λ ≥ 0
   * @param learningRate η &gt; 0
   * @param steps ≥ 0
   * @param neurons S ≥ 1
   * @param seed any
   * @param centred subtract f₀
   * @throws IllegalArgumentException naming a value out of range
   */
  public AdaptiveNtkOptions {
    if (!(gamma > 0) || Double.isInfinite(gamma)) {
      throw new IllegalArgumentException("gamma must be a finite number > 0, got " + gamma);
    }
    if (!(weightDecay >= 0) || Double.isInfinite(weightDecay)) {
      throw new IllegalArgumentException("weightDecay must be a finite number >= 0, got " + weightDecay);
    }
    if (!(learningRate > 0) || Double.isInfinite(learningRate)) {
      throw new IllegalArgumentException("learningRate must be a finite number > 0, got " + learningRate);
    }
    if (steps < 0) {
      throw new IllegalArgumentException("steps must be >= 0, got " + steps);
    }
    if (neurons < 1) {
      throw new IllegalArgumentException("neurons must be >= 1, got " + neurons);
    }
  }

  /**
   * γ and λ with 2,000 neurons, η = 0.02, 20,000 steps, seed 0, centred outputs.
   *
   * @param gamma γ &gt; 0
   * @param weightDecay λ ≥ 0
   * @return the settings
   */
  public static AdaptiveNtkOptions of(double gamma, double weightDecay) {
    return new AdaptiveNtkOptions(gamma, weightDecay, 0.02, 20_000, 2_000, 0, true);
  }

  /**
   * These settings with another step count and learning rate.
   *
   * @param learningRate η &gt; 0
   * @param steps ≥ 0
   * @return new settings
   */
  public AdaptiveNtkOptions withSchedule(double learningRate, int steps) {
    return new AdaptiveNtkOptions(gamma, weightDecay, learningRate, steps, neurons, seed, centred);
  }

  /**
   * These settings with another number of neurons and seed.
   *
   * @param neurons S ≥ 1
   * @param seed the seed
   * @return new settings
   */
  public AdaptiveNtkOptions withNeurons(int neurons, long seed) {
    return new AdaptiveNtkOptions(gamma, weightDecay, learningRate, steps, neurons, seed, centred);
  }

  /**
   * These settings with or without centring.
   *
   * @param centred subtract f₀
   * @return new settings
   */
  public AdaptiveNtkOptions withCentred(boolean centred) {
    return new AdaptiveNtkOptions(gamma, weightDecay, learningRate, steps, neurons, seed, centred);
  }
}
