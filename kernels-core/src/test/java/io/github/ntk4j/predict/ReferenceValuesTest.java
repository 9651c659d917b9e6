package io.github.ntk4j.predict;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.github.ntk4j.KernelKind;
import io.github.ntk4j.Matrix;
import io.github.ntk4j.layers.Architectures;
import io.github.ntk4j.layers.Layer;
import org.junit.jupiter.api.Test;

/**
 * The reference values of shared/math/kernels.md §7.7 (computed there in extended precision,
 * independently of this library): training set x₁, x₂, x₃ of §6, Y = (1, −0.5, 0.25)ᵀ, architecture A.
 */
class ReferenceValuesTest {
  static final Layer A =
      Architectures.parse("serial(dense(1.4, 0.3), relu(), dense(1.1, 0.2), relu(), dense(0.8, 0.5))");
  static final Matrix X = Matrix.of(new double[][] {{1.0, -2.0, 0.5}, {0.3, 0.8, -1.1}, {-1.0, -1.0, 2.0}});
  static final Matrix Y = Matrix.of(new double[][] {{1.0}, {-0.5}, {0.25}});
  static final Matrix TEST = Matrix.of(new double[][] {{0.2, 0.1, -0.3}, {2.0, -1.0, 1.0}});
  static final double INF = Double.POSITIVE_INFINITY;

  private static void assertClose(double expected, double actual, String what) {
    assertEquals(expected, actual, 2e-11 * Math.abs(expected) + 1e-14, what);
  }

  private static void assertMean(double[] expected, Prediction p, String what) {
    for (int i = 0; i < expected.length; i++) {
      assertClose(expected[i], p.mean().get(i, 0), what + " at test point " + i);
    }
  }

  @Test
  void ntkAtInfiniteTimeWithoutRegularization() {
    InfiniteEnsemble e = InfiniteEnsemble.fit(A, X, Y, PredictOptions.defaults());
    assertMean(new double[] {-0.113463007130, 0.654539686448}, e.predict(TEST, KernelKind.NTK, INF), "NTK t=inf");
  }

  @Test
  void ntkAtInfiniteTimeWithRelativeRegularization() {
    InfiniteEnsemble e = InfiniteEnsemble.fit(A, X, Y, PredictOptions.defaults().withDiagReg(0.1));
    assertMean(new double[] {-0.0773823430154, 0.599139217717}, e.predict(TEST, KernelKind.NTK, INF), "NTK r=0.1");
  }

  @Test
  void ntkAtTimeOne() {
    InfiniteEnsemble e = InfiniteEnsemble.fit(A, X, Y, PredictOptions.defaults());
    assertMean(new double[] {0.0237744764180, 0.368206707307}, e.predict(TEST, KernelKind.NTK, 1), "NTK t=1");
  }

  @Test
  void nngpBayesianInference() {
    InfiniteEnsemble e = InfiniteEnsemble.fit(A, X, Y, PredictOptions.defaults());
    assertMean(new double[] {-0.184014741040, 0.779642976273}, e.predict(TEST, KernelKind.NNGP, INF), "NNGP t=inf");
  }

  @Test
  void ensembleCovariancesAtInfiniteTime() {
    InfiniteEnsemble e = InfiniteEnsemble.fit(A, X, Y, PredictOptions.defaults());
    Matrix nngp = e.predict(TEST, KernelKind.NNGP, INF, true).covariance().orElseThrow();
    assertClose(0.0632869039562, nngp.get(0, 0), "NNGP cov (0,0)");
    assertClose(0.00242047140081, nngp.get(0, 1), "NNGP cov (0,1)");
    assertClose(0.00242047140081, nngp.get(1, 0), "NNGP cov (1,0)");
    assertClose(0.204221560086, nngp.get(1, 1), "NNGP cov (1,1)");
    Matrix ntk = e.predict(TEST, KernelKind.NTK, INF, true).covariance().orElseThrow();
    assertClose(0.0789601901885, ntk.get(0, 0), "NTK cov (0,0)");
    assertClose(0.0123393713653, ntk.get(0, 1), "NTK cov (0,1)");
    assertClose(0.218706889225, ntk.get(1, 1), "NTK cov (1,1)");
  }

  @Test
  void maximumStableLearningRate() {
    InfiniteEnsemble e = InfiniteEnsemble.fit(A, X, Y, PredictOptions.defaults());
    assertClose(1.62496723001, e.maxLearningRate(), "eta_max");
    assertClose(1.62496723001, KernelPredictor.maxLearningRate(e.trainKernel(KernelKind.NTK), 3, 0), "eta_max (static)");
    assertClose(2 * 1.62496723001 * 1.5, KernelPredictor.maxLearningRate(e.trainKernel(KernelKind.NTK), 6, 0.5),
        "eta_max with N = 6 and momentum 0.5");
  }
}
