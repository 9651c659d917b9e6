package io.github.ntk4j.predict;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.ntk4j.ComputeOptions;
import io.github.ntk4j.KernelKind;
import io.github.ntk4j.Matrix;
import io.github.ntk4j.layers.Architectures;
import io.github.ntk4j.layers.Layer;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** Bad input gets a clear error that names the problem; ill-conditioned input never gives NaN. */
class PredictErrorsTest {
  static final Layer A = ReferenceValuesTest.A;
  static final Matrix X = ReferenceValuesTest.X;
  static final Matrix Y = ReferenceValuesTest.Y;
  static final double INF = Double.POSITIVE_INFINITY;

  private static void assertMessage(IllegalArgumentException e, String... parts) {
    for (String p : parts) {
      assertTrue(e.getMessage().contains(p), "message '" + e.getMessage() + "' should mention '" + p + "'");
    }
  }

  @Test
  void trainingInputsAndTargetsWithDifferentRowCountsAreRejected() {
    Matrix y2 = Matrix.of(new double[][] {{1}, {2}});
    assertMessage(assertThrows(IllegalArgumentException.class,
        () -> InfiniteEnsemble.fit(A, X, y2, PredictOptions.defaults())), "3 rows", "trainY has 2 rows");
  }

  @Test
  void nonFiniteTargetsAreRejectedWithTheirPosition() {
    Matrix bad = Matrix.of(new double[][] {{1}, {Double.NaN}, {0}});
    assertMessage(assertThrows(IllegalArgumentException.class,
        () -> InfiniteEnsemble.fit(A, X, bad, PredictOptions.defaults())), "trainY", "row 1", "column 0");
    Matrix inf = Matrix.of(new double[][] {{1}, {0}, {Double.POSITIVE_INFINITY}});
    assertMessage(assertThrows(IllegalArgumentException.class,
        () -> InfiniteEnsemble.fit(A, X, inf, PredictOptions.defaults())), "row 2");
  }

  @Test
  void negativeOrNaNTimesAreRejected() {
    InfiniteEnsemble e = InfiniteEnsemble.fit(A, X, Y, PredictOptions.defaults());
    assertMessage(assertThrows(IllegalArgumentException.class, () -> e.predict(X, KernelKind.NTK, -1)), "time", "-1");
    assertMessage(assertThrows(IllegalArgumentException.class, () -> e.predict(X, KernelKind.NTK, Double.NaN)), "NaN");
    assertMessage(assertThrows(IllegalArgumentException.class, () -> e.meanTrajectory(X, KernelKind.NTK, 1, -0.5)), "-0.5");
    assertThrows(IllegalArgumentException.class, () -> e.trainMean(KernelKind.NNGP, Double.NEGATIVE_INFINITY));
  }

  @Test
  void nonPositiveLearningRatesAndNegativeRegularizationAreRejected() {
    assertMessage(assertThrows(IllegalArgumentException.class, () -> PredictOptions.defaults().withLearningRate(0)),
        "learningRate", "> 0");
    assertMessage(assertThrows(IllegalArgumentException.class, () -> PredictOptions.defaults().withLearningRate(-2)),
        "learningRate", "-2");
    assertMessage(assertThrows(IllegalArgumentException.class, () -> PredictOptions.defaults().withLearningRate(Double.NaN)),
        "learningRate");
    assertMessage(assertThrows(IllegalArgumentException.class, () -> PredictOptions.defaults().withDiagReg(-1e-3)),
        "diagReg", "-0.001");
    assertThrows(IllegalArgumentException.class, () -> PredictOptions.defaults().withAbsoluteDiagReg(Double.POSITIVE_INFINITY));
  }

  @Test
  void testInputsWithAnotherNumberOfColumnsAreRejected() {
    InfiniteEnsemble e = InfiniteEnsemble.fit(A, X, Y, PredictOptions.defaults());
    Matrix wide = Matrix.of(new double[][] {{1, 2, 3, 4}});
    assertMessage(assertThrows(IllegalArgumentException.class, () -> e.predict(wide, KernelKind.NTK, INF)),
        "testX has 4 columns", "trainX has 3");
    assertMessage(assertThrows(IllegalArgumentException.class,
        () -> e.lossCurve(KernelKind.NTK, X, Matrix.of(new double[][] {{1, 2}, {3, 4}, {5, 6}}), 1)), "testY must be 3x1");
  }

  @Test
  void kernelPredictorChecksItsMatrices() {
    Matrix square = Matrix.of(new double[][] {{2, 1}, {1, 2}});
    assertMessage(assertThrows(IllegalArgumentException.class,
        () -> KernelPredictor.of(Matrix.of(new double[][] {{1, 2, 3}, {4, 5, 6}}), Y, PredictOptions.defaults())), "square");
    assertMessage(assertThrows(IllegalArgumentException.class,
        () -> KernelPredictor.of(Matrix.of(new double[][] {{2, 1}, {0.5, 2}}), Matrix.of(new double[][] {{1}, {2}}),
            PredictOptions.defaults())), "not symmetric", "(0, 1)");
    KernelPredictor p = KernelPredictor.of(square, Matrix.of(new double[][] {{1}, {2}}), PredictOptions.defaults());
    assertMessage(assertThrows(IllegalArgumentException.class, () -> p.mean(Matrix.of(new double[][] {{1, 2, 3}}), 1)),
        "one column per training point (2)");
    assertMessage(assertThrows(IllegalArgumentException.class,
        () -> p.mean(Matrix.of(new double[][] {{1, Double.NaN}}), 1)), "non-finite", "column 1");
    assertMessage(assertThrows(IllegalArgumentException.class,
        () -> KernelPredictor.maxLearningRate(square, 2, 1.0)), "momentum");
  }

  @Test
  void duplicateTrainingPointsWithoutRegularizationSayWhatToChange() {
    Matrix dup = Matrix.of(new double[][] {{1.0, -2.0, 0.5}, {0.3, 0.8, -1.1}, {1.0, -2.0, 0.5}});
    InfiniteEnsemble e = InfiniteEnsemble.fit(A, dup, Y, PredictOptions.defaults());
    NotPositiveDefiniteException ex =
        assertThrows(NotPositiveDefiniteException.class, () -> e.predict(X, KernelKind.NTK, INF));
    assertTrue(ex.getMessage().contains("diagReg") && ex.getMessage().contains("--diag-reg"), ex.getMessage());
    assertTrue(ex.pivot() == 2 || ex.pivot() == -1, "the failing pivot is the duplicate (2) or unknown: " + ex.pivot());
    // The suggested regularization works, and the finite-time route never needed it.
    InfiniteEnsemble fixed = InfiniteEnsemble.fit(A, dup, Y, PredictOptions.defaults().withDiagReg(1e-6));
    assertTrue(Double.isFinite(fixed.predict(X, KernelKind.NTK, INF).mean().maxAbs()));
    assertTrue(Double.isFinite(e.predict(X, KernelKind.NTK, 100).mean().maxAbs()));
  }

  @Test
  void badlyConditionedKernelsGiveFiniteResultsWithRegularization() {
    // A deep erf network on 200 nearby points: the NNGP is numerically of low rank.
    Layer deep = Architectures.parse(
        "serial(dense(1.2, 0.1), erf(), dense(1.2, 0.1), erf(), dense(1.2, 0.1), erf(), dense(1.2, 0.1), erf(), dense(1.2, 0.1))");
    SplittableRandom r = new SplittableRandom(3);
    double[][] x = new double[200][2];
    double[][] y = new double[200][1];
    for (int i = 0; i < 200; i++) {
      x[i][0] = 1 + 1e-3 * r.nextDouble();
      x[i][1] = -1 + 1e-3 * r.nextDouble();
      y[i][0] = r.nextDouble();
    }
    InfiniteEnsemble e = InfiniteEnsemble.fit(deep, Matrix.of(x), Matrix.of(y),
        PredictOptions.defaults().withDiagReg(1e-8).withCompute(ComputeOptions.defaults().withThreads(1)));
    for (KernelKind kind : KernelKind.values()) {
      for (double t : new double[] {1, 1e4, 1e12, INF}) {
        Prediction p = e.predict(Matrix.of(x), kind, t, true);
        assertTrue(Double.isFinite(p.mean().maxAbs()), kind + " mean at t = " + t);
        assertTrue(Double.isFinite(p.covariance().orElseThrow().maxAbs()), kind + " covariance at t = " + t);
      }
    }
  }
}
