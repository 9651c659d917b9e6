package io.github.ntk4j.examples;

/** A command-line mistake: unknown command or flag, missing or malformed value. Exit status 2. */
final class UsageException extends IllegalArgumentException {
  private static final long serialVersionUID = 1L;

  UsageException(String message) {
    super(message);
  }
}
