package io.github.ntk4j;

import java.util.Objects;

/**
 * How a kernel is computed: threads, precision, backend and tile size. Results never depend on the
 * number of threads or the tile size: every entry is computed by the same sequence of operations.
 *
 * @param threads worker threads, at least 1
 * @param precision {@link Precision#FLOAT64} (default) or {@link Precision#FLOAT32}
 * @param backend {@link Backend#AUTO} (default), {@link Backend#CPU} or {@link Backend#OPENCL}
 * @param tileSize edge of the square output tiles that threads work on, 16 to 4096 (default 128)
 */
public record ComputeOptions(int threads, Precision precision, Backend backend, int tileSize) {

  /**
   * Validates the options.
   *
   * @param threads worker threads, at least 1
   * @param precision {@link Precision#FLOAT64} (default) or {@link Precision#FLOAT32}
   * @param backend {@link Backend#AUTO} (default), {@link Backend#CPU} or {@link Backend#OPENCL}
   * @param tileSize edge of the square output tiles that threads work on, 16 to 4096 (default 128)
   * @throws IllegalArgumentException when a value is out of its range, naming it
   */
  public ComputeOptions {
    if (threads < 1) {
      throw new IllegalArgumentException("threads: expected at least 1, got " + threads);
    }
    Objects.requireNonNull(precision, "precision");
    Objects.requireNonNull(backend, "backend");
    if (tileSize < 16 || tileSize > 4096) {
      throw new IllegalArgumentException("tileSize: expected 16 to 4096, got " + tileSize);
    }
  }

  /**
   * All available processors, float64, automatic backend, tiles of 128.
   *
   * @return the default options
   */
  public static ComputeOptions defaults() {
    return new ComputeOptions(
        Runtime.getRuntime().availableProcessors(), Precision.FLOAT64, Backend.AUTO, 128);
  }

  /**
   * These options with another thread count.
   *
   * @param n worker threads, at least 1
   * @return these options with {@code n} threads
   */
  public ComputeOptions withThreads(int n) {
    return new ComputeOptions(n, precision, backend, tileSize);
  }

  /**
   * These options with another precision.
   *
   * @param p the precision
   * @return these options with precision {@code p}
   */
  public ComputeOptions withPrecision(Precision p) {
    return new ComputeOptions(threads, p, backend, tileSize);
  }

  /**
   * These options with another backend.
   *
   * @param b the backend
   * @return these options with backend {@code b}
   */
  public ComputeOptions withBackend(Backend b) {
    return new ComputeOptions(threads, precision, b, tileSize);
  }

  /**
   * These options with another tile size.
   *
   * @param t the tile edge, 16 to 4096
   * @return these options with tiles of edge {@code t}
   */
  public ComputeOptions withTileSize(int t) {
    return new ComputeOptions(threads, precision, backend, t);
  }
}
