package io.github.ntk4j.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code ntk4j adaptive}: the comparison runs on the digits and on IDX files, and draws its plot. */
class AdaptiveDemoTest {
  @TempDir Path dir;

  @Test
  void comparesTheFourDynamicsOnTheDigitsAndPlotsTheTestLoss() throws IOException {
    Path svg = dir.resolve("loss.svg");
    CliRun r = CliRun.of("adaptive", "--train", "60", "--test", "80", "--epochs", "5", "--samples", "16", "--plot", svg.toString());
    assertEquals(0, r.status(), r.err());
    for (String row : new String[] {"NTK gradient descent", "SignSGD limit, batch 1", "SignSGD limit, full batch", "Adam limit, full batch", "t = inf"}) {
      assertTrue(r.out().contains(row), "missing row " + row + " in\n" + r.out());
    }
    String plot = Files.readString(svg);
    assertTrue(plot.startsWith("<svg") && plot.trim().endsWith("</svg>"), plot);
    assertEquals(4, plot.split("<polyline", -1).length - 1, "one curve per dynamics");
    assertFalse(plot.contains("NaN"), plot);
  }

  @Test
  void readsFashionMnistStyleIdxFilesGzippedOrNot() throws IOException {
    SplittableRandom rnd = new SplittableRandom(3);
    IdxFiles.write(dir, "train", 40, rnd, true);
    IdxFiles.write(dir, "t10k", 30, rnd, false);
    CliRun r = CliRun.of("adaptive", "--fashion-mnist", dir.toString(), "--train", "30", "--test", "20", "--epochs", "2", "--samples", "8");
    assertEquals(0, r.status(), r.err());
    assertTrue(r.out().contains("Fashion-MNIST") && r.out().contains("30 training and 20 test images"), r.out());
  }

  @Test
  void widthSweepPrintsOneRowPerOptimizerAndWidth() {
    ByteArrayOutputStream buf = new ByteArrayOutputStream();
    AdamWidthSweep.run(256, 2, new PrintStream(buf, true, StandardCharsets.UTF_8));
    String out = buf.toString(StandardCharsets.UTF_8);
    assertEquals(2, out.lines().filter(l -> l.startsWith("Adam eta")).count(), out);
    assertEquals(2, out.lines().filter(l -> l.startsWith("AdamW")).count(), out);
    assertFalse(out.contains("NaN"), out);
  }

  @Test
  void readsTheRealFashionMnistFilesWhenDebiansPackageIsInstalled() {
    Path real = Path.of("/usr/share/datasets/fashion-mnist");
    org.junit.jupiter.api.Assumptions.assumeTrue(Files.isDirectory(real), "dataset-fashion-mnist is not installed");
    Digits train = Idx.read(real, "train", 10);
    Digits test = Idx.read(real, "t10k", 5);
    // The published order of the labels: training set 9, 0, 0, 3, 0, 2, 7, 2, 5, 5; test set 9, 2, 1, 1, 6.
    org.junit.jupiter.api.Assertions.assertArrayEquals(new int[] {9, 0, 0, 3, 0, 2, 7, 2, 5, 5}, train.labels);
    org.junit.jupiter.api.Assertions.assertArrayEquals(new int[] {9, 2, 1, 1, 6}, test.labels);
    assertEquals(784, train.images[0].length);
  }

  @Test
  void badInputGetsOneLineAndStatusTwo() throws IOException {
    Files.write(dir.resolve("train-images-idx3-ubyte"), new byte[] {0, 0, 8, 1, 0, 0, 0, 0});
    Files.write(dir.resolve("train-labels-idx1-ubyte"), new byte[] {0, 0, 8, 1, 0, 0, 0, 0});
    String[][] cases = {
      {"adaptive --fashion-mnist " + dir, "not an IDX images file"},
      {"adaptive --fashion-mnist " + dir.resolve("nowhere"), "has neither"},
      {"adaptive --plot out.png", "SVG"},
      {"adaptive --plot " + dir.resolve("nodir/out.svg"), "folder does not exist"},
      {"adaptive --train 1700 --test 500", "exceeds the 1797 digits"},
      {"adaptive --epochs 0", "--epochs must be a whole number >= 1"},
    };
    for (String[] c : cases) {
      CliRun r = CliRun.of(c[0].split(" "));
      assertEquals(2, r.status(), c[0] + ": " + r.err());
      assertTrue(r.err().contains(c[1]), c[0] + ": " + r.err());
      assertEquals(1, r.err().strip().lines().count(), r.err());
    }
  }
}
