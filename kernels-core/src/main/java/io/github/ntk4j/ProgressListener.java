package io.github.ntk4j;

/**
 * Receives the progress of a kernel computation, in kernel entries.
 *
 * <p>Calls come from the library's worker threads but never concurrently, with {@code completed}
 * increasing from call to call and reaching {@code total} at the end. Keep the work in a call
 * short. To stop a computation, interrupt the thread that called {@link Kernels#compute}; it then
 * throws {@link java.util.concurrent.CancellationException}. An exception thrown by the listener
 * also stops the computation and reaches the caller.
 */
@FunctionalInterface
public interface ProgressListener {
  /**
   * Reports progress.
   *
   * @param completed entries computed so far (for K(X, X): entries of the upper triangle)
   * @param total entries to compute in all
   */
  void progress(long completed, long total);

  /**
   * A listener that ignores progress.
   *
   * @return a listener that does nothing
   */
  static ProgressListener none() {
    return (completed, total) -> {};
  }
}
