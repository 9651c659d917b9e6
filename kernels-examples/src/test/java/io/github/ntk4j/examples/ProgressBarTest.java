package io.github.ntk4j.examples;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The bar and its phases: drawn on one line, redrawn while a phase lasts, erased by finish(). */
class ProgressBarTest {
  private static boolean tickerAlive() {
    for (Thread t : Thread.getAllStackTraces().keySet()) {
      if (t.getName().equals("ntk4j-progress") && t.isAlive()) {
        return true;
      }
    }
    return false;
  }

  @Test
  void aPhaseShowsItsElapsedTimeUntilFinished() throws InterruptedException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    PrintStream err = new PrintStream(bytes, true, StandardCharsets.UTF_8);
    ProgressBar bar = new ProgressBar(err, "ntk4j: kernel 4x4");
    bar.progress(10, 10);
    bar.phase("predicting 3 points from 4");
    String first = bytes.toString(StandardCharsets.UTF_8);
    assertTrue(first.contains("100%") && first.contains("\rntk4j: predicting 3 points from 4, 0."), first);
    Thread.sleep(700);
    String later = bytes.toString(StandardCharsets.UTF_8);
    long draws = later.split("predicting 3 points", -1).length - 1;
    assertTrue(draws >= 2, "redrawn while the phase lasts: " + later);
    bar.finish();
    assertFalse(tickerAlive(), "finish() stops the redrawing thread");
    String end = bytes.toString(StandardCharsets.UTF_8);
    assertTrue(end.endsWith("\r"), "erased: " + end);
    Thread.sleep(400);
    assertTrue(bytes.toString(StandardCharsets.UTF_8).equals(end), "nothing is drawn after finish()");
  }

  @Test
  void finishingWithoutAPhaseOnlyErases() {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    ProgressBar bar = new ProgressBar(new PrintStream(bytes, true, StandardCharsets.UTF_8), "ntk4j: x");
    bar.finish();
    assertTrue(bytes.size() == 0, "nothing drawn, nothing to erase");
    bar.progress(5, 10);
    bar.finish();
    assertTrue(bytes.toString(StandardCharsets.UTF_8).endsWith("\r"));
    assertFalse(tickerAlive());
  }
}
