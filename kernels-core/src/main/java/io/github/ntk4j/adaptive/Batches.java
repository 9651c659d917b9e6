package io.github.ntk4j.adaptive;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * Which training points form the batch at each step: indices into the n training points, sorted,
 * distinct, non-empty. Implementations must be deterministic (the same step gives the same batch).
 */
@FunctionalInterface
public interface Batches {
  /**
   * The batch at {@code step}.
   *
   * @param step the step index, from 0
   * @param n the number of training points
   * @return indices in [0, n)
   */
  int[] batch(int step, int n);

  /**
   * Every training point at every step.
   *
   * @return full-batch training
   */
  static Batches full() {
    return (step, n) -> {
      int[] all = new int[n];
      Arrays.setAll(all, i -> i);
      return all;
    };
  }

  /**
   * {@code size} points drawn without replacement at each step, from a generator seeded by
   * ({@code seed}, step), so any step's batch can be recomputed on its own.
   *
   * @param size the batch size, ≥ 1 (at most n)
   * @param seed the seed
   * @return the sampler
   */
  static Batches random(int size, long seed) {
    if (size < 1) {
      throw new IllegalArgumentException("batches: size must be >= 1, got " + size);
    }
    return (step, n) -> {
      if (size > n) {
        throw new IllegalArgumentException("batches: size " + size + " is larger than the " + n + " training points");
      }
      SplittableRandom r = new SplittableRandom(seed ^ (0x9E3779B97F4A7C15L * (step + 1L)));
      int[] perm = new int[n];
      Arrays.setAll(perm, i -> i);
      for (int i = 0; i < size; i++) {
        int j = i + r.nextInt(n - i);
        int t = perm[i];
        perm[i] = perm[j];
        perm[j] = t;
      }
      int[] b = Arrays.copyOf(perm, size);
      Arrays.sort(b);
      return b;
    };
  }

  /**
   * The given batches, one per step, repeated cyclically.
   *
   * @param steps the batches (copied); each is checked against n when used
   * @return the schedule
   */
  static Batches of(int[]... steps) {
    if (steps.length == 0) {
      throw new IllegalArgumentException("batches: expected at least one batch");
    }
    int[][] copy = new int[steps.length][];
    for (int i = 0; i < steps.length; i++) {
      copy[i] = steps[i].clone();
      Arrays.sort(copy[i]);
    }
    return (step, n) -> {
      int[] b = copy[step % copy.length].clone();
      if (b.length == 0) {
        throw new IllegalArgumentException("batches: batch " + (step % copy.length) + " is empty");
      }
      for (int k = 0; k < b.length; k++) {
        if (b[k] < 0 || b[k] >= n || (k > 0 && b[k] == b[k - 1])) {
          throw new IllegalArgumentException(
              "batches: batch " + (step % copy.length) + " has index " + b[k] + "; expected distinct indices in [0, "
                  + n + ")");
        }
      }
      return b;
    };
  }
}
