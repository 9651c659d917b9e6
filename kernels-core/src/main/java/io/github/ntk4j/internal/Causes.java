package io.github.ntk4j.internal;

/** Rethrowing the cause of a wrapper exception (a worker's ExecutionException, a reflective call's). */
public final class Causes {
  private Causes() {}

  /**
   * The exception to throw for {@code cause}: itself when unchecked, an IllegalStateException
   * wrapping it otherwise; an Error is thrown from here as it is. Use as {@code throw unchecked(c)}.
   */
  public static RuntimeException unchecked(Throwable cause) {
    if (cause instanceof Error err) {
      throw err;
    }
    return cause instanceof RuntimeException re ? re : new IllegalStateException(cause);
  }
}
