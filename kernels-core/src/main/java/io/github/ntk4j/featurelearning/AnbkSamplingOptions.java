package io.github.ntk4j.featurelearning;

/**
 * Settings of the importance-sampling solver of the two-layer adaptive Bayesian kernel
 * ({@link TwoLayerAnbk}; shared/math/feature-learning.md §2.4).
 *
 * @param samples S ≥ 100, the Gaussian samples drawn once and reused by every iteration
 * @param continuationSteps K ≥ 1: the saddle point is solved at γ·k/K for k = 1..K, each warm-started
 *     from the previous one
 * @param damping ω in (0, 1]: Φ ← (1 − ω)Φ + ωΦ_new
 * @param tolerance convergence when max|Φ_new − Φ| ≤ tolerance·max|Φ| (&gt; 0)
 * @param maxIterations the most iterations per continuation step (≥ 1)
 * @param seed the seed of the samples
 * @param minEffectiveSampleSize the smallest effective sample size 1/Σw² accepted (≥ 1); below it the
 *     solver refuses with a {@link io.github.ntk4j.NumericalException}
 */
public record AnbkSamplingOptions(
    int samples, int continuationSteps, double damping, double tolerance, int maxIterations, long seed,
    double minEffectiveSampleSize) {
  /**
   * Validates the settings.
   *
   * @param samples S ≥ 100
   * @param continuationSteps K ≥ 1
   * @param damping ω in (0, 1]
   * @param tolerance &gt; 0
   * @param maxIterations ≥ 1
   * @param seed any
   * @param minEffectiveSampleSize ≥ 1
   * @throws IllegalArgumentException naming a value out of range
   */
  public AnbkSamplingOptions {
    if (samples < 100) {
      throw new IllegalArgumentException("samples must be >= 100, got " + samples);
    }
    if (continuationSteps < 1) {
      throw new IllegalArgumentException("continuationSteps must be >= 1, got " + continuationSteps);
    }
    if (!(damping > 0 && damping <= 1)) {
      throw new IllegalArgumentException("damping must be in (0, 1], got " + damping);
    }
    if (!(tolerance > 0) || Double.isInfinite(tolerance)) {
      throw new IllegalArgumentException("tolerance must be a finite number > 0, got " + tolerance);
    }
    if (maxIterations < 1) {
      throw new IllegalArgumentException("maxIterations must be >= 1, got " + maxIterations);
    }
    if (!(minEffectiveSampleSize >= 1) || Double.isInfinite(minEffectiveSampleSize)) {
      throw new IllegalArgumentException("minEffectiveSampleSize must be a finite number >= 1, got " + minEffectiveSampleSize);
    }
  }

  /**
   * The notes' settings: S = 200,000 samples, K = 30 continuation steps, ω = 0.3, tolerance 1e-5 (well below the Monte Carlo error),
   * at most 1,000 iterations per step, seed 0, and a floor on the effective sample size of
   * max(1,000, 1 % of S).
   *
   * @return the settings
   */
  public static AnbkSamplingOptions defaults() {
    return withSamples(200_000, 0);
  }

  /**
   * The defaults with another number of samples and seed (the ESS floor stays max(1,000, S/100),
   * capped at S/10 for small S).
   *
   * @param samples S ≥ 100
   * @param seed the seed
   * @return the settings
   */
  public static AnbkSamplingOptions withSamples(int samples, long seed) {
    double floor = Math.min(Math.max(1000, samples / 100.0), samples / 10.0);
    return new AnbkSamplingOptions(samples, 30, 0.3, 1e-5, 1000, seed, Math.max(1, floor));
  }
}
