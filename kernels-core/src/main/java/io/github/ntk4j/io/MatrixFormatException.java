package io.github.ntk4j.io;

/**
 * A matrix file is malformed or holds values the library does not accept. The message names the
 * file and, where it applies, the row and column.
 */
public class MatrixFormatException extends IllegalArgumentException {
  private static final long serialVersionUID = 1L;

  /**
   * An exception with the given message.
   *
   * @param message the file and the position of the problem
   */
  public MatrixFormatException(String message) {
    super(message);
  }
}
