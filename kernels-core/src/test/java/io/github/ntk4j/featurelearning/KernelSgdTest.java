package io.github.ntk4j.featurelearning;

import static io.github.ntk4j.TestSupport.assertMessage;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.ntk4j.KernelKind;
import io.github.ntk4j.Kernels;
import io.github.ntk4j.Matrix;
import io.github.ntk4j.layers.Layer;
import io.github.ntk4j.layers.Layers;
import io.github.ntk4j.predict.KernelPredictor;
import io.github.ntk4j.predict.PredictOptions;
import io.github.ntk4j.testing.Generators;
import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/**
 * Function-space SGD against SGD on a linear model in weight space (exact for the linear kernel) and
 * against the kernel gradient flow of {@link KernelPredictor} as η → 0. Messages start with the seed.
 */
class KernelSgdTest {
  /** k(x, x') = x·x'/D is the NNGP of dense(1, 0); SGD on w with f = w·x/√D moves f by exactly that kernel. */
  @ParameterizedTest(name = "seed {0}")
  @ValueSource(longs = {1, 2, 3})
  void linearKernelEqualsSgdOnALinearModelInWeightSpace(long seed) {
    SplittableRandom r = new SplittableRandom(seed);
    int n = 15;
    int d = 7;
    Matrix x = Generators.standardNormal(r, n, d);
    Matrix y = Generators.standardNormal(r, n, 2);
    Matrix xt = Generators.standardNormal(r, 4, d);
    int[] order = new int[120];
    for (int s = 0; s < order.length; s++) {
      order[s] = r.nextInt(n);
    }
    double eta = 0.1;
    double wd = 0.05;
    KernelSgd model = KernelSgd.of(Layers.dense(1.0), KernelKind.NNGP, x, 2).sgd(y, eta, order, wd);
    double[][] w = new double[2][d];
    for (int b : order) {
      for (int c = 0; c < 2; c++) {
        double f = 0;
        for (int j = 0; j < d; j++) {
          f += w[c][j] * x.get(b, j) / Math.sqrt(d);
        }
        for (int j = 0; j < d; j++) {
          w[c][j] = (1 - eta * wd) * w[c][j] - eta * (f - y.get(b, c)) * x.get(b, j) / Math.sqrt(d);
        }
      }
    }
    Matrix got = model.predict(xt);
    for (int i = 0; i < 4; i++) {
      for (int c = 0; c < 2; c++) {
        double want = 0;
        for (int j = 0; j < d; j++) {
          want += w[c][j] * xt.get(i, j) / Math.sqrt(d);
        }
        assertEquals(want, got.get(i, c), 1e-12 * (1 + Math.abs(want)), "seed " + seed + ": test point " + i + ", output " + c);
      }
    }
  }

  /**
   * Cyclic SGD for E epochs with a small η approximates gradient flow on ½Σ(f − y)² for time η·E,
   * which KernelPredictor gives with learning rate η·P·k (its loss is the mean); the gap is O(η).
   */
  @Test
  void smallStepsApproachKernelGradientFlow() {
    SplittableRandom r = new SplittableRandom(4);
    int n = 12;
    Matrix x = Generators.standardNormal(r, n, 5);
    Matrix y = Generators.standardNormal(r, n, 1);
    Matrix xt = Generators.standardNormal(r, 3, 5);
    Layer arch = Layers.serial(Layers.dense(1.0, 0.1), Layers.relu(), Layers.dense(1.0));
    Matrix kdd = Kernels.ntk(arch, x, null);
    Matrix ktd = Kernels.ntk(arch, xt, x);
    double time = 2.0;
    double[] gaps = new double[2];
    double[] etas = {0.02, 0.01};
    for (int e = 0; e < 2; e++) {
      int epochs = (int) Math.round(time / etas[e]);
      Matrix f = KernelSgd.ofKernel(kdd, 1).sgd(y, etas[e], MuPLinearTest.cyclic(epochs * n, n), 0).predictKernel(ktd);
      KernelPredictor flow = KernelPredictor.of(kdd, y, PredictOptions.defaults().withLearningRate(etas[e] * n).withAbsoluteDiagReg(0));
      Matrix g = flow.mean(ktd, epochs);
      for (int i = 0; i < 3; i++) {
        gaps[e] = Math.max(gaps[e], Math.abs(f.get(i, 0) - g.get(i, 0)));
      }
    }
    assertTrue(gaps[0] < 0.1, "seed 4: gap " + gaps[0]);
    assertTrue(gaps[1] < 0.65 * gaps[0] && gaps[1] > 0.35 * gaps[0], "seed 4: halving η should halve the gap: " + gaps[0] + " -> " + gaps[1]);
    // The model built from the architecture predicts the same as the one built from its kernel.
    Matrix a = KernelSgd.of(arch, KernelKind.NTK, x, 1).sgd(y, 0.05, MuPLinearTest.cyclic(60, n), 0).predict(xt);
    Matrix b = KernelSgd.ofKernel(kdd, 1).sgd(y, 0.05, MuPLinearTest.cyclic(60, n), 0).predictKernel(ktd);
    assertEquals(b, a);
  }

  @Test
  void badInputIsRefused() {
    Matrix x = Matrix.of(new double[][] {{1, 0}, {0, 1}});
    KernelSgd m = KernelSgd.of(Layers.dense(1.0), KernelKind.NTK, x, 1);
    Matrix y = Matrix.ofRowMajor(2, 1, new double[] {1, -1});
    assertMessage(() -> KernelSgd.of(Layers.dense(1.0), KernelKind.NTK, x, 0), "outputs must be >= 1");
    assertMessage(() -> KernelSgd.ofKernel(Matrix.of(new double[][] {{1, 0}}), 1), "trainKernel must be square");
    assertMessage(() -> m.sgd(Matrix.ofRowMajor(2, 2, new double[4]), 0.1, new int[] {0}, 0), "y must be 2x1");
    assertMessage(() -> m.sgd(y, -0.1, new int[] {0}, 0), "learningRate must be");
    assertMessage(() -> m.sgd(y, 0.1, new int[] {0}, -1), "weightDecay must be");
    assertMessage(() -> m.sgd(y, 0.5, new int[] {0}, 2), "learningRate x weightDecay must be < 1");
    assertMessage(() -> m.sgd(y, 0.1, new int[] {0, 2}, 0), "order[1] = 2 is not a training point");
    assertMessage(() -> m.predict(Matrix.of(new double[][] {{1, 2, 3}})), "xTest must have 2 columns");
    assertMessage(() -> m.predictKernel(Matrix.of(new double[][] {{1, 2, 3}})), "testTrainKernel must have 2 columns");
    assertThrows(IllegalStateException.class, () -> KernelSgd.ofKernel(Matrix.of(new double[][] {{1}}), 1).predict(x));
  }
}
