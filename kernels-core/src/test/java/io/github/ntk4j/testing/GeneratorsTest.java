package io.github.ntk4j.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.github.ntk4j.Matrix;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The plain data generator: shape, reproducibility, and the first two moments of its entries. */
class GeneratorsTest {
  @Test
  void standardNormalHasTheShapeAndMomentsAsked() {
    Matrix m = Generators.standardNormal(new SplittableRandom(5), 400, 250);
    assertEquals(400, m.rows());
    assertEquals(250, m.cols());
    double[] v = m.toRowMajorArray();
    double mean = 0;
    double second = 0;
    double fourth = 0;
    for (double e : v) {
      mean += e / v.length;
      second += e * e / v.length;
      fourth += e * e * e * e / v.length;
    }
    // 10⁵ draws: standard errors 0.0032, 0.0045 and 0.03.
    assertEquals(0, mean, 0.015, "seed 5: mean");
    assertEquals(1, second, 0.02, "seed 5: variance");
    assertEquals(3, fourth, 0.15, "seed 5: fourth moment");
    assertEquals(m, Generators.standardNormal(new SplittableRandom(5), 400, 250), "seed 5: same seed, same matrix");
  }
}
