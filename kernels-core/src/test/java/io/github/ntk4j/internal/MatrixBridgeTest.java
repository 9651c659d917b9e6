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
}
