package io.github.ntk4j;

/**
 * A computation could not produce a finite, trustworthy number (for example a kernel value that
 * overflows double precision). The message says what went wrong and what to change.
 */
public class NumericalException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /**
   * An exception with the given message.
   *
   * @param message what failed and what to change
   */
  public NumericalException(String message) {
    super(message);
  }
}
