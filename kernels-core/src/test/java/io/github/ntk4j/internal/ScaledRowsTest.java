package io.github.ntk4j.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The input preparation: rows within 2^±256 are used as they are; one row outside scales the whole
 * set by powers of two, which changes no bit of a variance or of a Gram entry x·y/d.
 */
class ScaledRowsTest {
  private static double[] gaussianRows(SplittableRandom r, int n, int d, double scale) {
    double[] x = new double[n * d];
    for (int i = 0; i < x.length; i++) {
      x[i] = scale * r.nextGaussian();
    }
    return x;
  }

  @ParameterizedTest(name = "seed {0}")
  @ValueSource(longs = {1, 2, 3, 4, 5, 6})
  void ordinaryRowsAreUsedAsTheyAreAndScalingChangesNoBit(long seed) {
    SplittableRandom r = new SplittableRandom(seed);
    int n = 2 + r.nextInt(30);
    int d = 1 + r.nextInt(40);
    // Row magnitudes anywhere in 2^±200: still used as they are.
    double[] x = gaussianRows(r, n, d, Math.scalb(1.0, r.nextInt(401) - 200));
    for (int i = 0; i < n; i++) {
      double rowScale = Math.scalb(1.0, r.nextInt(101) - 50);
      for (int k = 0; k < d; k++) {
        x[i * d + k] *= rowScale;
      }
    }
    ScaledRows asIs = ScaledRows.of(x, n, d, false, "x");
    assertSame(x, asIs.rows, "seed " + seed + ": no copy of rows within 2^±256");
    for (int i = 0; i < n; i++) {
      assertEquals(1.0, asIs.factor[i], "seed " + seed);
    }
    // The same rows beside one huge row: the whole set is scaled now, and every variance and Gram
    // entry of the common rows keeps its bits.
    double[] y = new double[(n + 1) * d];
    System.arraycopy(x, 0, y, 0, x.length);
    for (int k = 0; k < d; k++) {
      y[n * d + k] = Math.scalb(1.0 + k, 300);
    }
    ScaledRows scaled = ScaledRows.of(y, n + 1, d, false, "y");
    assertNotSame(y, scaled.rows);
    for (int i = 0; i < n; i++) {
      assertEquals(asIs.variance[i], scaled.variance[i], "seed " + seed + ": q of row " + i);
      for (int j = 0; j < n; j++) {
        double plain = asIs.dot(i, asIs, j) / d * asIs.factor[i] * asIs.factor[j];
        double viaScaled = scaled.dot(i, scaled, j) / d * scaled.factor[i] * scaled.factor[j];
        assertEquals(plain, viaScaled, "seed " + seed + ": x" + i + "·x" + j + "/d");
      }
    }
  }

  @ParameterizedTest(name = "exponent {0}")
  @ValueSource(ints = {-500, -257, -256, 0, 256, 257, 500})
  void theWindowIsTwoToThePlusMinus256(int exponent) {
    double[] x = {Math.scalb(1.5, exponent), -Math.scalb(1.0, exponent - 3), 0};
    ScaledRows s = ScaledRows.of(x, 1, 3, false, "x");
    boolean inside = Math.abs(exponent) <= ScaledRows.AS_IS_EXPONENT;
    assertEquals(inside, s.rows == x, "exponent " + exponent);
    assertEquals(inside ? 1.0 : Math.scalb(1.0, exponent), s.factor[0], "exponent " + exponent);
    double top = Math.abs(s.rows[0]);
    assertTrue(inside || (top >= 1 && top < 2), "scaled rows have their largest entry in [1, 2)");
  }

  @ParameterizedTest(name = "seed {0}")
  @ValueSource(longs = {7, 8})
  void float32RowsAreAlwaysScaled(long seed) {
    SplittableRandom r = new SplittableRandom(seed);
    double[] x = gaussianRows(r, 5, 4, 3.0);
    ScaledRows s = ScaledRows.of(x, 5, 4, true, "x");
    assertNotSame(x, s.rows, "seed " + seed + ": float32 rounds the scaled rows, never the caller's");
    for (int i = 0; i < 5; i++) {
      double top = 0;
      for (int k = 0; k < 4; k++) {
        top = Math.max(top, Math.abs(s.rows[i * 4 + k]));
        assertEquals((double) (float) s.rows[i * 4 + k], s.rows[i * 4 + k], "float-rounded");
      }
      assertTrue(top >= 1 && top < 2, "seed " + seed + ": row " + i);
    }
  }
}
