package io.github.ntk4j.adaptive;

/** Reads a step's batch from a user's {@link Batches} and checks it. */
final class CheckedBatches {
  private CheckedBatches() {}

  /**
   * The batch of {@code step}.
   *
   * @throws IllegalArgumentException naming the step and index when the batch is empty, unsorted,
   *     has duplicates or indices outside [0, n)
   */
  static int[] at(Batches batches, int step, int n) {
    int[] b = batches.batch(step, n);
    if (b == null || b.length == 0) {
      throw new IllegalArgumentException("batches: the batch of step " + step + " is empty");
    }
    for (int k = 0; k < b.length; k++) {
      if (b[k] < 0 || b[k] >= n || (k > 0 && b[k] <= b[k - 1])) {
        throw new IllegalArgumentException(
            "batches: the batch of step " + step + " has index " + b[k] + " at position " + k
                + "; expected sorted, distinct indices in [0, " + n + ")");
      }
    }
    return b.clone();
  }
}
