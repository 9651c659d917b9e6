package io.github.ntk4j.predict;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.ntk4j.testing.Generators;
import io.github.ntk4j.KernelKind;
import io.github.ntk4j.Kernels;
import io.github.ntk4j.Matrix;
import io.github.ntk4j.TestSupport;
import io.github.ntk4j.layers.Layer;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.LongStream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The prediction formulas against independent routes on small generated problems: numerical
 * integration of the gradient-flow ODE, a dense Gauss–Jordan solve, and limits (t = 0, t → ∞).
 * Every failure message starts with the seed.
 */
class DynamicsTest {
  static final double INF = Double.POSITIVE_INFINITY;

  static LongStream seeds() {
    return LongStream.range(0, 12).map(i -> 7919 * i + 17);
  }

  /** A small generated problem: architecture, n = 6 training points, m = 4 test points, c = 2 outputs. */
  record Problem(long seed, Layer arch, Matrix x, Matrix y, Matrix test, double eta, double reg) {
    static Problem of(long seed) {
      SplittableRandom r = new SplittableRandom(seed);
      Layer arch = Generators.architecture(r, false);
      Matrix x = Generators.genericInputs(r, 6, 3);
      Matrix test = Generators.genericInputs(r, 4, 3);
      double[][] y = new double[6][2];
      for (double[] row : y) {
        row[0] = Generators.gaussian(r);
        row[1] = Generators.gaussian(r);
      }
      double eta = 0.5 + 2 * r.nextDouble();
      double reg = r.nextBoolean() ? 0 : 0.01 + 0.1 * r.nextDouble();
      return new Problem(seed, arch, x, Matrix.of(y), test, eta, reg);
    }

    PredictOptions options() {
      return PredictOptions.defaults().withLearningRate(eta).withDiagReg(reg);
    }

    String label() {
      return "seed " + seed + " (" + arch + ", eta " + eta + ", diagReg " + reg + "): ";
    }
  }

  /** J = [k(X, X) + reg·I; k(X*, X)] for the ODE route. */
  private static double[][] joint(Problem p, KernelKind kind, double regAmount) {
    double[][] dd = kernel(p, kind, p.x(), p.x()).toArray();
    double[][] td = kernel(p, kind, p.test(), p.x()).toArray();
    double[][] j = new double[dd.length + td.length][];
    for (int i = 0; i < dd.length; i++) {
      j[i] = dd[i].clone();
      j[i][i] += regAmount;
    }
    for (int i = 0; i < td.length; i++) {
      j[dd.length + i] = td[i].clone();
    }
    return j;
  }

  private static Matrix kernel(Problem p, KernelKind kind, Matrix a, Matrix b) {
    return kind == KernelKind.NTK ? Kernels.ntk(p.arch(), a, b) : Kernels.nngp(p.arch(), a, b);
  }

  private static void assertMatrixClose(double[][] expected, Matrix actual, double tol, String what) {
    double scale = 0;
    for (double[] row : expected) {
      for (double v : row) {
        scale = Math.max(scale, Math.abs(v));
      }
    }
    for (int i = 0; i < expected.length; i++) {
      for (int j = 0; j < expected[0].length; j++) {
        double err = Math.abs(actual.get(i, j) - expected[i][j]);
        assertTrue(err <= tol * scale + 1e-300,
            what + ": entry (" + i + ", " + j + ") is " + actual.get(i, j) + ", expected " + expected[i][j]);
      }
    }
  }

  @ParameterizedTest
  @MethodSource("seeds")
  void meanAtFiniteTimeEqualsIntegratedGradientFlow(long seed) {
    Problem p = Problem.of(seed);
    InfiniteEnsemble e = InfiniteEnsemble.fit(p.arch(), p.x(), p.y(), p.options());
    for (KernelKind kind : KernelKind.values()) {
      double reg = e.predictor(kind).regularization();
      double[][] j = joint(p, kind, reg);
      double n = 6 * 2;
      // Times chosen so that τ·λ_max is between about 0.5 and 5: neither trivial nor converged.
      double lambdaMax = TestSupport.both(p.arch(), p.x(), p.x()).get(kind).maxAbs() * 6;
      double time = (0.5 + 4.5 * new SplittableRandom(seed).nextDouble()) * n / (p.eta() * lambdaMax);
      double[][] z = IndependentRoutes.integrate(j, 6, p.y().toArray(), new double[10][2], p.eta() / n, time, 4000);
      Matrix mean = e.predict(p.test(), kind, time).mean();
      double[][] expected = new double[4][];
      System.arraycopy(z, 6, expected, 0, 4);
      assertMatrixClose(expected, mean, 1e-9, p.label() + kind + " at t = " + time);
      double[][] expectedTrain = new double[6][];
      System.arraycopy(z, 0, expectedTrain, 0, 6);
      if (reg == 0) { // with reg > 0 the training outputs are defined by passing X as test points (§7.2)
        assertMatrixClose(expectedTrain, e.trainMean(kind, time), 1e-9, p.label() + kind + " train outputs");
      }
    }
  }

  @ParameterizedTest
  @MethodSource("seeds")
  void largeFiniteTimeEqualsInfiniteTimeAndTimeZeroGivesTheInitialMean(long seed) {
    Problem p = Problem.of(seed);
    PredictOptions o = p.options().withDiagReg(Math.max(p.reg(), 0.05));
    InfiniteEnsemble e = InfiniteEnsemble.fit(p.arch(), p.x(), p.y(), o);
    for (KernelKind kind : KernelKind.values()) {
      double reg = e.predictor(kind).regularization();
      double late = 60 * 12 / (p.eta() * reg); // τ·λ_min ≥ 60: e^{−60} is below rounding
      List<Matrix> means = e.meanTrajectory(p.test(), kind, 0, late, INF);
      assertEquals(0, means.get(0).maxAbs(), p.label() + kind + " at t = 0 must be the initial mean, 0");
      double err = TestSupport.maxRelativeError(means.get(1), means.get(2), 1e-6);
      assertTrue(err < 1e-9, p.label() + kind + ": t = " + late + " differs from t = inf by " + err);
      Matrix cov0 = e.predict(p.test(), kind, 0, true).covariance().orElseThrow();
      Matrix ktt = Kernels.nngp(p.arch(), p.test(), p.test());
      assertTrue(TestSupport.maxRelativeError(cov0, ktt, 1e-9) < 1e-12, p.label() + kind + ": covariance at t = 0 != K_tt");
      Matrix covLate = e.predict(p.test(), kind, late, true).covariance().orElseThrow();
      Matrix covInf = e.predict(p.test(), kind, INF, true).covariance().orElseThrow();
      assertTrue(TestSupport.maxRelativeError(covLate, covInf, 1e-3) < 1e-8, p.label() + kind + ": covariance t -> inf");
      assertTrue(TestSupport.choleskySucceeds(covInf, 1e-9), p.label() + kind + ": covariance is not PSD");
    }
  }

  @ParameterizedTest
  @MethodSource("seeds")
  void trajectoryEqualsSeparateCalls(long seed) {
    Problem p = Problem.of(seed);
    InfiniteEnsemble e = InfiniteEnsemble.fit(p.arch(), p.x(), p.y(), p.options().withDiagReg(0.01));
    double[] times = {3, 0.25, INF, 40};
    List<Matrix> all = e.meanTrajectory(p.test(), KernelKind.NTK, times);
    for (int i = 0; i < times.length; i++) {
      assertEquals(e.predict(p.test(), KernelKind.NTK, times[i]).mean(), all.get(i), p.label() + "t = " + times[i]);
    }
  }

  @ParameterizedTest
  @MethodSource("seeds")
  void nngpInferenceEqualsTheTextbookGaussianProcessPosterior(long seed) {
    Problem p = Problem.of(seed);
    double noise = 0.02 + 0.1 * new SplittableRandom(seed).nextDouble();
    InfiniteEnsemble e = InfiniteEnsemble.fit(p.arch(), p.x(), p.y(), p.options().withAbsoluteDiagReg(noise));
    double[][] kdd = Kernels.nngp(p.arch(), p.x(), p.x()).toArray();
    for (int i = 0; i < kdd.length; i++) {
      kdd[i][i] += noise;
    }
    double[][] ktd = Kernels.nngp(p.arch(), p.test(), p.x()).toArray();
    double[][] ktt = Kernels.nngp(p.arch(), p.test(), p.test()).toArray();
    double[][] mean = IndependentRoutes.multiply(ktd, IndependentRoutes.solve(kdd, p.y().toArray()));
    double[][] reduction = IndependentRoutes.multiply(ktd, IndependentRoutes.solve(kdd, IndependentRoutes.transpose(ktd)));
    double[][] cov = new double[4][4];
    for (int i = 0; i < 4; i++) {
      for (int j = 0; j < 4; j++) {
        cov[i][j] = ktt[i][j] - reduction[i][j];
      }
    }
    Prediction gp = e.predict(p.test(), KernelKind.NNGP, INF, true);
    assertMatrixClose(mean, gp.mean(), 1e-10, p.label() + "GP posterior mean");
    assertMatrixClose(cov, gp.covariance().orElseThrow(), 1e-10, p.label() + "GP posterior covariance");
  }

  /**
   * The covariance of the ensemble through the ODE: outputs are affine in the initial function,
   * z_t = M_t·z₀ + const, with M_t from integrating the homogeneous flow from the identity, and
   * z₀ ~ N(0, K) jointly on train and test points; the test block of M_t·K·M_tᵀ is Σ*_t.
   */
  @ParameterizedTest
  @MethodSource("seeds")
  void covarianceAtFiniteTimeEqualsThePropagatedInitialCovariance(long seed) {
    Problem p = Problem.of(seed);
    for (KernelKind kind : KernelKind.values()) {
      // The NNGP formula of §7.5 is the ensemble covariance of readout training only without
      // regularization; the NTK formula holds with it.
      PredictOptions o = kind == KernelKind.NNGP ? p.options().withDiagReg(0) : p.options();
      InfiniteEnsemble e = InfiniteEnsemble.fit(p.arch(), p.x(), p.y(), o);
      double reg = e.predictor(kind).regularization();
      double[][] j = joint(p, kind, reg);
      double time = 0.7 * 12 / p.eta();
      double[][] identity = new double[10][10];
      for (int i = 0; i < 10; i++) {
        identity[i][i] = 1;
      }
      double[][] m = IndependentRoutes.integrate(j, 6, null, identity, p.eta() / 12, time, 4000);
      Matrix both = Matrix.of(stack(p.x().toArray(), p.test().toArray()));
      double[][] k = Kernels.nngp(p.arch(), both, both).toArray();
      double[][] cov = IndependentRoutes.multiply(IndependentRoutes.multiply(m, k), IndependentRoutes.transpose(m));
      double[][] testBlock = new double[4][4];
      for (int a = 0; a < 4; a++) {
        System.arraycopy(cov[6 + a], 6, testBlock[a], 0, 4);
      }
      Matrix actual = e.predict(p.test(), kind, time, true).covariance().orElseThrow();
      assertMatrixClose(testBlock, actual, 1e-9, p.label() + kind + " covariance at t = " + time);
    }
  }

  @ParameterizedTest
  @MethodSource("seeds")
  void oneGivenNetworkFollowsTheLinearizedFlowFromItsInitialOutputs(long seed) {
    Problem p = Problem.of(seed);
    SplittableRandom r = new SplittableRandom(seed ^ 0x5DEECE66DL);
    double[][] f0 = new double[10][2];
    for (double[] row : f0) {
      row[0] = Generators.gaussian(r);
      row[1] = Generators.gaussian(r);
    }
    InfiniteEnsemble e = InfiniteEnsemble.fit(p.arch(), p.x(), p.y(), p.options());
    KernelPredictor ntk = e.predictor(KernelKind.NTK);
    double time = 1.3 * 12 / p.eta();
    double[][] z = IndependentRoutes.integrate(joint(p, KernelKind.NTK, ntk.regularization()), 6, p.y().toArray(), f0,
        p.eta() / 12, time, 4000);
    double[][] f0Train = new double[6][];
    double[][] f0Test = new double[4][];
    System.arraycopy(f0, 0, f0Train, 0, 6);
    System.arraycopy(f0, 6, f0Test, 0, 4);
    Matrix actual = ntk.meanFrom(Kernels.ntk(p.arch(), p.test(), p.x()), Matrix.of(f0Train), Matrix.of(f0Test), time);
    double[][] expected = new double[4][];
    System.arraycopy(z, 6, expected, 0, 4);
    assertMatrixClose(expected, actual, 1e-9, p.label() + "one network from f0");
  }

  @ParameterizedTest
  @MethodSource("seeds")
  void gradientDescentIsStableJustBelowTheMaximumLearningRateAndDivergesJustAbove(long seed) {
    Problem p = Problem.of(seed);
    InfiniteEnsemble e = InfiniteEnsemble.fit(p.arch(), p.x(), p.y(), p.options());
    double etaMax = e.maxLearningRate();
    double[][] theta = e.trainKernel(KernelKind.NTK).toArray();
    // Below η_max every mode contracts (slow modes slowly), so the residual never grows beyond its start √6.
    assertTrue(residualAfter(theta, 0.98 * etaMax, 12, 3000) <= Math.sqrt(6), "seed " + seed + ": 0.98 eta_max must be stable");
    assertTrue(residualAfter(theta, 1.02 * etaMax, 12, 3000) > 1e3, "seed " + seed + ": 1.02 eta_max must diverge");
  }

  /** |f − Y| after gradient descent f ← f − (η/N)·Θ·(f − Y) from f − Y = (1, 1, …). */
  private static double residualAfter(double[][] theta, double eta, int entries, int steps) {
    int n = theta.length;
    double[] r = new double[n];
    java.util.Arrays.fill(r, 1);
    for (int s = 0; s < steps; s++) {
      double[] next = r.clone();
      for (int i = 0; i < n; i++) {
        for (int k = 0; k < n; k++) {
          next[i] -= eta / entries * theta[i][k] * r[k];
        }
      }
      r = next;
    }
    double norm = 0;
    for (double v : r) {
      norm += v * v;
    }
    return Math.sqrt(norm);
  }

  private static double[][] stack(double[][] a, double[][] b) {
    double[][] s = new double[a.length + b.length][];
    System.arraycopy(a, 0, s, 0, a.length);
    System.arraycopy(b, 0, s, a.length, b.length);
    return s;
  }

  /**
   * A training kernel whose mirrored entries differ by rounding (as one assembled from blocks may)
   * predicts exactly like its symmetrized copy: the predictor averages the pairs; an exactly
   * symmetric kernel is used without a copy and gives the same numbers.
   */
  @ParameterizedTest(name = "seed {0}")
  @MethodSource("seeds")
  void aKernelAsymmetricByRoundingPredictsLikeItsSymmetrizedCopy(long seed) {
    Problem p = Problem.of(seed);
    double[][] k = kernel(p, KernelKind.NTK, p.x(), p.x()).toArray();
    double[][] perturbed = new double[k.length][];
    double[][] averaged = new double[k.length][];
    for (int i = 0; i < k.length; i++) {
      perturbed[i] = k[i].clone();
      averaged[i] = k[i].clone();
    }
    for (int i = 0; i < k.length; i++) {
      for (int j = i + 1; j < k.length; j++) {
        perturbed[i][j] = k[i][j] * (1 + 1e-14);
        averaged[i][j] = 0.5 * (perturbed[i][j] + k[j][i]);
        averaged[j][i] = averaged[i][j];
      }
    }
    Matrix ktd = kernel(p, KernelKind.NTK, p.test(), p.x());
    for (double t : new double[] {0.7, INF}) {
      Matrix a = KernelPredictor.of(Matrix.of(perturbed), p.y(), p.options().withDiagReg(0.05)).mean(ktd, t);
      Matrix b = KernelPredictor.of(Matrix.of(averaged), p.y(), p.options().withDiagReg(0.05)).mean(ktd, t);
      assertEquals(b, a, p.label() + "t = " + t);
    }
  }
}
