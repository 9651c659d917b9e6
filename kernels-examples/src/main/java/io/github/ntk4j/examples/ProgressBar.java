package io.github.ntk4j.examples;

import io.github.ntk4j.ProgressListener;
import java.io.PrintStream;

/**
 * A one-line progress bar on stderr, redrawn at most ten times a second and erased at the end, so
 * that it never mixes with results or error messages. Work without a measure of its progress (the
 * linear algebra of a prediction) is shown as a {@linkplain #phase phase}: its label and the seconds
 * it has taken so far, redrawn by a daemon thread.
 */
final class ProgressBar implements ProgressListener {
  private static final int WIDTH = 30;
  /** How often a phase's elapsed time is redrawn. */
  private static final long PHASE_REDRAW_MILLIS = 250;
  private final PrintStream err;
  private final String label;
  private final long start = System.nanoTime();
  private long lastDraw;
  private int lastLength;
  /** The phase being shown, or null; guarded by this. */
  private String phase;
  private long phaseStart;
  private Thread ticker;

  ProgressBar(PrintStream err, String label) {
    this.err = err;
    this.label = label;
  }

  @Override
  public synchronized void progress(long completed, long total) {
    long now = System.nanoTime();
    if (completed < total && now - lastDraw < 100_000_000L) {
      return;
    }
    lastDraw = now;
    double fraction = total == 0 ? 1 : (double) completed / total;
    int filled = (int) Math.round(fraction * WIDTH);
    double elapsed = (now - start) / 1e9;
    String eta = fraction > 0.02 && fraction < 1 ? String.format(", %.0f s left", elapsed * (1 - fraction) / fraction) : "";
    draw(String.format("%s [%s%s] %3.0f%% %.1f s%s", label, "#".repeat(filled), " ".repeat(WIDTH - filled),
        100 * fraction, elapsed, eta));
  }

  /**
   * Replaces the bar by "ntk4j: LABEL, N.N s" for work whose progress is not measured, redrawn four
   * times a second until {@link #finish()} (or the next phase).
   */
  synchronized void phase(String phaseLabel) {
    phase = phaseLabel;
    phaseStart = System.nanoTime();
    drawPhase();
    if (ticker == null) {
      ticker = new Thread(new Ticker(), "ntk4j-progress");
      ticker.setDaemon(true);
      ticker.start();
    }
  }

  private void drawPhase() {
    draw(String.format("ntk4j: %s, %.1f s", phase, (System.nanoTime() - phaseStart) / 1e9));
  }

  private void draw(String line) {
    err.print("\r" + line + " ".repeat(Math.max(0, lastLength - line.length())));
    lastLength = line.length();
    err.flush();
  }

  /** Erases the bar (and ends a phase). */
  void finish() {
    Thread t;
    synchronized (this) {
      phase = null;
      t = ticker;
      ticker = null;
      if (lastLength > 0) {
        err.print("\r" + " ".repeat(lastLength) + "\r");
        err.flush();
        lastLength = 0;
      }
    }
    if (t != null) {
      t.interrupt();
      try {
        t.join();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  /** Redraws the phase's elapsed time (a class, not a lambda: no lambda bootstrap on a cold JVM). */
  private final class Ticker implements Runnable {
    @Override
    public void run() {
      while (true) {
        try {
          Thread.sleep(PHASE_REDRAW_MILLIS);
        } catch (InterruptedException e) {
          return;
        }
        synchronized (ProgressBar.this) {
          if (phase == null || ticker != Thread.currentThread()) {
            return;
          }
          drawPhase();
        }
      }
    }
  }
}
