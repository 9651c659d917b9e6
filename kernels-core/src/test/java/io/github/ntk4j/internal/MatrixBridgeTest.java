package io.github.ntk4j.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.ntk4j.Matrix;
import io.github.ntk4j.io.MatrixFiles;
import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The finiteness check and its cache: a matrix checked once (or read from a file) is not scanned again. */
class MatrixBridgeTest {
  @TempDir Path dir;

  private static boolean known(Matrix m) {
    try {
      java.lang.reflect.Field f = Matrix.class.getDeclaredField("finite");
      f.setAccessible(true);
      return f.getBoolean(m);
    } catch (ReflectiveOperationException e) {
      throw new AssertionError(e);
    }
  }

  @Test
  void aPassedCheckIsRememberedAndAFailedOneIsNot() {
    Matrix ok = Matrix.of(new double[][] {{1, 2}, {3, 4}});
    assertFalse(known(ok), "a new matrix is not known to be finite");
    MatrixBridge.requireFinite(ok, "x", "must be finite");
    assertTrue(known(ok), "checked once");
    Matrix bad = Matrix.of(new double[][] {{1, 2}, {Double.POSITIVE_INFINITY, 4}});
    for (int attempt = 0; attempt < 2; attempt++) {
      IllegalArgumentException e =
          assertThrows(IllegalArgumentException.class, () -> MatrixBridge.requireFinite(bad, "x1", "inputs must be finite"));
      assertEquals("x1: row 1, column 0 is Infinity; inputs must be finite", e.getMessage(), "attempt " + attempt);
      assertFalse(known(bad));
    }
  }

  @Test
  void matricesReadFromFilesAreKnownToBeFinite() throws IOException {
    Matrix m = Matrix.of(new double[][] {{1.5, -2}, {0, 7}});
    for (String name : new String[] {"m.npy", "m.csv"}) {
      Path p = dir.resolve(name);
      MatrixFiles.write(p, m, io.github.ntk4j.Precision.FLOAT64);
      Matrix back = MatrixFiles.read(p);
      assertEquals(m, back, name);
      assertTrue(known(back), name + ": the reader checked every value");
    }
  }

  /**
   * The block-wise scan against the plain one, on generated arrays: lengths around the block size,
   * zero to three NaN or infinite entries anywhere (block edges included), and maxAbs against a
   * plain maximum.
   */
  @ParameterizedTest(name = "seed {0}")
  @ValueSource(longs = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16})
  void theBlockwiseScanFindsTheFirstNonFiniteEntry(long seed) {
    java.util.SplittableRandom r = new java.util.SplittableRandom(seed);
    int[] lengths = {0, 1, 1023, 1024, 1025, 2048, 3000 + r.nextInt(3000)};
    double[] specials = {Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY};
    for (int length : lengths) {
      double[] a = new double[length];
      for (int k = 0; k < length; k++) {
        a[k] = r.nextGaussian() * Math.scalb(1.0, r.nextInt(-600, 600));
      }
      int expected = -1;
      double max = 0;
      for (double v : a) {
        max = Math.max(max, Math.abs(v));
      }
      assertEquals(max, MatrixBridge.maxAbs(a, 0, length), "seed " + seed + ", length " + length);
      int bad = length == 0 ? 0 : r.nextInt(4);
      for (int b = 0; b < bad; b++) {
        // block edges are picked often
        int at = r.nextBoolean() ? r.nextInt(length) : Math.min(length - 1, 1024 * r.nextInt(4) + r.nextInt(-1, 1) + 1);
        at = Math.max(0, at);
        a[at] = specials[r.nextInt(3)];
        expected = expected < 0 ? at : Math.min(expected, at);
      }
      assertEquals(expected, MatrixBridge.firstNonFinite(a), "seed " + seed + ", length " + length + ", " + bad + " bad");
      if (expected >= 0) {
        assertFalse(MatrixBridge.maxAbs(a, 0, length) <= Double.MAX_VALUE, "seed " + seed + ": NaN and infinities carry through");
      }
    }
  }
}
