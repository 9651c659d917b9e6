package io.github.ntk4j.examples;

import io.github.ntk4j.ComputeOptions;
import io.github.ntk4j.KernelKind;
import io.github.ntk4j.Matrix;
import io.github.ntk4j.adaptive.AdaptiveLimit;
import io.github.ntk4j.adaptive.Batches;
import io.github.ntk4j.adaptive.Optimizer;
import io.github.ntk4j.adaptive.Schedule;
import io.github.ntk4j.adaptive.SimulationOptions;
import io.github.ntk4j.adaptive.Trajectory;
import io.github.ntk4j.layers.Architectures;
import io.github.ntk4j.layers.Layer;
import io.github.ntk4j.predict.InfiniteEnsemble;
import io.github.ntk4j.predict.PredictOptions;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * {@code ntk4j adaptive}: trains the infinite-width limits of the same network with (a) NTK gradient
 * descent, (b) SignSGD with one point per step (the exact sign kernel), (c) full-batch SignSGD and
 * (d) full-batch Adam (both by the Monte Carlo simulator), on the embedded digits or on
 * Fashion-MNIST, and prints test accuracy and losses; {@code --plot FILE.svg} draws the test loss
 * against epochs. These are the neural-tangent limits of Tensor Programs IVb (arXiv 2308.01814), not
 * the method of arXiv 2406.18800.
 */
final class AdaptiveDemo {
  static final String ARCH = "serial(dense(1.5, 0.05), relu(), dense(1.5, 0.05), relu(), dense(1.5, 0.05))";

  private AdaptiveDemo() {}

  record Result(String name, Trajectory trajectory, double[] epochs, double seconds) {}

  static void run(String[] args, PrintStream out, PrintStream err) {
    Flags f =
        Flags.parse(
            "adaptive", args, Set.of("train", "test", "epochs", "samples", "seed", "threads", "plot", "fashion-mnist"),
            Set.of());
    int n = f.positiveInt("train", 200);
    int mWanted = f.positiveInt("test", 500);
    int epochs = f.positiveInt("epochs", 30);
    int samples = f.positiveInt("samples", 128);
    long seed = f.positiveInt("seed", 1);
    int threads = f.positiveInt("threads", Runtime.getRuntime().availableProcessors());
    Path plot = f.has("plot") ? Path.of(f.require("plot")) : null;
    if (plot != null && !plot.toString().endsWith(".svg")) {
      throw new UsageException("adaptive: --plot " + plot + ": the plot is written as SVG; give a file name ending in .svg");
    }
    if (plot != null && !java.nio.file.Files.isDirectory(plot.toAbsolutePath().getParent())) {
      throw new UsageException("adaptive: --plot " + plot + ": file not found (the folder does not exist)");
    }
    Digits train;
    Digits test;
    String source;
    if (f.has("fashion-mnist")) {
      Path dir = Path.of(f.require("fashion-mnist"));
      train = Idx.read(dir, "train", n);
      test = Idx.read(dir, "t10k", mWanted);
      source = "Fashion-MNIST (" + dir + ")";
    } else {
      Digits all = Digits.load();
      int[] idx = all.shuffledIndices();
      if (n + mWanted > idx.length) {
        throw new UsageException("adaptive: --train " + n + " plus --test " + mWanted + " exceeds the " + idx.length + " digits");
      }
      train = all.subset(idx, 0, n);
      test = all.subset(idx, n, mWanted);
      source = "UCI digits (embedded)";
    }
    n = train.labels.length;
    int m = test.labels.length;
    Matrix x = Matrix.of(train.images);
    Matrix tx = Matrix.of(test.images);
    Matrix y = Matrix.of(Digits.oneHot(train.labels));
    Matrix ty = Matrix.of(Digits.oneHot(test.labels));
    Layer arch = Architectures.parse(ARCH);
    AdaptiveLimit limit = AdaptiveLimit.of(arch, x, y, tx, ty, ComputeOptions.defaults().withThreads(threads));
    out.printf("%s: %d training and %d test images, %d classes, targets one-hot - 0.1, MSE%n", source, n, m, Digits.CLASSES);
    out.printf("architecture %s; one infinite-width network per class; %d epochs%n%n", ARCH, epochs);

    SimulationOptions full =
        SimulationOptions.defaults(epochs).withReduction(SimulationOptions.Reduction.MEAN).withSamples(samples)
            .withReplicates(2).withSeed(seed).withThreads(threads);
    List<Result> results = new ArrayList<>();
    // (a) NTK gradient descent, full batch, at half the largest stable learning rate.
    double eta = 1.0 / (largestEigenvalue(limit.neuralTangentKernel(), n) / n);
    results.add(timed("NTK gradient descent", () -> limit.kernelGradientDescent(Optimizer.sgd(eta), full), epochs, 1));
    // (b) SignSGD, one random point per step, exact sign kernel, learning rate decayed 20x over training.
    int steps = epochs * n;
    // Keep one state per epoch: every step of a long batch-1 run would not fit in memory.
    SimulationOptions single = full.withSteps(steps).withBatches(Batches.random(1, seed)).withRecordEvery(n);
    Optimizer sign = Optimizer.signSgd(0.02, 0).withSchedule(Schedule.exponential(Math.pow(0.05, 1.0 / steps)));
    results.add(timed("SignSGD limit, batch 1", () -> limit.signDescent(sign, single), steps, n));
    // (c), (d) full batch SignSGD and Adam by the Monte Carlo simulator.
    Schedule decay = Schedule.exponential(Math.pow(0.05, 1.0 / epochs));
    results.add(timed("SignSGD limit, full batch", () -> limit.simulate(Optimizer.signSgd(0.05, 0).withSchedule(decay), full), epochs, 1));
    results.add(timed("Adam limit, full batch", () -> limit.simulate(Optimizer.adam(0.05, 0.9, 0.99, 1e-4).withSchedule(decay), full), epochs, 1));

    out.printf("%-28s %9s %9s %9s %8s%n", "method", "test acc", "test MSE", "train MSE", "time");
    for (Result r : results) {
      Trajectory t = r.trajectory;
      int last = t.recordedSteps().length - 1;
      out.printf("%-28s %8.2f%% %9.4f %9.4f %7.1fs%n", r.name, 100 * Digits.accuracy(t.test(t.steps()), test.labels),
          t.testLoss().orElseThrow()[last], t.trainLoss()[last], r.seconds);
    }
    // For reference: the converged NTK network (t = ∞), which the per-epoch curves above approach.
    long t0 = System.nanoTime();
    Matrix converged =
        InfiniteEnsemble.fit(arch, x, y, PredictOptions.defaults().withDiagReg(1e-4).withCompute(ComputeOptions.defaults().withThreads(threads)))
            .predict(tx, KernelKind.NTK, Double.POSITIVE_INFINITY).mean();
    out.printf("%-28s %8.2f%% %9.4f %9s %7.1fs%n", "NTK, t = inf (converged)", 100 * Digits.accuracy(converged, test.labels),
        Digits.meanSquaredError(converged, 0, test.labels), "-", (System.nanoTime() - t0) / 1e9);
    out.printf("%nMonte Carlo rows: %d x %d feature samples per group, 2 replicates (seed %d).%n", samples, samples, seed);
    if (plot != null) {
      SvgPlot chart = new SvgPlot("Test loss of infinite-width limits (" + source + ")", "epoch", "test MSE");
      for (Result r : results) {
        chart.add(r.name, r.epochs, r.trajectory.testLoss().orElseThrow());
      }
      chart.write(plot);
      out.println("Plot written to " + plot);
    }
  }

  private interface Run {
    Trajectory get();
  }

  private static Result timed(String name, Run run, int steps, int stepsPerEpoch) {
    long t0 = System.nanoTime();
    Trajectory t = run.get();
    int[] recorded = t.recordedSteps();
    double[] epochs = new double[recorded.length];
    for (int s = 0; s < recorded.length; s++) {
      epochs[s] = (double) recorded[s] / stepsPerEpoch;
    }
    return new Result(name, t, epochs, (System.nanoTime() - t0) / 1e9);
  }

  /** λ_max of the training block (the first n rows) of Θ, by power iteration. */
  static double largestEigenvalue(Matrix theta, int n) {
    double[] v = new double[n];
    java.util.Arrays.fill(v, 1 / Math.sqrt(n));
    double lambda = 0;
    for (int it = 0; it < 100; it++) {
      double[] w = new double[n];
      for (int i = 0; i < n; i++) {
        double s = 0;
        for (int j = 0; j < n; j++) {
          s += theta.get(i, j) * v[j];
        }
        w[i] = s;
      }
      double norm = 0;
      for (double e : w) {
        norm += e * e;
      }
      norm = Math.sqrt(norm);
      lambda = norm;
      for (int i = 0; i < n; i++) {
        v[i] = w[i] / norm;
      }
    }
    return lambda;
  }
}
