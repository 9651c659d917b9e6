package io.github.ntk4j;

import io.github.ntk4j.testing.Generators;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.ntk4j.empirical.FiniteNetwork;
import io.github.ntk4j.layers.Architectures;
import io.github.ntk4j.layers.Layer;
import io.github.ntk4j.predict.InfiniteEnsemble;
import io.github.ntk4j.predict.KernelPredictor;
import io.github.ntk4j.predict.PredictOptions;
import java.util.Locale;
import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Finite-width networks trained by full-batch gradient descent (hand-written backprop, NTK
 * parameterization, small learning rate) against the predictions of {@code io.github.ntk4j.predict}:
 * the independent route for the training dynamics. One hidden layer keeps wide networks cheap.
 */
class TrainedNetworksApproachPredictionsTest {
  static final int N = 5;
  static final int M = 3;
  static final int STEPS = 400;

  record Setup(Layer arch, double[][] x, double[][] y, double[][] test, InfiniteEnsemble ensemble, double eta) {}

  static Setup setup(String arch) {
    SplittableRandom r = new SplittableRandom(42);
    double[][] x = new double[N][3];
    double[][] y = new double[N][1];
    double[][] test = new double[M][3];
    for (double[] row : x) {
      for (int k = 0; k < 3; k++) {
        row[k] = Generators.gaussian(r);
      }
    }
    for (double[] row : test) {
      for (int k = 0; k < 3; k++) {
        row[k] = Generators.gaussian(r);
      }
    }
    for (double[] row : y) {
      row[0] = Generators.gaussian(r);
    }
    Layer a = Architectures.parse(arch);
    InfiniteEnsemble e = InfiniteEnsemble.fit(a, Matrix.of(x), Matrix.of(y), PredictOptions.defaults());
    // τ·λ_max = 8 after STEPS steps: every mode moves, and the step is small enough (x ≤ 0.02 per step)
    // that gradient descent follows gradient flow to about 0.4%.
    double eta = 0.01 * e.maxLearningRate();
    return new Setup(a, x, y, test, e.withOptions(PredictOptions.defaults().withLearningRate(eta)), eta);
  }

  /** f_T − prediction from the network's own f₀ (kernels.md §7.4), RMS over train and test points. */
  static double perNetworkError(Setup s, int width, long seed) {
    FiniteNetwork net = FiniteNetwork.sample(s.arch(), 3, width, 1, seed);
    double[][] f0Train = outputs(net, s.x());
    double[][] f0Test = outputs(net, s.test());
    Matrix x = Matrix.of(s.x());
    Matrix y = Matrix.of(s.y());
    for (int step = 0; step < STEPS; step++) {
      net = net.gradientDescentStep(x, y, s.eta());
    }
    KernelPredictor ntk = s.ensemble().predictor(KernelKind.NTK);
    Matrix predictedTest = ntk.meanFrom(Kernels.ntk(s.arch(), Matrix.of(s.test()), Matrix.of(s.x())),
        Matrix.of(f0Train), Matrix.of(f0Test), STEPS);
    Matrix predictedTrain = ntk.meanFrom(s.ensemble().trainKernel(KernelKind.NTK), Matrix.of(f0Train),
        Matrix.of(f0Train), STEPS);
    double[][] trainedTest = outputs(net, s.test());
    double[][] trainedTrain = outputs(net, s.x());
    double sum = 0;
    for (int i = 0; i < M; i++) {
      sum += sq(trainedTest[i][0] - predictedTest.get(i, 0));
    }
    for (int i = 0; i < N; i++) {
      sum += sq(trainedTrain[i][0] - predictedTrain.get(i, 0));
    }
    return Math.sqrt(sum / (M + N));
  }

  private static double[][] outputs(FiniteNetwork net, double[][] x) {
    return net.apply(Matrix.of(x)).toArray();
  }

  private static double sq(double v) {
    return v * v;
  }

  @ParameterizedTest
  @ValueSource(strings = {"serial(dense(1.5, 0.2), relu(), dense(1.2, 0.1))", "serial(dense(1.3, 0.3), erf(), dense(1.0, 0.2))"})
  void eachTrainedNetworkFollowsItsPredictionCloserAsWidthGrows(String arch) {
    Setup s = setup(arch);
    double narrow = 0;
    double wide = 0;
    for (long seed = 1; seed <= 4; seed++) {
      narrow += perNetworkError(s, 128, seed) / 4;
      wide += perNetworkError(s, 4096, seed + 100) / 4;
    }
    String msg = String.format(Locale.ROOT, "%s: RMS error width 128 = %.4g, width 4096 = %.4g", arch, narrow, wide);
    System.out.println(msg);
    // Theory: errors scale like width^-1/2, a factor 5.7 here; ask for 3.
    assertTrue(wide < narrow / 3, msg);
    assertTrue(wide < 0.02, msg);
  }

  /**
   * Averaged over seeds, centred networks (outputs f − f_init, whose infinite-width mean starts at 0,
   * as the ensemble mean does) trained by gradient descent approach the ensemble's mean prediction.
   */
  @ParameterizedTest
  @ValueSource(strings = {"serial(dense(1.5, 0.2), relu(), dense(1.2, 0.1))"})
  void theSeedAverageOfTrainedNetworksApproachesTheEnsembleMean(String arch) {
    Setup s = setup(arch);
    Matrix mu = s.ensemble().predict(Matrix.of(s.test()), KernelKind.NTK, STEPS).mean();
    int seeds = 16;
    double[] errors = new double[2];
    double[] stderr = new double[2];
    int[] widths = {128, 4096};
    for (int w = 0; w < 2; w++) {
      double[] mean = new double[M];
      double[] meanSq = new double[M];
      for (int seed = 0; seed < seeds; seed++) {
        FiniteNetwork net = FiniteNetwork.sample(s.arch(), 3, widths[w], 1, 1000L * w + seed);
        double[][] offsetTrain = outputs(net, s.x());
        double[][] offsetTest = outputs(net, s.test());
        // Centring: training f on y + f_init(X) is training f − f_init on y.
        double[][] shifted = new double[N][1];
        for (int i = 0; i < N; i++) {
          shifted[i][0] = s.y()[i][0] + offsetTrain[i][0];
        }
        Matrix x = Matrix.of(s.x());
        Matrix y = Matrix.of(shifted);
        for (int step = 0; step < STEPS; step++) {
          net = net.gradientDescentStep(x, y, s.eta());
        }
        double[][] out = outputs(net, s.test());
        for (int i = 0; i < M; i++) {
          double g = out[i][0] - offsetTest[i][0];
          mean[i] += g / seeds;
          meanSq[i] += g * g / seeds;
        }
      }
      double se = 0;
      for (int i = 0; i < M; i++) {
        errors[w] = Math.max(errors[w], Math.abs(mean[i] - mu.get(i, 0)));
        se = Math.max(se, Math.sqrt(Math.max(meanSq[i] - mean[i] * mean[i], 0) / (seeds - 1)));
      }
      stderr[w] = se;
    }
    String msg = String.format(Locale.ROOT, "%s: |seed mean - ensemble mean| width 128 = %.4g (se %.3g), width 4096 = %.4g (se %.3g)",
        arch, errors[0], stderr[0], errors[1], stderr[1]);
    System.out.println(msg);
    assertTrue(errors[1] < errors[0], msg);
    assertTrue(errors[1] < 4 * stderr[1] + 5e-3, msg);
  }
}
