package io.github.ntk4j.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The fast θ = atan2(s, Σ) of the chains agrees with the JDK's to a few ulps. */
class AngleTest {
  @Test
  void agreesWithStrictMathOverEveryRegion() {
    SplittableRandom r = new SplittableRandom(31);
    double worst = 0;
    for (int trial = 0; trial < 2_000_000; trial++) {
      double s = Math.scalb(r.nextDouble(), r.nextInt(-60, 60));
      double sigma = (r.nextBoolean() ? 1 : -1) * Math.scalb(r.nextDouble(), r.nextInt(-60, 60));
      if (r.nextInt(10) == 0) {
        s = Math.abs(sigma) * (1 + (r.nextDouble() - 0.5) * 1e-3); // near the diagonal s = |Σ|
      }
      double expected = StrictMath.atan2(s, sigma);
      double got = Angles.angle(s, sigma);
      double ulps = Math.abs(got - expected) / Math.ulp(expected);
      worst = Math.max(worst, ulps);
      assertTrue(ulps <= 4, "atan2(" + s + ", " + sigma + "): " + got + " vs " + expected + " (" + ulps + " ulps)");
    }
    assertTrue(worst > 0, "the comparison is not vacuous");
  }

  @Test
  void exactWhereTheChainsNeedExactness() {
    assertEquals(0.0, Angles.angle(0, 3.5));
    assertEquals(Math.PI, Angles.angle(0, -3.5));
    assertEquals(Math.PI / 2, Angles.angle(2, 0));
    assertEquals(Math.atan2(0, 0), Angles.angle(0, 0));
    assertEquals(Math.atan2(Double.POSITIVE_INFINITY, 1), Angles.angle(Double.POSITIVE_INFINITY, 1));
    assertTrue(Double.isNaN(Angles.angle(Double.NaN, 1)));
    assertEquals(1e-300 / 2, Angles.angle(1e-300, 2), 1e-315);
  }
}
