package io.github.ntk4j.testing;

import java.util.Locale;

/**
 * The outcome of one identity check: whether it passed and, either way, the worst entry found (its
 * error, indices and the tolerance it was held to). Checks return this instead of throwing, so any
 * test framework (or a main method) can decide what to do; {@link #orThrow()} is the one-line
 * assertion.
 *
 * @param check the check's name, e.g. {@code "symmetry"}
 * @param passed whether the worst error is within the tolerance
 * @param worstError the worst error found (relative unless the check says otherwise)
 * @param row row of the worst entry, or -1 when the check has no entry (e.g. an eigenvalue)
 * @param column column of the worst entry, or -1
 * @param tolerance the tolerance
 * @param detail what was compared, with the values at the worst entry
 */
public record CheckResult(
    String check, boolean passed, double worstError, int row, int column, double tolerance, String detail) {

  /**
   * This result if it passed; otherwise throws an {@link AssertionError} with {@link #toString()} as
   * its message.
   *
   * @return this result
   * @throws AssertionError if the check failed
   */
  public CheckResult orThrow() {
    if (!passed) {
      throw new AssertionError(toString());
    }
    return this;
  }

  @Override
  public String toString() {
    String where = row >= 0 ? String.format(Locale.ROOT, " at (%d, %d)", row, column) : "";
    return String.format(
        Locale.ROOT, "%s %s: worst error %.3e%s, tolerance %.3e; %s",
        check, passed ? "passed" : "FAILED", worstError, where, tolerance, detail);
  }
}
