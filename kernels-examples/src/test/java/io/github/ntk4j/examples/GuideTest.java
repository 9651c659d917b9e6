package io.github.ntk4j.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.ntk4j.Backend;
import io.github.ntk4j.ComputeOptions;
import io.github.ntk4j.KernelKind;
import io.github.ntk4j.KernelResult;
import io.github.ntk4j.Kernels;
import io.github.ntk4j.Matrix;
import io.github.ntk4j.Precision;
import io.github.ntk4j.examples.guide.AdaptiveGuide;
import io.github.ntk4j.examples.guide.BackendsGuide;
import io.github.ntk4j.examples.guide.GettingStarted;
import io.github.ntk4j.examples.guide.PredictionsGuide;
import io.github.ntk4j.io.MatrixFiles;
import io.github.ntk4j.layers.Architectures;
import io.github.ntk4j.layers.Layer;
import io.github.ntk4j.opencl.OpenCl;
import io.github.ntk4j.testing.Generators;
import java.io.IOException;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The code the docs quote runs, and gives what the pages say it gives. */
class GuideTest {
  @TempDir Path dir;

  private static Matrix targets(SplittableRandom r, int n, int c) {
    return Generators.standardNormal(r, n, c);
  }

  @Test
  void gettingStartedWritesThePredictionsOfTheConvergedNetwork() throws IOException {
    SplittableRandom r = new SplittableRandom(1);
    Matrix x = Generators.genericInputs(r, 12, 5);
    Matrix y = targets(r, 12, 2);
    Matrix t = Generators.genericInputs(r, 4, 5);
    MatrixFiles.write(dir.resolve("train-x.npy"), x, Precision.FLOAT64);
    MatrixFiles.write(dir.resolve("train-y.npy"), y, Precision.FLOAT64);
    MatrixFiles.write(dir.resolve("test-x.npy"), t, Precision.FLOAT64);
    Matrix ntk = GettingStarted.run(dir);
    assertEquals(4, ntk.rows());
    assertEquals(12, ntk.cols());
    Matrix mean = MatrixFiles.read(dir.resolve("mean.npy"));
    assertEquals(4, mean.rows());
    assertEquals(2, mean.cols());
    // Independent route: the converged NTK prediction is Θ_td·(Θ_dd + reg)⁻¹·Y, solved here by the
    // predictor from the kernel matrices.
    Layer net = Architectures.parse("serial(dense(1.5, 0.05), relu(), dense(1.5, 0.05), relu(), dense(1.5, 0.05))");
    Matrix expected = io.github.ntk4j.predict.KernelPredictor.of(Kernels.ntk(net, x, null), y,
        io.github.ntk4j.predict.PredictOptions.defaults().withDiagReg(1e-4)).mean(ntk, Double.POSITIVE_INFINITY);
    for (int i = 0; i < 4; i++) {
      for (int c = 0; c < 2; c++) {
        assertEquals(expected.get(i, c), mean.get(i, c), 1e-10 * (1 + Math.abs(expected.get(i, c))));
      }
    }
  }

  @Test
  void thePredictionsPageGivesTheSameConvergedMeanFromKernelMatrices() {
    SplittableRandom r = new SplittableRandom(2);
    Matrix x = Generators.genericInputs(r, 10, 4);
    Matrix y = targets(r, 10, 3);
    Matrix t = Generators.genericInputs(r, 5, 4);
    Matrix ty = targets(r, 5, 3);
    Layer net = Architectures.parse("serial(dense(1.5, 0.05), relu(), dense(1.5, 0.05))");
    PredictionsGuide.Results res = PredictionsGuide.run(x, y, t, ty, Kernels.ntk(net, x, null), Kernels.ntk(net, t, x));
    for (int i = 0; i < 5; i++) {
      for (int c = 0; c < 3; c++) {
        assertEquals(res.converged().get(i, c), res.fromKernels().get(i, c), 1e-10 * (1 + Math.abs(res.converged().get(i, c))));
      }
    }
    assertTrue(res.gp().covariance().isPresent());
    assertEquals(4, res.curve().size());
    assertEquals(4, res.loss().testLoss().length);
    assertTrue(res.etaMax() > 0);
  }

  @Test
  void theAdaptivePageRunsItsThreeDynamics() {
    SplittableRandom r = new SplittableRandom(3);
    // Standard normal inputs (x·x'/d about 1), for which the page's learning rates are stable.
    Matrix x = targets(r, 6, 3);
    Matrix y = targets(r, 6, 1);
    Matrix t = targets(r, 3, 3);
    Matrix ty = targets(r, 3, 1);
    AdaptiveGuide.Results res = AdaptiveGuide.run(t, x, x, y, t, ty);
    assertEquals(3, res.signKernel().rows());
    assertEquals(6, res.signKernel().cols());
    assertTrue(Double.isFinite(res.testLoss()));
    // Gradient descent lowers the training loss.
    double[] loss = res.ntk().trainLoss();
    assertTrue(loss[loss.length - 1] < loss[0], java.util.Arrays.toString(loss));
    assertEquals(3, res.standardError().rows());
  }

  @Test
  void theBackendsPageComputesOnTheChosenDeviceWhatTheCpuComputes() {
    Assumptions.assumeTrue(OpenCl.unavailableReason().isEmpty(), () -> "OpenCL: " + OpenCl.unavailableReason().orElse(""));
    SplittableRandom r = new SplittableRandom(4);
    Matrix x = Generators.genericInputs(r, 20, 6);
    Layer net = Architectures.parse("serial(dense(1.5, 0.05), relu(), dense(1.5, 0.05))");
    KernelResult device = BackendsGuide.run(net, x, "");
    KernelResult cpu = Kernels.compute(net, x, null, EnumSet.allOf(KernelKind.class), ComputeOptions.defaults().withBackend(Backend.CPU));
    for (KernelKind kind : KernelKind.values()) {
      for (int i = 0; i < 20; i++) {
        for (int j = 0; j < 20; j++) {
          double e = cpu.get(kind).get(i, j);
          assertEquals(e, device.get(kind).get(i, j), 1e-10 * Math.abs(e), kind + " " + i + ", " + j);
        }
      }
    }
  }

  @Test
  void theFeatureLearningPageTrainsTheLimitAndAWideNetworkToNearlyTheSameOutputs() {
    SplittableRandom r = new SplittableRandom(5);
    Matrix x = targets(r, 20, 5);
    double[][] y = new double[20][2];
    for (int i = 0; i < 20; i++) {
      y[i][0] = Math.sin(x.get(i, 0));
      y[i][1] = x.get(i, 1) * x.get(i, 2);
    }
    int[] order = new int[200];
    for (int s = 0; s < order.length; s++) {
      order[s] = s % 20;
    }
    io.github.ntk4j.examples.guide.FeatureLearningGuide.Results res =
        io.github.ntk4j.examples.guide.FeatureLearningGuide.run(x, Matrix.of(y), targets(r, 6, 5), order, 9);
    double gap = 0;
    for (int i = 0; i < 6; i++) {
      for (int c = 0; c < 2; c++) {
        gap = Math.max(gap, Math.abs(res.limitOutputs().get(i, c) - res.finiteOutputs().get(i, c)));
      }
    }
    // Width 4096: about 0.006 on the training points (MuPLinearTest); allow test points some slack.
    assertTrue(gap < 0.05, "gap " + gap);
    assertTrue(Math.abs(res.featuresAfter().get(0, 1) - res.featuresBefore().get(0, 1)) > 0
        || Math.abs(res.featuresAfter().get(0, 0) - res.featuresBefore().get(0, 0)) > 0);
  }

  @Test
  void adaptiveKernelsExampleRunsAndEachMethodFitsTheTask() {
    SplittableRandom r = new SplittableRandom(11);
    int n = 30;
    double[][] x = new double[n + 10][8];
    double[][] y = new double[n][1];
    double[] ty = new double[10];
    for (int i = 0; i < n + 10; i++) {
      for (int j = 0; j < 8; j++) {
        x[i][j] = r.nextGaussian();
      }
      double t = Math.signum(x[i][0] + 0.5 * x[i][1]);
      if (i < n) {
        y[i][0] = t;
      } else {
        ty[i - n] = t;
      }
    }
    int[] order = new int[20 * n];
    for (int s = 0; s < order.length; s++) {
      order[s] = s % n;
    }
    io.github.ntk4j.examples.guide.FeatureLearningGuide.Adaptive a = io.github.ntk4j.examples.guide.FeatureLearningGuide.adaptive(
        Matrix.of(java.util.Arrays.copyOf(x, n)), Matrix.of(y), Matrix.of(java.util.Arrays.copyOfRange(x, n, n + 10)), order);
    Matrix[] outs = {a.kernelSgd(), a.deepLinear(), a.twoLayer(), a.antk(), a.antkKernel(), a.bottleneck()};
    for (Matrix o : outs) {
      int correct = 0;
      for (int i = 0; i < 10; i++) {
        correct += Math.signum(o.get(i, 0)) == ty[i] ? 1 : 0;
      }
      assertTrue(correct >= 6, "a linear-ish task: at least 6 of 10 test signs right, got " + correct + " for " + o);
    }
    assertTrue(a.m() > 1, "γ = 1 moves m above 1");
    assertTrue(a.ess()[a.ess().length - 1] > 1000, "ESS stays high at γ = 0.3");
  }
}
