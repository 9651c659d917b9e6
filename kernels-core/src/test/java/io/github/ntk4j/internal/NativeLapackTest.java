package io.github.ntk4j.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The native LAPACK route against EJML on generated symmetric matrices: the same Cholesky factor,
 * the same eigenvalues and eigenvectors (up to sign), the same refusal of singular matrices. Runs
 * where a native LAPACK is installed (CI installs OpenBLAS); skipped with a reason otherwise.
 */
class NativeLapackTest {
  static double[] spd(SplittableRandom r, int n, int rank) {
    double[] g = new double[n * rank];
    for (int i = 0; i < g.length; i++) {
      g[i] = r.nextGaussian();
    }
    double[] a = Products.timesTransposed(g, n, rank, g, n);
    return a;
  }

  @ParameterizedTest(name = "seed {0}")
  @ValueSource(longs = {1, 2, 3, 4})
  void nativeFactorizationsAgreeWithEjml(long seed) {
    Assumptions.assumeTrue(NativeLapack.available(), "no native LAPACK on this machine");
    SplittableRandom r = new SplittableRandom(seed);
    int n = 5 + r.nextInt(60);
    double[] a = spd(r, n, n + 3);
    double[] ln = LinearAlgebra.cholesky(a, n, new int[1], true);
    double[] le = LinearAlgebra.cholesky(a, n, new int[1], false);
    assertNotNull(ln);
    double scale = 0;
    for (double v : le) {
      scale = Math.max(scale, Math.abs(v));
    }
    for (int i = 0; i < n * n; i++) {
      assertEquals(le[i], ln[i], 1e-10 * scale, "seed " + seed + " L entry " + i);
    }
    LinearAlgebra.Eigen en = LinearAlgebra.eigen(a, n, true, true);
    LinearAlgebra.Eigen ee = LinearAlgebra.eigen(a, n, true, false);
    double top = ee.values()[n - 1];
    for (int j = 0; j < n; j++) {
      assertEquals(ee.values()[j], en.values()[j], 1e-11 * top, "seed " + seed + " eigenvalue " + j);
      // Eigenvectors up to sign (the spectrum of a random Wishart matrix is simple).
      double dot = 0;
      for (int i = 0; i < n; i++) {
        dot += ee.vectors()[i * n + j] * en.vectors()[i * n + j];
      }
      assertEquals(1.0, Math.abs(dot), 1e-7, "seed " + seed + " eigenvector " + j);
    }
    // A rank-deficient matrix is refused by both routes (pivot at rounding level).
    double[] singular = spd(r, n, n / 2);
    assertNull(LinearAlgebra.cholesky(singular, n, new int[1], true), "seed " + seed);
    assertNull(LinearAlgebra.cholesky(singular, n, new int[1], false), "seed " + seed);
  }

  @ParameterizedTest(name = "seed {0}")
  @ValueSource(longs = {5, 6})
  void inPlaceFactorizationsEqualTheCopyingOnesAndOnlyThoseOverwrite(long seed) {
    SplittableRandom r = new SplittableRandom(seed);
    int n = 5 + r.nextInt(40);
    double[] a = spd(r, n, n + 3);
    double[] original = a.clone();
    double[] l = LinearAlgebra.cholesky(a, n, new int[1]);
    LinearAlgebra.Eigen e = LinearAlgebra.eigen(a, n, true);
    org.junit.jupiter.api.Assertions.assertArrayEquals(original, a, "seed " + seed + ": the copying routes must not modify a");
    org.junit.jupiter.api.Assertions.assertArrayEquals(l, LinearAlgebra.choleskyInPlace(a.clone(), n, new int[1]), "seed " + seed);
    LinearAlgebra.Eigen inPlace = LinearAlgebra.eigenInPlace(a.clone(), n, true);
    org.junit.jupiter.api.Assertions.assertArrayEquals(e.values(), inPlace.values(), "seed " + seed);
    org.junit.jupiter.api.Assertions.assertArrayEquals(e.vectors(), inPlace.vectors(), "seed " + seed);
    // A singular matrix is refused in place too, naming a pivot.
    int[] pivot = {-2};
    assertNull(LinearAlgebra.choleskyInPlace(spd(r, n, n / 2), n, pivot), "seed " + seed);
    org.junit.jupiter.api.Assertions.assertTrue(pivot[0] >= -1 && pivot[0] < n, "seed " + seed + " pivot " + pivot[0]);
  }

  @ParameterizedTest(name = "seed {0}")
  @ValueSource(longs = {7, 8, 9})
  void nativeProductsAgreeWithEjml(long seed) {
    Assumptions.assumeTrue(NativeBlas.available(), "no native BLAS on this machine");
    SplittableRandom r = new SplittableRandom(seed);
    int rows = 1 + r.nextInt(50);
    int inner = 1 + r.nextInt(50);
    int cols = 1 + r.nextInt(12);
    double[] a = new double[rows * inner];
    double[] b = new double[inner * cols];
    double[] at = new double[inner * rows];
    for (int i = 0; i < a.length; i++) {
      a[i] = r.nextGaussian();
    }
    for (int i = 0; i < b.length; i++) {
      b[i] = r.nextGaussian();
    }
    for (int i = 0; i < rows; i++) {
      for (int k = 0; k < inner; k++) {
        at[k * rows + i] = a[i * inner + k];
      }
    }
    double[] ab = LinearAlgebra.multiply(a, rows, inner, b, cols, true);
    double[] expected = LinearAlgebra.multiply(a, rows, inner, b, cols, false);
    double[] atb = LinearAlgebra.multiplyTransposeA(at, inner, rows, b, cols, true);
    for (int i = 0; i < expected.length; i++) {
      assertEquals(expected[i], ab[i], 1e-12 * inner, "seed " + seed + " A·B entry " + i);
      assertEquals(expected[i], atb[i], 1e-12 * inner, "seed " + seed + " Aᵀ·B entry " + i);
    }
    // A symmetric S times the columns of B, given and returned transposed: (S·B)ᵀ = Bᵀ·S.
    double[] s = new double[inner * inner];
    for (int i = 0; i < inner; i++) {
      for (int k = 0; k <= i; k++) {
        s[i * inner + k] = s[k * inner + i] = r.nextGaussian();
      }
    }
    double[] bt = Products.transpose(b, inner, cols);
    double[] sb = LinearAlgebra.multiply(s, inner, inner, b, cols, false);
    double[] viaNative = LinearAlgebra.symmetricTimesColumns(s, inner, bt, cols, true);
    double[] viaEjml = LinearAlgebra.symmetricTimesColumns(s, inner, bt, cols, false);
    for (int i = 0; i < inner; i++) {
      for (int j = 0; j < cols; j++) {
        assertEquals(sb[i * cols + j], viaNative[j * inner + i], 1e-12 * inner, "seed " + seed + " native (S·B)ᵀ");
        assertEquals(sb[i * cols + j], viaEjml[j * inner + i], 1e-12 * inner, "seed " + seed + " EJML (S·B)ᵀ");
      }
    }
  }
}
