package io.github.ntk4j.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The native BLAS Gram block agrees with the pure-Java one (when a native BLAS is installed). */
class NativeGramTest {
  @Test
  void nativeAndJavaGramBlocksAgreeToRounding() {
    org.junit.jupiter.api.Assumptions.assumeTrue(NativeBlas.available(),
        "no native BLAS here (or -Dntk4j.noNativeBlas=true): " + NativeBlas.describe());
    SplittableRandom r = new SplittableRandom(12);
    for (int trial = 0; trial < 20; trial++) {
      int d = 1 + r.nextInt(300);
      int n1 = 1 + r.nextInt(90);
      int n2 = 1 + r.nextInt(90);
      double[] a = gaussian(r, n1 * d);
      double[] b = gaussian(r, n2 * d);
      int i0 = r.nextInt(n1);
      int m = 1 + r.nextInt(n1 - i0);
      int j0 = r.nextInt(n2);
      int w = 1 + r.nextInt(n2 - j0);
      double[] slow = new double[m * w];
      Gram.tile(a, d, Gram.transpose(b, n2, d), n2, i0, i0 + m, j0, w, slow);
      double[] fast = new double[m * w];
      NativeBlas.tile(a, b, d, i0, m, j0, w, fast);
      for (int k = 0; k < m * w; k++) {
        // |error| ≤ d·ε·Σ|a_k b_k| for either order; bound by the norms.
        int i = i0 + k / w;
        int j = j0 + k % w;
        double bound = 2 * d * 0x1p-52 * Math.sqrt(Gram.dot(a, i * d, a, i * d, d) * Gram.dot(b, j * d, b, j * d, d));
        assertTrue(Math.abs(fast[k] - slow[k]) <= bound, "trial " + trial + " entry " + k);
      }
    }
  }

  @Test
  void theRouteIsNamed() {
    assertEquals(NativeBlas.available(), NativeBlas.describe().startsWith("native"));
  }

  private static double[] gaussian(SplittableRandom r, int n) {
    double[] v = new double[n];
    for (int k = 0; k < n; k++) {
      v[k] = r.nextGaussian();
    }
    return v;
  }
}
