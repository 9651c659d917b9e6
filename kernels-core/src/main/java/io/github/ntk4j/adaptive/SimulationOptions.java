package io.github.ntk4j.adaptive;

import java.util.Objects;

/**
 * How the adaptive-limit dynamics are run (shared/math/adaptive-limits.md §5.1).
 *
 * @param steps number of optimizer steps T ≥ 0
 * @param batches the batch of each step
 * @param reduction how the loss over a batch is reduced: {@link Reduction#SUM} gives χ_b = f_b − y_b,
 *     {@link Reduction#MEAN} divides by the batch size; it matters whenever ε &gt; 0
 * @param initialization centred outputs (f₀ = 0) or f₀ sampled from the NNGP
 * @param rowSamples S_u ≥ 1, samples of the backward ("row") features per parameter group
 * @param columnSamples S_v ≥ 1, samples of the forward ("column") features per parameter group
 * @param replicates R ≥ 1 independent Monte Carlo estimates, averaged; their spread gives the standard
 *     error (R ≥ 2 to have one)
 * @param seed the seed of every random draw; the same seed gives the same result on any thread count
 * @param threads worker threads ≥ 1
 * @param recordEvery keep the outputs of every k-th step (and of the last) in the {@link Trajectory},
 *     k ≥ 1; long batch-1 runs need k &gt; 1 to stay in memory ((T/k + 1)·points·outputs doubles)
 */
public record SimulationOptions(
    int steps,
    Batches batches,
    Reduction reduction,
    Initialization initialization,
    int rowSamples,
    int columnSamples,
    int replicates,
    long seed,
    int threads,
    int recordEvery) {

  /** Loss reduction over a batch, for MSE ℓ = ½·Σ_b (f_b − y_b)² (SUM) or its batch mean (MEAN). */
  public enum Reduction {
    /** χ_b = f_b − y_b. */
    SUM,
    /** χ_b = (f_b − y_b)/|B|. */
    MEAN
  }

  /** The network's outputs at step 0. */
  public enum Initialization {
    /** f₀ = 0: the centred network f − f_init, as in neural-tangents' mean predictions. */
    CENTRED,
    /** f₀ drawn from the NNGP N(0, Σ^{L+1}) on all points, from the seed. */
    SAMPLED
  }

  /**
   * Validates the options.
   *
   * @param steps number of optimizer steps T ≥ 0
   * @param batches the batch of each step
   * @param reduction how the loss over a batch is reduced: {@link Reduction#SUM} gives χ_b = f_b − y_b, {@link Reduction#MEAN} divides by the batch size; it matters whenever ε &gt; 0
   * @param initialization centred outputs (f₀ = 0) or f₀ sampled from the NNGP
   * @param rowSamples S_u ≥ 1, samples of the backward ("row") features per parameter group
   * @param columnSamples S_v ≥ 1, samples of the forward ("column") features per parameter group
   * @param replicates R ≥ 1 independent Monte Carlo estimates, averaged; their spread gives the standard error (R ≥ 2 to have one)
   * @param seed the seed of every random draw; the same seed gives the same result on any thread count
   * @param threads worker threads ≥ 1
   * @param recordEvery keep the outputs of every k-th step (and of the last) in the {@link Trajectory}, k ≥ 1; long batch-1 runs need k &gt; 1 to stay in memory ((T/k + 1)·points·outputs doubles)
   * @throws IllegalArgumentException when a value is out of its range, naming it
   */
  public SimulationOptions {
    Objects.requireNonNull(batches, "batches");
    Objects.requireNonNull(reduction, "reduction");
    Objects.requireNonNull(initialization, "initialization");
    if (steps < 0) {
      throw new IllegalArgumentException("steps must be >= 0, got " + steps);
    }
    if (rowSamples < 1 || columnSamples < 1) {
      throw new IllegalArgumentException(
          "rowSamples and columnSamples must be >= 1, got " + rowSamples + " and " + columnSamples);
    }
    if (replicates < 1) {
      throw new IllegalArgumentException("replicates must be >= 1, got " + replicates);
    }
    if (threads < 1) {
      throw new IllegalArgumentException("threads must be >= 1, got " + threads);
    }
    if (recordEvery < 1) {
      throw new IllegalArgumentException("recordEvery must be >= 1, got " + recordEvery);
    }
  }

  /** The steps whose outputs are kept: 0, k, 2k, … and the last step T. */
  int[] recordedSteps() {
    int count = steps / recordEvery + 1 + (steps % recordEvery == 0 ? 0 : 1);
    int[] r = new int[count];
    for (int i = 0; i < count; i++) {
      r[i] = Math.min(i * recordEvery, steps);
    }
    return r;
  }

  /**
   * {@code steps} full-batch steps, summed MSE, centred outputs, 256 × 256 samples, 4 replicates,
   * seed 0, all processors.
   *
   * @param steps the number of steps T ≥ 0
   * @return the default options for T steps
   */
  public static SimulationOptions defaults(int steps) {
    return new SimulationOptions(
        steps, Batches.full(), Reduction.SUM, Initialization.CENTRED, 256, 256, 4, 0L,
        Runtime.getRuntime().availableProcessors(), 1);
  }

  /**
   * These options with other batches.
   *
   * @param b the batches
   * @return the new options
   */
  public SimulationOptions withBatches(Batches b) {
    return new SimulationOptions(steps, b, reduction, initialization, rowSamples, columnSamples, replicates, seed, threads, recordEvery);
  }

  /**
   * These options with another reduction.
   *
   * @param r the reduction
   * @return the new options
   */
  public SimulationOptions withReduction(Reduction r) {
    return new SimulationOptions(steps, batches, r, initialization, rowSamples, columnSamples, replicates, seed, threads, recordEvery);
  }

  /**
   * These options with another initialization.
   *
   * @param i the initialization
   * @return the new options
   */
  public SimulationOptions withInitialization(Initialization i) {
    return new SimulationOptions(steps, batches, reduction, i, rowSamples, columnSamples, replicates, seed, threads, recordEvery);
  }

  /**
   * These options with S_u = S_v = {@code samples}.
   *
   * @param samples samples per group, at least 1
   * @return the new options
   */
  public SimulationOptions withSamples(int samples) {
    return new SimulationOptions(steps, batches, reduction, initialization, samples, samples, replicates, seed, threads, recordEvery);
  }

  /**
   * These options with another number of replicates.
   *
   * @param r replicates, at least 1
   * @return the new options
   */
  public SimulationOptions withReplicates(int r) {
    return new SimulationOptions(steps, batches, reduction, initialization, rowSamples, columnSamples, r, seed, threads, recordEvery);
  }

  /**
   * These options with another seed.
   *
   * @param s the seed
   * @return the new options
   */
  public SimulationOptions withSeed(long s) {
    return new SimulationOptions(steps, batches, reduction, initialization, rowSamples, columnSamples, replicates, s, threads, recordEvery);
  }

  /**
   * These options with another thread count.
   *
   * @param t worker threads, at least 1
   * @return the new options
   */
  public SimulationOptions withThreads(int t) {
    return new SimulationOptions(steps, batches, reduction, initialization, rowSamples, columnSamples, replicates, seed, t, recordEvery);
  }

  /**
   * These options keeping every k-th step in the trajectory (and the last).
   *
   * @param k keep every k-th step, k ≥ 1
   * @return the new options
   */
  public SimulationOptions withRecordEvery(int k) {
    return new SimulationOptions(steps, batches, reduction, initialization, rowSamples, columnSamples, replicates, seed, threads, k);
  }

  /**
   * These options with another number of steps.
   *
   * @param t the number of steps, at least 0
   * @return the new options
   */
  public SimulationOptions withSteps(int t) {
    return new SimulationOptions(t, batches, reduction, initialization, rowSamples, columnSamples, replicates, seed, threads, recordEvery);
  }
}
