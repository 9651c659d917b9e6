package io.github.ntk4j.featurelearning;

import static io.github.ntk4j.TestSupport.assertMessage;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.ntk4j.Matrix;
import io.github.ntk4j.NumericalException;
import java.util.SplittableRandom;
import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.CommonOps_DDRM;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The deep linear aNBK (shared/math/feature-learning.md §2.3) against the matrix stationarity
 * equations of §2.2 written out with EJML, the joint-set construction for test points, the published
 * closed-form values, and the γ → 0 and β → ∞ limits. Failure messages start with the seed.
 */
class DeepLinearAnbkTest {
  static final double INF = Double.POSITIVE_INFINITY;

  static DMatrixRMaj dm(Matrix m) {
    return new DMatrixRMaj(m.toArray());
  }

  static DMatrixRMaj times(DMatrixRMaj a, DMatrixRMaj b) {
    DMatrixRMaj c = new DMatrixRMaj(a.numRows, b.numCols);
    CommonOps_DDRM.mult(a, b, c);
    return c;
  }

  static double maxDiff(DMatrixRMaj a, DMatrixRMaj b) {
    double s = 0;
    for (int i = 0; i < a.data.length; i++) {
      s = Math.max(s, Math.abs(a.data[i] - b.data[i]));
    }
    return s;
  }

  /** Inputs (P×D Gaussian) and targets of a generated case. */
  record Case(Matrix x, Matrix y) {
    static Case of(long seed, int p, int d) {
      SplittableRandom r = new SplittableRandom(seed);
      double[][] x = new double[p][d];
      double[][] y = new double[p][1];
      for (int i = 0; i < p; i++) {
        for (int j = 0; j < d; j++) {
          x[i][j] = r.nextGaussian();
        }
        y[i][0] = Math.signum(x[i][0]) + 0.3 * r.nextGaussian();
      }
      return new Case(Matrix.of(x), Matrix.of(y));
    }
  }

  /**
   * With exact linear moments the equations of §2.2 read: Φ_l = (Φ_{l−1}⁻¹ + Φ̂_l)⁻¹, Φ̂_L = −γ²aaᵀ with
   * a = (Φ_L + I/β)⁻¹y, and Φ̂_l = −(Φ_l⁻¹Φ_{l+1}Φ_l⁻¹ − Φ_l⁻¹); multiplied out so that no inverse of a
   * possibly singular matrix is needed.
   */
  @ParameterizedTest(name = "seed {0}, P = {1}, D = {2}, L = {3}, γ = {4}, β = {5}")
  @CsvSource({
    "1, 6, 10, 1, 1.0, 10", "2, 6, 10, 2, 1.0, 10", "3, 6, 10, 3, 1.0, 10", "4, 8, 20, 2, 0.5, Infinity",
    "5, 8, 20, 3, 2.0, Infinity", "6, 5, 3, 2, 1.0, 5", "7, 12, 30, 4, 3.0, 100", "8, 6, 10, 1, 0.2, 1"
  })
  void solvesTheMatrixStationarityEquations(long seed, int p, int d, int depth, double gamma, double beta) {
    Case c = Case.of(seed, p, d);
    DeepLinearAnbk s = DeepLinearAnbk.fit(c.x(), c.y(), gamma, beta, depth);
    DMatrixRMaj[] phi = new DMatrixRMaj[depth + 1];
    DMatrixRMaj[] hat = new DMatrixRMaj[depth + 1];
    for (int l = 0; l <= depth; l++) {
      phi[l] = dm(s.featureKernel(l));
      if (l > 0) {
        hat[l] = dm(s.conjugateKernel(l));
      }
    }
    double scale = CommonOps_DDRM.elementMaxAbs(phi[depth]) * (1 + CommonOps_DDRM.elementMaxAbs(hat[1]) * CommonOps_DDRM.elementMaxAbs(phi[depth]));
    String msg = "seed " + seed + ": ";
    // Φ₀ = C = X·Xᵀ/D.
    DMatrixRMaj x = dm(c.x());
    DMatrixRMaj gram = new DMatrixRMaj(p, p);
    CommonOps_DDRM.multTransB(x, x, gram);
    CommonOps_DDRM.scale(1.0 / d, gram);
    assertTrue(maxDiff(phi[0], gram) < 1e-13 * scale, msg + "Φ₀ = C");
    for (int l = 1; l <= depth; l++) {
      // Φ_{l−1} − Φ_l − Φ_l·Φ̂_l·Φ_{l−1} = 0
      DMatrixRMaj res = phi[l - 1].copy();
      CommonOps_DDRM.subtractEquals(res, phi[l]);
      CommonOps_DDRM.subtractEquals(res, times(times(phi[l], hat[l]), phi[l - 1]));
      assertTrue(CommonOps_DDRM.elementMaxAbs(res) < 1e-12 * scale, msg + "layer " + l + " moment equation, residual " + CommonOps_DDRM.elementMaxAbs(res));
    }
    for (int l = 1; l < depth; l++) {
      // Φ_l·Φ̂_l·Φ_l + Φ_{l+1} − Φ_l = 0
      DMatrixRMaj res = times(times(phi[l], hat[l]), phi[l]);
      CommonOps_DDRM.addEquals(res, phi[l + 1]);
      CommonOps_DDRM.subtractEquals(res, phi[l]);
      assertTrue(CommonOps_DDRM.elementMaxAbs(res) < 1e-12 * scale, msg + "layer " + l + " conjugate equation, residual " + CommonOps_DDRM.elementMaxAbs(res));
    }
    // Φ̂_L = −γ²aaᵀ with a = (Φ_L + I/β)⁻¹y.
    DMatrixRMaj reg = phi[depth].copy();
    if (!Double.isInfinite(beta)) {
      for (int i = 0; i < p; i++) {
        reg.add(i, i, 1 / beta);
      }
    }
    DMatrixRMaj a = new DMatrixRMaj(p, 1);
    assertTrue(CommonOps_DDRM.solve(reg, dm(c.y()), a), msg + "Φ_L + I/β is invertible here");
    DMatrixRMaj expected = new DMatrixRMaj(p, p);
    CommonOps_DDRM.multTransB(-gamma * gamma, a, a, expected);
    double tol = 1e-10 * Math.max(1, CommonOps_DDRM.elementMaxAbs(expected));
    assertTrue(maxDiff(hat[depth], expected) < tol, msg + "Φ̂_L = −γ²aaᵀ, off by " + maxDiff(hat[depth], expected));
  }

  /**
   * Test rows from the joint construction of §2.2, run in EJML: base covariances over training and
   * test points, tilts padded with zeros on the test coordinates, Φ_l = Φ_{l−1}(I + Φ̂_lΦ_{l−1})⁻¹.
   * Its training block must be Φ_l, its test rows {@link DeepLinearAnbk#featureKernelRows}, and
   * Φ_L(x*, X)(Φ_L + I/β)⁻¹y the predictor.
   */
  @ParameterizedTest(name = "seed {0}, L = {1}, γ = {2}, β = {3}")
  @CsvSource({"11, 1, 1.0, 10", "12, 2, 1.0, 10", "13, 3, 0.7, 50", "14, 2, 2.0, 3"})
  void jointConstructionGivesTheTestRowsAndThePredictor(long seed, int depth, double gamma, double beta) {
    int p = 7;
    int t = 4;
    int d = 15;
    Case all = Case.of(seed, p + t, d);
    double[][] xa = all.x().toArray();
    double[][] xTrain = java.util.Arrays.copyOfRange(xa, 0, p);
    double[][] xTest = java.util.Arrays.copyOfRange(xa, p, p + t);
    Matrix y = Matrix.ofRowMajor(p, 1, java.util.Arrays.copyOf(all.y().toRowMajorArray(), p));
    DeepLinearAnbk s = DeepLinearAnbk.fit(Matrix.of(xTrain), y, gamma, beta, depth);
    int n = p + t;
    DMatrixRMaj x = new DMatrixRMaj(xa);
    DMatrixRMaj phi = new DMatrixRMaj(n, n);
    CommonOps_DDRM.multTransB(x, x, phi);
    CommonOps_DDRM.scale(1.0 / d, phi);
    String msg = "seed " + seed + ": ";
    for (int l = 1; l <= depth; l++) {
      DMatrixRMaj hat = new DMatrixRMaj(n, n);
      double[][] h = s.conjugateKernel(l).toArray();
      for (int i = 0; i < p; i++) {
        for (int j = 0; j < p; j++) {
          hat.set(i, j, h[i][j]);
        }
      }
      DMatrixRMaj m = times(hat, phi);
      for (int i = 0; i < n; i++) {
        m.add(i, i, 1);
      }
      DMatrixRMaj inv = new DMatrixRMaj(n, n);
      assertTrue(CommonOps_DDRM.invert(m, inv));
      phi = times(phi, inv);
      double[][] train = s.featureKernel(l).toArray();
      double[][] rows = s.featureKernelRows(l, s.crossGram(Matrix.of(xTest))).toArray();
      for (int i = 0; i < p; i++) {
        for (int j = 0; j < p; j++) {
          assertEquals(phi.get(i, j), train[i][j], 1e-12 * (1 + Math.abs(train[i][j])), msg + "training block, layer " + l);
        }
      }
      for (int i = 0; i < t; i++) {
        for (int j = 0; j < p; j++) {
          assertEquals(phi.get(p + i, j), rows[i][j], 1e-12 * (1 + Math.abs(rows[i][j])), msg + "test rows, layer " + l);
        }
      }
    }
    DMatrixRMaj reg = CommonOps_DDRM.extract(phi, 0, p, 0, p);
    for (int i = 0; i < p; i++) {
      reg.add(i, i, 1 / beta);
    }
    DMatrixRMaj alpha = new DMatrixRMaj(p, 1);
    CommonOps_DDRM.solve(reg, dm(y), alpha);
    DMatrixRMaj f = times(CommonOps_DDRM.extract(phi, p, n, 0, p), alpha);
    double[] got = s.predict(Matrix.of(xTest)).toRowMajorArray();
    for (int i = 0; i < t; i++) {
      assertEquals(f.get(i, 0), got[i], 1e-11 * (1 + Math.abs(got[i])), msg + "predictor at test point " + i);
    }
  }

  /** C = I, ‖y‖ = 1: c_L = yᵀΦ_L y solves c = (1 + γ²c/(c + 1/β)²)^L (the notes' table). */
  @Test
  void closedFormValuesOnWhiteInputs() {
    Matrix id = identity(4);
    Matrix y = Matrix.ofRowMajor(4, 1, new double[] {0.5, -0.5, 0.5, 0.5});
    assertEquals((1 + Math.sqrt(5)) / 2, DeepLinearAnbk.fitGram(id, y, 1, INF, 1).alignment(), 1e-12, "golden ratio");
    assertEquals(25, DeepLinearAnbk.fitGram(id, y, 10, INF, 2).alignment(), 1e-11, "(10, ∞, 2)");
    assertEquals(1.505217, DeepLinearAnbk.fitGram(id, y, 0.5, 10, 3).alignment(), 5e-7, "(0.5, 10, 3)");
    // L = 1, β = ∞: c = (1 + √(1 + 4γ²))/2 for any γ.
    for (double g : new double[] {0.1, 0.7, 3, 20}) {
      assertEquals((1 + Math.sqrt(1 + 4 * g * g)) / 2, DeepLinearAnbk.fitGram(id, y, g, INF, 1).m(), 1e-12 * g * g, "γ = " + g);
    }
    // Φ_l = I + (c_l − 1)yyᵀ with c_l = m_l = (1 + q)^l.
    DeepLinearAnbk s = DeepLinearAnbk.fitGram(id, y, 0.5, 10, 3);
    for (int l = 0; l <= 3; l++) {
      double cl = Math.pow(1 + s.q(), l);
      double[][] phi = s.featureKernel(l).toArray();
      for (int i = 0; i < 4; i++) {
        for (int j = 0; j < 4; j++) {
          double want = (i == j ? 1 : 0) + (cl - 1) * y.get(i, 0) * y.get(j, 0);
          assertEquals(want, phi[i][j], 1e-13, "layer " + l);
        }
      }
    }
  }

  /** The notes' non-white example (C given, L = 2, γ = 1, β = 10). */
  @Test
  void nonWhiteReferenceValues() {
    Matrix c = Matrix.of(new double[][] {{1, 0.5, 0.2}, {0.5, 1, 0.3}, {0.2, 0.3, 1}});
    Matrix y = Matrix.ofRowMajor(3, 1, new double[] {1, -1, 0.5});
    Matrix cross = Matrix.ofRowMajor(1, 3, new double[] {0.4, 0.1, -0.2});
    DeepLinearAnbk s = DeepLinearAnbk.fitGram(c, y, 1, 10, 2);
    assertEquals(4.05791083737, s.m(), 1e-10);
    assertEquals(1.01442568425, s.q(), 1e-10);
    assertEquals(-0.172239532816, s.featureKernel(2).get(0, 1), 1e-11);
    assertEquals(4.56297825279, s.alignment(), 1e-10);
    assertEquals(0.384279463324, s.predictGram(cross).get(0, 0), 1e-11);
    for (double g : new double[] {0.1, 1, 5}) {
      for (int depth = 1; depth <= 3; depth++) {
        assertEquals(0.404411764706, DeepLinearAnbk.fitGram(c, y, g, INF, depth).predictGram(cross).get(0, 0), 1e-11,
            "β = ∞: the linear interpolant for every γ and L");
      }
    }
  }

  @ParameterizedTest(name = "seed {0}")
  @CsvSource({"21", "22", "23"})
  void lazyLimitAndSmallGammaAsymptotics(long seed) {
    Case c = Case.of(seed, 9, 12);
    Matrix gram = DeepLinearAnbk.fit(c.x(), c.y(), 0, 10, 3).featureKernel(0);
    for (int depth = 1; depth <= 3; depth++) {
      DeepLinearAnbk zero = DeepLinearAnbk.fit(c.x(), c.y(), 0, 10, depth);
      assertEquals(1.0, zero.m(), "seed " + seed + ": γ = 0 gives m = 1");
      assertEquals(gram, zero.featureKernel(depth), "seed " + seed + ": γ = 0 gives the NNGP C");
      DeepLinearAnbk tiny = DeepLinearAnbk.fit(c.x(), c.y(), 1e-4, 10, depth);
      double dev = maxDiff(dm(tiny.featureKernel(depth)), dm(gram));
      assertTrue(dev < 1e-6 && dev > 0, "seed " + seed + ": γ = 1e-4 moves Φ_L by O(γ²), got " + dev);
    }
    // White inputs at β = ∞: c_L − 1 ≈ Lγ² for small γ.
    Matrix y = Matrix.ofRowMajor(2, 1, new double[] {0.6, 0.8});
    for (int depth = 1; depth <= 4; depth++) {
      double g = 1e-3;
      double c1 = DeepLinearAnbk.fitGram(identity(2), y, g, INF, depth).m() - 1;
      assertEquals(depth * g * g, c1, 1e-3 * depth * g * g, "L = " + depth);
    }
  }

  @ParameterizedTest(name = "seed {0}")
  @CsvSource({"31", "32"})
  void alignmentGrowsWithGammaAndTrainFitTendsToTargetsAsBetaGrows(long seed) {
    Case c = Case.of(seed, 10, 25);
    double previous = -1;
    for (double g : new double[] {0, 0.3, 1, 3}) {
      double al = DeepLinearAnbk.fit(c.x(), c.y(), g, 20, 2).alignment();
      assertTrue(al > previous, "seed " + seed + ": yᵀΦ_L y grows with γ");
      previous = al;
    }
    double previousError = Double.POSITIVE_INFINITY;
    for (double beta : new double[] {1, 10, 100, 1e4}) {
      double[] f = DeepLinearAnbk.fit(c.x(), c.y(), 1, beta, 2).predict(c.x()).toRowMajorArray();
      double err = 0;
      for (int i = 0; i < f.length; i++) {
        err = Math.max(err, Math.abs(f[i] - c.y().get(i, 0)));
      }
      assertTrue(err < previousError, "seed " + seed + ": the train fit improves with β");
      previousError = err;
    }
    assertTrue(previousError < 1e-2, "seed " + seed + ": at β = 1e4 the train predictor is y, off by " + previousError);
  }

  /**
   * With β·λ_min &lt; 1 there may be several roots. Here C = diag(1, 1e-3), y = (0.1, 1), β = 1, L = 3:
   * the second eigendirection adds a bump to r(m) near m = 1000. At γ = 8 the branch from m = 1 is
   * still the small root (about 1.7, far below the bump); by γ = 20 it has folded away and fit refuses.
   */
  @Test
  void followsTheBranchFromGammaZeroAndRefusesAfterItsFold() {
    Matrix c = Matrix.of(new double[][] {{1, 0}, {0, 1e-3}});
    Matrix y = Matrix.ofRowMajor(2, 1, new double[] {0.1, 1});
    DeepLinearAnbk s = DeepLinearAnbk.fitGram(c, y, 8, 1, 3);
    assertTrue(s.m() > 1 && s.m() < 3, "the branch from m = 1, got m = " + s.m());
    NumericalException e = assertThrows(NumericalException.class, () -> DeepLinearAnbk.fitGram(c, y, 20, 1, 3));
    assertTrue(e.getMessage().contains("fold"), e.getMessage());
    // At β = ∞ the root is unique.
    assertTrue(DeepLinearAnbk.fitGram(c, y, 20, INF, 3).m() > 1);
  }

  @Test
  void badInputIsRefusedWithClearMessages() {
    Matrix x = Matrix.of(new double[][] {{1, 0}, {0, 1}, {1, 1}});
    Matrix y = Matrix.ofRowMajor(3, 1, new double[] {1, 0, 1});
    assertMessage(() -> DeepLinearAnbk.fit(x, Matrix.ofRowMajor(3, 2, new double[6]), 1, 1, 1), "y must be 3x1");
    assertMessage(() -> DeepLinearAnbk.fit(x, y, -1, 1, 1), "gamma must be");
    assertMessage(() -> DeepLinearAnbk.fit(x, y, Double.NaN, 1, 1), "gamma must be");
    assertMessage(() -> DeepLinearAnbk.fit(x, y, 1, 0, 1), "beta must be > 0");
    assertMessage(() -> DeepLinearAnbk.fit(x, y, 1, 1, 0), "depth must be >= 1");
    assertMessage(() -> DeepLinearAnbk.fit(x, Matrix.ofRowMajor(3, 1, new double[] {1, Double.NaN, 0}), 1, 1, 1), "y: row 1");
    assertMessage(() -> DeepLinearAnbk.fitGram(Matrix.of(new double[][] {{1, 2}, {0, 1}}), Matrix.ofRowMajor(2, 1, new double[2]), 1, 1, 1),
        "c must be symmetric");
    assertMessage(() -> DeepLinearAnbk.fitGram(Matrix.of(new double[][] {{1, 2}, {2, 1}}), Matrix.ofRowMajor(2, 1, new double[2]), 1, 1, 1),
        "positive semidefinite");
    DeepLinearAnbk s = DeepLinearAnbk.fit(x, y, 1, 1, 2);
    assertMessage(() -> s.predict(Matrix.of(new double[][] {{1, 2, 3}})), "xTest must have 2 columns");
    assertMessage(() -> s.featureKernel(3), "layer must be 0 to 2");
    assertMessage(() -> s.conjugateKernel(0), "layer must be 1 to 2");
    assertMessage(() -> s.predictGram(Matrix.of(new double[][] {{1, 2}})), "crossGram must have 3 columns");
    DeepLinearAnbk g = DeepLinearAnbk.fitGram(identity(3), y, 1, 1, 1);
    assertThrows(IllegalStateException.class, () -> g.predict(x));
  }

  static Matrix identity(int n) {
    double[][] a = new double[n][n];
    for (int i = 0; i < n; i++) {
      a[i][i] = 1;
    }
    return Matrix.of(a);
  }
}
