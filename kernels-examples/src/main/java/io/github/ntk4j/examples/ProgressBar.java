package io.github.ntk4j.examples;

import io.github.ntk4j.ProgressListener;
import java.io.PrintStream;

/**
 * A one-line progress bar on stderr, redrawn at most ten times a second and erased at the end, so
 * that it never mixes with results or error messages.
 */
final class ProgressBar implements ProgressListener {
  private static final int WIDTH = 30;
  private final PrintStream err;
  private final String label;
  private final long start = System.nanoTime();
  private long lastDraw;
  private int lastLength;

  ProgressBar(PrintStream err, String label) {
    this.err = err;
    this.label = label;
  }

  @Override
  public void progress(long completed, long total) {
    long now = System.nanoTime();
    if (completed < total && now - lastDraw < 100_000_000L) {
      return;
    }
    lastDraw = now;
    double fraction = total == 0 ? 1 : (double) completed / total;
    int filled = (int) Math.round(fraction * WIDTH);
    double elapsed = (now - start) / 1e9;
    String eta = fraction > 0.02 && fraction < 1 ? String.format(", %.0f s left", elapsed * (1 - fraction) / fraction) : "";
    String line = String.format("%s [%s%s] %3.0f%% %.1f s%s", label, "#".repeat(filled), " ".repeat(WIDTH - filled),
        100 * fraction, elapsed, eta);
    err.print("\r" + line + " ".repeat(Math.max(0, lastLength - line.length())));
    lastLength = line.length();
    err.flush();
  }

  /** Erases the bar. */
  void finish() {
    if (lastLength > 0) {
      err.print("\r" + " ".repeat(lastLength) + "\r");
      err.flush();
      lastLength = 0;
    }
  }
}
