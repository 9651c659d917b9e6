package io.github.ntk4j.examples;

import io.github.ntk4j.KernelKind;
import io.github.ntk4j.Kernels;
import io.github.ntk4j.Matrix;
import io.github.ntk4j.ProgressListener;
import io.github.ntk4j.featurelearning.AdaptiveNtk;
import io.github.ntk4j.featurelearning.AdaptiveNtkOptions;
import io.github.ntk4j.featurelearning.AnbkSamplingOptions;
import io.github.ntk4j.featurelearning.DeepLinearAnbk;
import io.github.ntk4j.featurelearning.KernelSgd;
import io.github.ntk4j.featurelearning.LinearBottleneck;
import io.github.ntk4j.featurelearning.MuPLinear;
import io.github.ntk4j.featurelearning.MuPLinearOptions;
import io.github.ntk4j.featurelearning.TwoLayerAnbk;
import io.github.ntk4j.layers.Layer;
import io.github.ntk4j.layers.Layers;
import io.github.ntk4j.predict.KernelPredictor;
import io.github.ntk4j.predict.PredictOptions;
import java.io.PrintStream;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.function.Supplier;

/**
 * {@code ntk4j feature-learning}: every limit of {@code io.github.ntk4j.featurelearning} next to its
 * frozen-feature baseline on one binary task of the embedded digits (odd digits +1, even −1), with
 * test accuracy (sign of the output) and test mean squared error. The rows pair each feature-learning
 * limit with the kernel limit of the same network and the same training: SGD, Bayesian posterior,
 * gradient flow with weight decay, or a bottleneck.
 */
final class FeatureLearningDemo {
  private FeatureLearningDemo() {}

  /** Test outputs of one method. */
  record Row(String group, String method, double[] outputs, double seconds, String note) {}

  static void run(String[] args, PrintStream out, PrintStream err) {
    Flags f = Flags.parse("feature-learning", args, Set.of("train", "test", "seed", "samples", "neurons", "epochs"), Set.of());
    int n = f.positiveInt("train", 200);
    int m = f.positiveInt("test", 300);
    long seed = f.positiveInt("seed", 1);
    int samples = f.positiveInt("samples", 20_000);
    int neurons = f.positiveInt("neurons", 200);
    int epochs = f.positiveInt("epochs", 20);
    if (samples < 100) {
      throw new UsageException("feature-learning: --samples must be >= 100, got " + samples);
    }
    Digits all = Digits.load();
    int[] idx = all.shuffledIndices();
    if (n + m > idx.length) {
      throw new UsageException("feature-learning: --train " + n + " plus --test " + m + " exceeds the " + idx.length + " digits");
    }
    Digits train = all.subset(idx, 0, n);
    Digits test = all.subset(idx, n, m);
    Matrix x = Matrix.of(train.images);
    Matrix tx = Matrix.of(test.images);
    Matrix y = Matrix.ofRowMajor(n, 1, parity(train.labels));
    double[] ty = parity(test.labels);
    out.printf("UCI digits (embedded): %d training and %d test images; task: odd digit (+1) or even (-1); MSE%n", n, m);
    out.printf("Each feature-learning limit is followed by the frozen-feature kernel limit of the same network.%n%n");
    out.printf("%-37s %-42s %9s %9s %7s  %s%n", "training", "method", "test acc", "test MSE", "time", "note");

    // (1) SGD, one example per step, the same order for all: μP linear limit vs linear NNGP/NTK.
    int[] order = new int[epochs * n];
    SplittableRandom r = new SplittableRandom(seed);
    for (int s = 0; s < order.length; s++) {
      order[s] = r.nextInt(n);
    }
    double eta = 0.02;
    String sgd = "SGD, " + epochs + " epochs, eta " + eta;
    print(out, ty, timed(sgd, "muP linear limit (TP IV)", () -> MuPLinear.limit(64, 1, MuPLinearOptions.of(1, 1, 1))
        .sgd(x, y, eta, order).predict(tx).toRowMajorArray(), "hidden width d + k = 65"));
    Layer linear = Layers.serial(Layers.dense(1.0), Layers.dense(1.0));
    print(out, ty, timed(sgd, "NTK of the same network (function space)", () -> KernelSgd.of(linear, KernelKind.NTK, x, 1)
        .sgd(y, eta, order, 0).predict(tx).toRowMajorArray(), "features frozen"));

    // (2) Bayesian posterior: adaptive kernels vs the NNGP (γ = 0), same β.
    double beta = 1;
    String bayes = "Bayesian posterior, beta " + (int) beta;
    DeepLinearAnbk[] deep = new DeepLinearAnbk[1];
    print(out, ty, timed(bayes, "deep linear aNBK, L = 2, gamma 1", () -> {
      deep[0] = DeepLinearAnbk.fit(x, y, 1, beta, 2);
      return deep[0].predict(tx).toRowMajorArray();
    }, () -> String.format("m = %.3f: ridge 1/(beta m)", deep[0].m())));
    print(out, ty, timed(bayes, "deep linear NNGP (gamma 0)", () -> DeepLinearAnbk.fit(x, y, 0, beta, 2).predict(tx).toRowMajorArray(),
        "ridge 1/beta"));
    AnbkSamplingOptions sampling = new AnbkSamplingOptions(samples, 10, 0.3, 1e-4, 1000, seed, Math.max(100, samples / 100.0));
    TwoLayerAnbk[] two = new TwoLayerAnbk[2];
    print(out, ty, timed(bayes, "two-layer erf aNBK, gamma 0.3", () -> {
      two[0] = TwoLayerAnbk.fit(x, y, tx, Layers.erf(), 0.3, beta, sampling, ProgressListener.none());
      return two[0].predictions().toRowMajorArray();
    }, () -> String.format("alignment %.3f, min ESS %.0f", two[0].alignment(), java.util.Arrays.stream(two[0].effectiveSampleSizes()).min().orElseThrow())));
    print(out, ty, timed(bayes, "two-layer erf NNGP (gamma 0)", () -> {
      two[1] = TwoLayerAnbk.fit(x, y, tx, Layers.erf(), 0, beta, sampling, ProgressListener.none());
      return two[1].predictions().toRowMajorArray();
    }, () -> String.format("alignment %.3f", two[1].alignment())));

    // (3) Gradient descent with weight decay: adaptive NTK at γ = 1 vs the lazy γ = 0.05.
    AdaptiveNtkOptions antk = new AdaptiveNtkOptions(1, 0.05, 0.01, 1000, neurons, seed, true);
    String flow = "GD, eta 0.01, 1000 steps, decay 0.05";
    AdaptiveNtk[] nets = new AdaptiveNtk[1];
    print(out, ty, timed(flow, "ReLU aNTK, gamma 1 (" + neurons + " neurons)", () -> {
      nets[0] = AdaptiveNtk.train(x, y, tx, Layers.relu(), antk, ProgressListener.none());
      return nets[0].testOutputs().toRowMajorArray();
    }, ""));
    print(out, ty, timed(flow, "  its kernel predictor Phi(Phi+lI)^-1 y", () -> nets[0].stationaryPredictions().toRowMajorArray(),
        () -> String.format("readout gradient %.1e", nets[0].readoutGradient())));
    print(out, ty, timed(flow, "ReLU network, gamma 0.05 (lazy)", () -> AdaptiveNtk.train(x, y, tx, Layers.relu(),
        new AdaptiveNtkOptions(0.05, 0.05, 0.01, 1000, neurons, seed, true), ProgressListener.none()).testOutputs().toRowMajorArray(),
        "near the NTK regime"));

    // (4) Linear networks joined by a bottleneck of width d, centred GD.
    String gd = "GD, 1000 steps, eta 0.5";
    for (int d : new int[] {4, 1024}) {
      print(out, ty, timed(gd, "linear bottleneck, d = " + d, () -> LinearBottleneck.initialize(64, d, 1, 1, seed)
          .train(x, y, 0.5, 1000, true).predictCentred(tx).toRowMajorArray(), d == 1024 ? "close to the NTK limit" : ""));
    }

    // Reference: the converged kernel regression of a one-hidden-layer ReLU network.
    Layer relu = Layers.serial(Layers.dense(1.0, 0.05), Layers.relu(), Layers.dense(1.0, 0.05));
    for (KernelKind kind : new KernelKind[] {KernelKind.NNGP, KernelKind.NTK}) {
      print(out, ty, timed("reference, t = inf", "ReLU " + kind + " kernel regression", () -> {
        Matrix kdd = Kernels.compute(relu, x, null, java.util.EnumSet.of(kind)).get(kind);
        Matrix ktd = Kernels.compute(relu, tx, x, java.util.EnumSet.of(kind)).get(kind);
        return KernelPredictor.of(kdd, y, PredictOptions.defaults().withDiagReg(1e-4)).mean(ktd, Double.POSITIVE_INFINITY)
            .toRowMajorArray();
      }, "diag reg 1e-4"));
    }
    out.printf("%nSeed %d; aNBK with %d samples and 10 continuation steps; aNTK with %d neurons, outputs centred.%n", seed, samples,
        neurons);
  }

  static double[] parity(int[] labels) {
    double[] y = new double[labels.length];
    for (int i = 0; i < y.length; i++) {
      y[i] = labels[i] % 2 == 1 ? 1 : -1;
    }
    return y;
  }

  static Row timed(String group, String method, Supplier<double[]> run, String note) {
    return timed(group, method, run, () -> note);
  }

  static Row timed(String group, String method, Supplier<double[]> run, Supplier<String> note) {
    long t0 = System.nanoTime();
    double[] o = run.get();
    return new Row(group, method, o, (System.nanoTime() - t0) / 1e9, note.get());
  }

  static void print(PrintStream out, double[] target, Row row) {
    int correct = 0;
    double mse = 0;
    for (int i = 0; i < target.length; i++) {
      if (Math.signum(row.outputs()[i]) == target[i]) {
        correct++;
      }
      mse += (row.outputs()[i] - target[i]) * (row.outputs()[i] - target[i]);
    }
    out.printf("%-37s %-42s %8.2f%% %9.4f %6.1fs  %s%n", row.group(), row.method(), 100.0 * correct / target.length,
        mse / target.length, row.seconds(), row.note());
    out.flush();
  }
}
