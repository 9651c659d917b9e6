package io.github.ntk4j.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The vectorized ReLU dual maps agree with the closed form evaluated through the JDK's atan2, and
 * compute every entry by the same operations whatever the other entries of its block are.
 */
class ArcCosineTest {
  private static final double TWO_PI = 2 * Math.PI;

  /** A row of (Σ, s) pairs: angles over [0, π] (some near 0, π/2 and π), magnitudes over 2⁻⁴⁰…2⁴⁰. */
  private static double[][] row(SplittableRandom r, int n) {
    double[] sigma = new double[n];
    double[] sine = new double[n];
    for (int k = 0; k < n; k++) {
      double theta;
      switch (r.nextInt(5)) {
        case 0 -> theta = Math.scalb(r.nextDouble(), -r.nextInt(50)); // near duplicates
        case 1 -> theta = Math.PI / 2 + (r.nextDouble() - 0.5) * 1e-3;
        case 2 -> theta = Math.PI - 1.2 * r.nextDouble(); // towards anti-parallel, partly beyond tan φ = 1/2
        default -> theta = Math.PI * r.nextDouble();
      }
      double q = Math.scalb(0.5 + r.nextDouble(), r.nextInt(-40, 41));
      sigma[k] = q * Math.cos(theta);
      sine[k] = q * Math.sin(theta);
    }
    return new double[][] {sigma, sine};
  }

  @ParameterizedTest(name = "seed {0}")
  @ValueSource(longs = {1, 2, 3, 4, 5, 6})
  void agreesWithTheClosedFormThroughStrictMathAtan2(long seed) {
    SplittableRandom r = new SplittableRandom(seed);
    for (int rep = 0; rep < 200; rep++) {
      int n = 1 + r.nextInt(200);
      double[][] in = row(r, n);
      double[] t = in[0].clone();
      double[] ntk = new double[n];
      java.util.Arrays.fill(ntk, 1.0);
      ArcCosine.relu(t, in[1], ntk, n);
      for (int k = 0; k < n; k++) {
        double sig = in[0][k];
        double s = in[1][k];
        double psi = StrictMath.atan2(s, -sig); // π − θ, to an ulp of itself
        double tdot = psi / TWO_PI;
        // Ṫ to a few ulps; T to a few ulps of the scale of its terms, s and ψ|Σ| (it cancels for θ
        // near π, where the reference's rounding of ψΣ is what is left).
        String where = "seed " + seed + ", Σ = " + sig + ", s = " + s;
        assertEquals(tdot, ntk[k], 3e-16 + 4 * Math.ulp(tdot), where);
        double scale = (s + psi * Math.abs(sig)) / TWO_PI;
        assertEquals(s / TWO_PI + tdot * sig, t[k], 8 * Math.ulp(scale), where);
      }
    }
  }

  @ParameterizedTest(name = "seed {0}")
  @ValueSource(longs = {11, 12, 13, 14})
  void anEntrysBitsDoNotDependOnItsNeighbours(long seed) {
    SplittableRandom r = new SplittableRandom(seed);
    int n = 150;
    double[][] in = row(r, n);
    double[] t = in[0].clone();
    double[] ntk = new double[n];
    java.util.Arrays.fill(ntk, 1.0);
    ArcCosine.relu(t, in[1], ntk, n);
    // Alone, in blocks of other lengths, and beside entries of the scalar route (zero, huge, tiny,
    // exactly anti-parallel, not finite): the same bits.
    double[][] odd = {{0, 0}, {-3, 0}, {1e200, 1e200}, {1e-200, 3e-201}, {-2, 1e-3}, {Double.NaN, 1}};
    for (int k = 0; k < n; k++) {
      double[] one = {in[0][k]};
      double[] oneNtk = {1.0};
      ArcCosine.relu(one, new double[] {in[1][k]}, oneNtk, 1);
      assertEquals(Double.doubleToLongBits(t[k]), Double.doubleToLongBits(one[0]), "seed " + seed + " entry " + k + " alone");
      assertEquals(Double.doubleToLongBits(ntk[k]), Double.doubleToLongBits(oneNtk[0]), "seed " + seed + " entry " + k);
    }
    for (int trial = 0; trial < 20; trial++) {
      int at = r.nextInt(n);
      double[] sigma = in[0].clone();
      double[] sine = in[1].clone();
      double[] special = odd[r.nextInt(odd.length)];
      sigma[at] = special[0];
      sine[at] = special[1];
      double[] nt = new double[n];
      java.util.Arrays.fill(nt, 1.0);
      ArcCosine.relu(sigma, sine, nt, n);
      for (int k = 0; k < n; k++) {
        if (k != at) {
          assertEquals(Double.doubleToLongBits(t[k]), Double.doubleToLongBits(sigma[k]),
              "seed " + seed + ": entry " + k + " beside (" + special[0] + ", " + special[1] + ") at " + at);
          assertEquals(Double.doubleToLongBits(ntk[k]), Double.doubleToLongBits(nt[k]), "seed " + seed + " entry " + k);
        }
      }
    }
  }

  @ParameterizedTest(name = "Σ = {0}")
  @ValueSource(doubles = {1e-300, 0.37, 1, 2.5e7, 1e300})
  void duplicatesGiveTheDiagonalMapExactly(double q) {
    // s = 0 and Σ = q (a point with itself): Ṫ = 1/2 and T = q/2, exactly, in a block of fast entries.
    double[] sigma = {0.3, q, 0.7, -0.2};
    double[] sine = {0.9, 0, 0.4, 1.1};
    double[] ntk = {1, 1, 1, 1};
    ArcCosine.relu(sigma, sine, ntk, 4);
    assertEquals(0.5, ntk[1]);
    assertEquals(q / 2, sigma[1]);
    assertTrue(ntk[0] > 0.25 && ntk[0] < 0.5 && ntk[3] > 0 && ntk[3] < 0.25, "the neighbours are ordinary entries");
  }
}
