package io.github.ntk4j.predict;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.ntk4j.Kernels;
import io.github.ntk4j.Matrix;
import io.github.ntk4j.layers.Layer;
import io.github.ntk4j.testing.Generators;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CancellationException;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The finite-time filter by Chebyshev expansion against independent routes: the function itself at
 * random points (the coefficients), the eigenvector route through LAPACK or EJML and the rank-one
 * closed form (the applied filter), and the integrated gradient-flow ODE (the predictor's means).
 * Every failure message starts with the seed.
 */
class ChebyshevFilterTest {
  static LongStream seeds() {
    return LongStream.range(0, 6).map(i -> 104_729 * i + 31);
  }

  /** Clenshaw's sum Σ c_k T_k(x), an evaluation independent of the matrix recurrence. */
  private static double clenshaw(double[] c, double x) {
    double b1 = 0;
    double b2 = 0;
    for (int k = c.length - 1; k >= 1; k--) {
      double b0 = 2 * x * b1 - b2 + c[k];
      b2 = b1;
      b1 = b0;
    }
    return x * b1 - b2 + c[0];
  }

  @ParameterizedTest(name = "seed {0}")
  @MethodSource("seeds")
  void coefficientsReproduceTheFilterOnTheWholeInterval(long seed) {
    SplittableRandom r = new SplittableRandom(seed);
    for (int trial = 0; trial < 8; trial++) {
      double b = Math.pow(10, -2 + 6 * r.nextDouble());
      double a = -1e-12 * b;
      double tauB = Math.pow(10, -4 + 8.5 * r.nextDouble()); // τ·b from 1e-4 to about 3e4
      double tau = tauB / b;
      int sigma = r.nextBoolean() ? 1 : 2;
      double[] c = ChebyshevFilter.coefficients(a, b, tau, sigma);
      assertNotNull(c, "seed " + seed + ": tau*b " + tauB + " should be in reach");
      // The degree grows like √(τ·b), not faster.
      assertTrue(c.length <= 40 + 8 * Math.sqrt(sigma * tauB),
          "seed " + seed + ": degree " + c.length + " for tau*b " + tauB);
      double scale = sigma * tau; // the filter's largest value, at λ = 0
      for (int i = 0; i < 200; i++) {
        double lambda = i == 0 ? a : i == 1 ? b : i == 2 ? 0 : a + (b - a) * r.nextDouble();
        double x = (2 * lambda - a - b) / (b - a);
        double expected = lambda == 0 ? sigma * tau : -Math.expm1(-sigma * tau * lambda) / lambda;
        double err = Math.abs(clenshaw(c, x) - expected);
        // Evaluating h at x's image λ itself moves by a rounding of b: a change of ε·στb relative.
        assertTrue(err <= (1e-13 + 4 * Math.ulp(1.0) * sigma * tauB) * scale, "seed " + seed + ": h(" + lambda + ") off by " + err / scale
            + " relative (tau*b " + tauB + ", degree " + c.length + ")");
      }
    }
  }

  @Test
  void tooLongATimeIsLeftToTheEigendecomposition() {
    assertNull(ChebyshevFilter.coefficients(0, 1, 1e7, 1));
    assertEquals(1, ChebyshevFilter.coefficients(0, 1, 0x1p-60, 1).length, "a nearly constant filter");
  }

  /** A generated NTK of n points (positive semidefinite, as real training kernels are). */
  private static Matrix kernel(SplittableRandom r, int n) {
    Layer arch = Generators.architecture(r, false);
    Matrix x = Generators.genericInputs(r, n, 4);
    return Kernels.ntk(arch, x, null);
  }

  private static Matrix targets(SplittableRandom r, int n, int c) {
    double[][] y = new double[n][c];
    for (double[] row : y) {
      for (int j = 0; j < c; j++) {
        row[j] = Generators.gaussian(r);
      }
    }
    return Matrix.of(y);
  }

  private static void assertClose(double[] expected, double[] actual, double tol, String what) {
    double scale = 0;
    for (double v : expected) {
      scale = Math.max(scale, Math.abs(v));
    }
    for (int i = 0; i < expected.length; i++) {
      double err = Math.abs(actual[i] - expected[i]);
      assertTrue(err <= tol * scale, what + ": entry " + i + " is " + actual[i] + ", expected " + expected[i]
          + " (" + err / scale + " of the largest)");
    }
  }

  @ParameterizedTest(name = "seed {0}")
  @MethodSource("seeds")
  void filterEqualsTheEigenvectorRoute(long seed) {
    SplittableRandom r = new SplittableRandom(seed);
    int n = 300 + r.nextInt(100);
    Matrix k = kernel(r, n);
    int c = 1 + r.nextInt(4);
    Matrix y = targets(r, n, c);
    double reg = r.nextBoolean() ? 1e-4 : 1e-2;
    KernelPredictor p = KernelPredictor.of(k, y, PredictOptions.defaults().withDiagReg(reg));
    double top = ChebyshevFilter.upperBound(k.toRowMajorArray(), n, p.regularization());
    double rate = 1.0 / ((double) n * c);
    String label = "seed " + seed + " (n " + n + ", c " + c + ", diagReg " + reg + ")";
    double[] rhs = y.toRowMajorArray();
    // Through the predictor where its cost rule picks the expansion (short times at this small n) …
    double[][] wired = new double[2][];
    double[] wiredTimes = {1e-3 / (top * rate), 5 / (top * rate)};
    for (int i = 0; i < 2; i++) {
      wired[i] = p.filter(rhs, c, wiredTimes[i], i == 1);
    }
    assertEquals(2, p.chebyshevRuns(), label + ": short times at n = " + n + " go by Chebyshev");
    for (int i = 0; i < 2; i++) {
      assertClose(p.eigenFilter(rhs, c, wiredTimes[i], i == 1), wired[i], 1e-11, label + " through the predictor");
    }
    // … and the expansion itself up to τ·b = 4000 (degree about 400), which the rule leaves to the
    // eigendecomposition at this n.
    double a = ChebyshevFilter.lowerEnd(n, top);
    for (double tauB : new double[] {1e-3, 0.7, 20, 400, 4000}) {
      double time = tauB / (top * rate);
      for (int sigma = 1; sigma <= 2; sigma++) {
        double[][] sets = {ChebyshevFilter.coefficients(a, top, tauB / top, sigma)};
        double[] viaChebyshev = ChebyshevFilter.apply(k.toRowMajorArray(), n, p.regularization(), a, top, rhs, c, sets)[0];
        double[] viaEigen = p.eigenFilter(rhs, c, time, sigma == 2);
        assertClose(viaEigen, viaChebyshev, 1e-11, label + " tau*b " + tauB + (sigma == 2 ? " doubled" : ""));
      }
    }
  }

  @Test
  void rankOneKernelMatchesItsClosedForm() {
    // K = u·uᵀ + reg·I: g(K)·Y = g(reg)·(Y − P·Y) + g(|u|² + reg)·P·Y with P = u·uᵀ/|u|².
    SplittableRandom r = new SplittableRandom(5);
    int n = 400;
    double[] u = new double[n];
    double uu = 0;
    for (int i = 0; i < n; i++) {
      u[i] = 0.5 + r.nextDouble();
      uu += u[i] * u[i];
    }
    double[][] k = new double[n][n];
    for (int i = 0; i < n; i++) {
      for (int j = 0; j < n; j++) {
        k[i][j] = u[i] * u[j];
      }
    }
    double reg = 0.3;
    double[] y = new double[n];
    double uy = 0;
    for (int i = 0; i < n; i++) {
      y[i] = Generators.gaussian(r);
      uy += u[i] * y[i];
    }
    double[] kk = Matrix.of(k).toRowMajorArray();
    double top = ChebyshevFilter.upperBound(kk, n, reg);
    for (double time : new double[] {10, 1000, 40_000}) {
      double tau = time / n;
      double[] expected = new double[n];
      for (int i = 0; i < n; i++) {
        double along = u[i] * uy / uu;
        expected[i] = ChebyshevFilter.filter(reg, tau, 1) * (y[i] - along) + ChebyshevFilter.filter(uu + reg, tau, 1) * along;
      }
      double[][] sets = {ChebyshevFilter.coefficients(ChebyshevFilter.lowerEnd(n, top), top, tau, 1)};
      double[] actual = ChebyshevFilter.apply(kk, n, reg, ChebyshevFilter.lowerEnd(n, top), top, y, 1, sets)[0];
      // The problem's own sensitivity: a rounding of b in λ moves g by about ε·τb of τ.
      assertClose(expected, actual, 1e-12 + 4 * Math.ulp(1.0) * tau * top, "rank one at t = " + time + ", degree " + sets[0].length);
    }
  }

  @ParameterizedTest(name = "seed {0}")
  @MethodSource("seeds")
  void meansFollowTheIntegratedGradientFlow(long seed) {
    SplittableRandom r = new SplittableRandom(seed);
    int n = 260;
    int m = 3;
    Layer arch = Generators.architecture(r, false);
    Matrix x = Generators.genericInputs(r, n, 3);
    Matrix test = Generators.genericInputs(r, m, 3);
    Matrix y = targets(r, n, 2);
    double eta = 0.5 + r.nextDouble();
    Matrix kdd = Kernels.ntk(arch, x, null);
    Matrix ktd = Kernels.ntk(arch, test, x);
    KernelPredictor p = KernelPredictor.of(kdd, y, PredictOptions.defaults().withLearningRate(eta).withDiagReg(1e-3));
    double top = ChebyshevFilter.upperBound(kdd.toRowMajorArray(), n, p.regularization());
    double rate = eta / (2.0 * n);
    double time = (1 + 9 * r.nextDouble()) / (top * rate); // τ·b between 1 and 10
    double[][] joint = new double[n + m][];
    for (int i = 0; i < n; i++) {
      joint[i] = kdd.toArray()[i].clone();
      joint[i][i] += p.regularization();
    }
    for (int i = 0; i < m; i++) {
      joint[n + i] = ktd.toArray()[i];
    }
    double[][] z = IndependentRoutes.integrate(joint, n, y.toArray(), new double[n + m][2], rate, time, 400);
    Matrix mean = p.mean(ktd, time);
    for (int i = 0; i < m; i++) {
      for (int j = 0; j < 2; j++) {
        assertEquals(z[n + i][j], mean.get(i, j), 1e-9 * (1 + Math.abs(z[n + i][j])),
            "seed " + seed + ": test output (" + i + ", " + j + ") at t = " + time);
      }
    }
    assertEquals(1, p.chebyshevRuns(), "seed " + seed + ": the mean went by Chebyshev");
  }

  @Test
  void aCurveEqualsItsPointsBitForBitAndSharesOneExpansion() {
    SplittableRandom r = new SplittableRandom(11);
    int n = 300;
    Matrix k = kernel(r, n);
    Matrix y = targets(r, n, 3);
    Matrix ktd = Generators.genericInputs(r, 7, n);
    PredictOptions o = PredictOptions.defaults().withDiagReg(1e-3);
    KernelPredictor curve = KernelPredictor.of(k, y, o);
    double unit = 3.0 * n / ChebyshevFilter.upperBound(k.toRowMajorArray(), n, curve.regularization()); // τ·b = 1
    double[] times = {0, 0.05 * unit, unit, 12 * unit, Double.POSITIVE_INFINITY, unit};
    List<Matrix> means = curve.means(ktd, times);
    assertEquals(1, curve.chebyshevRuns(), "one expansion for all finite times");
    for (int s = 0; s < times.length; s++) {
      KernelPredictor single = KernelPredictor.of(k, y, o);
      assertEquals(single.mean(ktd, times[s]), means.get(s), "t = " + times[s]);
    }
  }

  @Test
  void anIndefiniteMatrixTakesTheEigenvectorRouteAsBefore() {
    SplittableRandom r = new SplittableRandom(3);
    int n = 300;
    double[][] k = kernel(r, n).toArray();
    double top = 0;
    for (double[] row : k) {
      for (double v : row) {
        top = Math.max(top, Math.abs(v));
      }
    }
    // K − δ·w·wᵀ with a unit w: one eigenvalue pushed below zero.
    double[] w = new double[n];
    for (int i = 0; i < n; i++) {
      w[i] = (i % 2 == 0 ? 1 : -1) / Math.sqrt(n);
    }
    for (double delta : new double[] {1e-2 * n * top, 1e-5 * top}) {
      double[][] shifted = new double[n][n];
      for (int i = 0; i < n; i++) {
        for (int j = 0; j < n; j++) {
          shifted[i][j] = k[i][j] - delta * w[i] * w[j];
        }
      }
      Matrix y = targets(r, n, 1);
      KernelPredictor p = KernelPredictor.of(Matrix.of(shifted), y, PredictOptions.defaults());
      if (delta > top) {
        assertThrows(NotPositiveDefiniteException.class, () -> p.filter(y.toRowMajorArray(), 1, 5, false));
      } else {
        double[] viaEigen = KernelPredictor.of(Matrix.of(shifted), y, PredictOptions.defaults())
            .eigenFilter(y.toRowMajorArray(), 1, 5, false);
        assertArrayEquals(viaEigen, p.filter(y.toRowMajorArray(), 1, 5, false), "the clipped eigenvector route, bit for bit");
      }
      assertEquals(0, p.chebyshevRuns(), "delta " + delta);
    }
  }

  @Test
  void anEnsembleTakesItsComputedKernelWithoutTheCholeskyCertificate() {
    SplittableRandom r = new SplittableRandom(9);
    int n = 300;
    Layer arch = Generators.architecture(r, false);
    Matrix x = Generators.genericInputs(r, n, 4);
    Matrix test = Generators.genericInputs(r, 5, 4);
    Matrix y = targets(r, n, 2);
    PredictOptions o = PredictOptions.defaults().withDiagReg(1e-3);
    InfiniteEnsemble e = InfiniteEnsemble.fit(arch, x, y, o, java.util.EnumSet.of(io.github.ntk4j.KernelKind.NTK));
    KernelPredictor p = e.predictor(io.github.ntk4j.KernelKind.NTK);
    Matrix kdd = Kernels.ntk(arch, x, null);
    double time = 2.0 * n / ChebyshevFilter.upperBound(kdd.toRowMajorArray(), n, p.regularization()); // τ·b = 1
    Matrix mean = e.predict(test, io.github.ntk4j.KernelKind.NTK, time).mean();
    assertEquals(1, p.chebyshevRuns());
    assertTrue(!p.hasCholesky(), "no Cholesky factorization for the ensemble's own kernel");
    double[] viaEigen = p.eigenFilter(y.toRowMajorArray(), 2, time, false);
    Matrix expected = Matrix.ofRowMajor(5, 2,
        io.github.ntk4j.internal.LinearAlgebra.multiply(Kernels.ntk(arch, test, x).toRowMajorArray(), 5, n, viaEigen, 2));
    assertClose(expected.toRowMajorArray(), mean.toRowMajorArray(), 1e-11, "ensemble mean");
  }

  @Test
  void anEnsembleWithDuplicatedPointsAndNoRegularizationAgreesWithTheClippedEigenvectorRoute() {
    // Duplicates make the kernel singular: eigenvalues at rounding level, some slightly negative,
    // which the eigenvector route clips to 0 and the expansion takes as they are.
    SplittableRandom r = new SplittableRandom(12);
    int n = 300;
    double[][] x = Generators.genericInputs(r, n, 5).toArray();
    for (int i = 0; i < 40; i++) {
      x[n - 1 - i] = x[i].clone();
    }
    Layer arch = io.github.ntk4j.layers.Architectures.parse("serial(dense(1.5, 0.1), relu(), dense(1.5, 0.1), relu(), dense(1.5, 0.1))");
    Matrix y = targets(r, n, 2);
    InfiniteEnsemble e = InfiniteEnsemble.fit(arch, Matrix.of(x), y, PredictOptions.defaults(),
        java.util.EnumSet.of(io.github.ntk4j.KernelKind.NTK));
    KernelPredictor p = e.predictor(io.github.ntk4j.KernelKind.NTK);
    double top = ChebyshevFilter.upperBound(Kernels.ntk(arch, Matrix.of(x), null).toRowMajorArray(), n, 0);
    double time = 8 * 2.0 * n / top; // τ·b = 8
    double[] viaChebyshev = p.filter(y.toRowMajorArray(), 2, time, false);
    assertEquals(1, p.chebyshevRuns(), "the singular ensemble kernel went by Chebyshev");
    assertClose(p.eigenFilter(y.toRowMajorArray(), 2, time, false), viaChebyshev, 1e-10, "singular kernel");
  }

  @Test
  void theRecurrenceRefusesASpectrumOutsideItsInterval() {
    SplittableRandom r = new SplittableRandom(4);
    int n = 300;
    double[] k = kernel(r, n).toRowMajorArray();
    double[] y = targets(r, n, 1).toRowMajorArray();
    double top = ChebyshevFilter.upperBound(k, n, 0);
    double[][] sets = {ChebyshevFilter.coefficients(0, top, 40 / top, 1)};
    assertNotNull(ChebyshevFilter.apply(k, n, 0, ChebyshevFilter.lowerEnd(n, top), top, y, 1, sets));
    // An interval whose top is a tenth of the bound misses the largest eigenvalues (a kernel of real
    // inputs has one near its mean row sum).
    double[][] narrow = {ChebyshevFilter.coefficients(0, top / 10, 40 / top, 1)};
    assertNull(ChebyshevFilter.apply(k, n, 0, 0, top / 10, y, 1, narrow));
  }

  @Test
  void anInterruptCancelsTheExpansion() {
    SplittableRandom r = new SplittableRandom(2);
    int n = 300;
    Matrix k = kernel(r, n);
    Matrix y = targets(r, n, 1);
    KernelPredictor p = KernelPredictor.of(k, y, PredictOptions.defaults().withDiagReg(1e-3));
    double time = 5.0 * n / ChebyshevFilter.upperBound(k.toRowMajorArray(), n, p.regularization()); // τ·b = 5
    Thread.currentThread().interrupt();
    try {
      CancellationException e = assertThrows(CancellationException.class, () -> p.filter(y.toRowMajorArray(), 1, time, false));
      assertTrue(e.getMessage().contains("interrupted"), e.getMessage());
    } finally {
      Thread.interrupted();
    }
  }
}
