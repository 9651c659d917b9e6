package io.github.ntk4j;

/**
 * The requested compute backend cannot run here (no device, no driver, no installed module). The
 * message names the backend and the reason.
 */
public class BackendUnavailableException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /**
   * An exception with the given message.
   *
   * @param message what is unavailable and why
   */
  public BackendUnavailableException(String message) {
    super(message);
  }
}
