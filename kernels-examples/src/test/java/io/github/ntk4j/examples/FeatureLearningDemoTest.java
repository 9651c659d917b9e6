package io.github.ntk4j.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** {@code ntk4j feature-learning}: every limit and its baseline print a row with finite figures. */
class FeatureLearningDemoTest {
  @Test
  void printsOneRowPerMethodWithAccuracyAndLoss() {
    CliRun r = CliRun.of("feature-learning", "--train", "40", "--test", "50", "--epochs", "3", "--samples", "2000", "--neurons", "30");
    assertEquals(0, r.status(), r.err());
    String[] methods = {"muP linear limit", "NTK of the same network", "deep linear aNBK", "deep linear NNGP", "two-layer erf aNBK",
        "two-layer erf NNGP", "ReLU aNTK", "its kernel predictor", "ReLU network, gamma 0.05", "linear bottleneck, d = 4",
        "linear bottleneck, d = 1024", "ReLU NNGP kernel regression", "ReLU NTK kernel regression"};
    for (String m : methods) {
      String line = r.out().lines().filter(l -> l.contains(m)).findFirst().orElse(null);
      assertTrue(line != null, "missing row " + m + " in\n" + r.out());
      assertTrue(line.matches(".*\\s\\d{1,3}\\.\\d\\d%\\s+\\d+\\.\\d{4}\\s.*"), "row without accuracy and MSE: " + line);
    }
    assertTrue(r.out().contains("40 training and 50 test images"), r.out());
  }

  @Test
  void badFlagsAreUsageErrors() {
    CliRun r = CliRun.of("feature-learning", "--samples", "50");
    assertEquals(2, r.status());
    assertTrue(r.err().contains("--samples must be >= 100"), r.err());
    r = CliRun.of("feature-learning", "--train", "1700", "--test", "200");
    assertEquals(2, r.status());
    assertTrue(r.err().contains("exceeds the 1797 digits"), r.err());
    r = CliRun.of("feature-learning", "--help");
    assertEquals(0, r.status());
    assertTrue(r.out().startsWith("Usage: ntk4j feature-learning"), r.out());
  }
}
