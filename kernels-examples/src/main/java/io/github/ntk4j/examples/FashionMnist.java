package io.github.ntk4j.examples;

import io.github.ntk4j.Backend;
import io.github.ntk4j.ComputeOptions;
import io.github.ntk4j.KernelKind;
import io.github.ntk4j.KernelResult;
import io.github.ntk4j.Kernels;
import io.github.ntk4j.Matrix;
import io.github.ntk4j.layers.Architectures;
import io.github.ntk4j.layers.Layer;
import io.github.ntk4j.predict.KernelPredictor;
import io.github.ntk4j.predict.NotPositiveDefiniteException;
import io.github.ntk4j.predict.PredictOptions;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;

/**
 * {@code ntk4j fashion-mnist}: kernel regression with the NNGP and the NTK of infinitely wide
 * networks on Fashion-MNIST, i.e. the predictions of Bayesian inference (NNGP) and of gradient
 * descent to convergence (NTK) on mean squared error (shared/math/kernels.md §7).
 *
 * <p>The protocol, fixed so that the same data and the same choices give the same predictions:
 * images standardized one by one (mean 0, variance 1 over the 784 pixels); targets one-hot minus
 * 0.1; training sets are the first n training images; {@code diagReg} (relative to the mean of the
 * training kernel's diagonal, as in neural-tangents) is chosen from {1e-4, 1e-3, 1e-2, 1e-1} by
 * accuracy on the last 5,000 training images, which no training set reaches; accuracy is reported on
 * the 10,000 test images. One kernel computation at the largest n serves every smaller n (the
 * kernel of a prefix is a block of it). A learning curve over training time (gradient flow with the
 * NTK, one eigendecomposition) and a heatmap of the kernel are drawn as SVG.
 */
final class FashionMnist {
  static final Path DEFAULT_DIR = Path.of("/usr/share/datasets/fashion-mnist");
  static final double[] DIAG_REGS = {1e-4, 1e-3, 1e-2, 1e-1};
  static final List<String> ARCHITECTURES =
      List.of(
          "serial(dense(1.5, 0.05), relu(), dense(1.5, 0.05))",
          "serial(dense(1.5, 0.05), relu(), dense(1.5, 0.05), relu(), dense(1.5, 0.05))");
  private static final int CURVE_POINTS = 25;

  private FashionMnist() {}

  /** One row of the results table. */
  record Row(String arch, KernelKind kind, int size, double diagReg, double validation, double test, double seconds) {}

  static void run(String[] args, PrintStream out, PrintStream err) {
    Flags f =
        Flags.parse(
            "fashion-mnist", args,
            Set.of("dir", "train", "sizes", "validation", "test", "arch", "plot-dir", "curve-size", "threads", "backend"),
            Set.of("no-curve", "progress"));
    Path dir = Path.of(f.get("dir", DEFAULT_DIR.toString()));
    int train = f.positiveInt("train", 10_000);
    int validation = f.positiveInt("validation", 5_000);
    int testCount = f.positiveInt("test", 10_000);
    int[] sizes = sizes(f, train);
    List<String> archs = f.has("arch") ? List.of(f.require("arch")) : ARCHITECTURES;
    List<Layer> layers = new ArrayList<>();
    for (String spec : archs) {
      layers.add(Architectures.parse(spec));
    }
    Path plotDir = Path.of(f.get("plot-dir", "."));
    if (!Files.isDirectory(plotDir)) {
      throw new UsageException("fashion-mnist: --plot-dir " + plotDir + ": not a folder");
    }
    boolean curve = !f.has("no-curve");
    // The curve needs an eigendecomposition, about 9n³ flops: 11 s at n = 5,000 here, 86 s at 10,000.
    int curveSize = f.positiveInt("curve-size", Math.min(train, 5_000));
    if (curve && curveSize > train) {
      throw new UsageException("fashion-mnist: --curve-size " + curveSize + " exceeds --train " + train);
    }
    int threads = f.positiveInt("threads", Runtime.getRuntime().availableProcessors());
    Backend backend = Backend.valueOf(f.choice("backend", "auto", "auto", "cpu", "opencl").toUpperCase(Locale.ROOT));
    ComputeOptions opts = ComputeOptions.defaults().withThreads(threads).withBackend(backend);
    boolean progress = f.has("progress") || System.console() != null;

    long start = System.nanoTime();
    if (!Files.isDirectory(dir)) {
      throw new UsageException(
          "fashion-mnist: " + dir + " does not exist; on Debian or Ubuntu 'apt-get install dataset-fashion-mnist'"
              + " puts the files there, or give --dir with train-images-idx3-ubyte[.gz] and the other three files");
    }
    // The validation images are the last ones of the training file, so that no training set reaches them.
    int fileSize = Idx.count(dir, "train");
    if ((long) train + validation > fileSize) {
      throw new UsageException(
          "fashion-mnist: --train " + train + " plus --validation " + validation + " exceeds the " + fileSize
              + " training images (the validation images are the last " + validation + ")");
    }
    Digits trainSet = Idx.read(dir, "train", 0, train, true);
    Digits valSet = Idx.read(dir, "train", fileSize - validation, validation, true);
    Digits testSet = Idx.read(dir, "t10k", 0, testCount, false);
    testCount = testSet.labels.length;
    double loadSeconds = seconds(start);
    Matrix x = Matrix.of(trainSet.images);
    Matrix queries = Matrix.of(concat(valSet.images, testSet.images));
    double[][] y = Digits.oneHot(trainSet.labels);

    out.printf(Locale.ROOT, "Fashion-MNIST (%s), read in %.1f s:%n", dir, loadSeconds);
    out.printf(Locale.ROOT, "  training sets: the first %s of %d training images; validation: the last %d; test: %d%n",
        joined(sizes), fileSize, validation, testCount);
    out.println("  images standardized one by one; targets one-hot - 0.1; diagReg (relative to mean diag K)");
    out.println("  chosen from {1e-4, 1e-3, 1e-2, 1e-1} by validation accuracy; predictions at t = inf");
    out.println();
    for (int a = 0; a < archs.size(); a++) {
      out.printf("  A%d = %s%n", a + 1, archs.get(a));
    }
    out.println();
    out.printf("%-4s %-5s %7s %8s %9s %9s %8s%n", "arch", "kind", "train n", "diagReg", "val acc", "test acc", "time");

    List<Row> rows = new ArrayList<>();
    List<Matrix> firstNtk = new ArrayList<>();
    for (int a = 0; a < layers.size(); a++) {
      Layer arch = layers.get(a);
      long t0 = System.nanoTime();
      KernelResult kdd = compute(arch, x, null, opts, progress, err, "A" + (a + 1) + " training kernel");
      KernelResult kqd = compute(arch, queries, x, opts, progress, err, "A" + (a + 1) + " validation and test kernels");
      double kernelSeconds = seconds(t0);
      out.printf(Locale.ROOT, "A%d: kernels (%dx%d and %dx%d, NNGP and NTK in one pass) in %.1f s; %s%n",
          a + 1, train, train, queries.rows(), train, kernelSeconds, kdd.provenance().backend());
      for (KernelKind kind : KernelKind.values()) {
        for (int size : sizes) {
          Row row = regress("A" + (a + 1), kind, size, kdd.get(kind), kqd.get(kind), y, valSet.labels, testSet.labels, opts);
          rows.add(row);
          out.printf(Locale.ROOT, "%-4s %-5s %7d %8.0e %8.2f%% %8.2f%% %7.1fs%n", row.arch, kind.cliName(), size,
              row.diagReg, 100 * row.validation, 100 * row.test, row.seconds);
        }
      }
      if (a == 0) {
        firstNtk.add(kdd.ntk());
        firstNtk.add(kqd.ntk());
      }
    }

    Path accuracyPlot = plotDir.resolve("fashion-mnist-accuracy.svg");
    accuracyPlot(rows, sizes).write(accuracyPlot);
    out.println();
    out.println("Accuracy against training-set size: " + accuracyPlot);
    if (curve) {
      Row chosen = best(rows, "A1", KernelKind.NTK, curveSize, sizes);
      Path curvePlot = plotDir.resolve("fashion-mnist-training.svg");
      learningCurve(out, chosen, firstNtk.get(0), firstNtk.get(1), y, trainSet.labels, valSet.labels.length, testSet.labels, opts,
          curvePlot);
    }
    Path heatmap = plotDir.resolve("fashion-mnist-kernel.svg");
    heatmap(layers.get(0), testSet, opts, heatmap);
    out.println("NTK of A1 on test images sorted by class: " + heatmap);
    out.printf(Locale.ROOT, "%nTotal %.1f s on %d threads (%s).%n", seconds(start), threads, KernelPredictor.linearAlgebra());
  }

  /** The kernel regression of one kind at one training-set size, diagReg chosen on the validation images. */
  static Row regress(
      String arch, KernelKind kind, int size, Matrix trainKernel, Matrix queryKernel, double[][] y, int[] valLabels,
      int[] testLabels, ComputeOptions opts) {
    long t0 = System.nanoTime();
    Matrix kss = size == trainKernel.rows() ? trainKernel : block(trainKernel, size, size);
    Matrix kqs = size == queryKernel.cols() ? queryKernel : block(queryKernel, queryKernel.rows(), size);
    Matrix targets = Matrix.of(Arrays.copyOf(y, size));
    double bestVal = -1;
    double bestTest = Double.NaN;
    double bestReg = Double.NaN;
    for (double reg : DIAG_REGS) {
      Matrix pred;
      try {
        pred = KernelPredictor.of(kss, targets, PredictOptions.defaults().withDiagReg(reg).withCompute(opts))
            .mean(kqs, Double.POSITIVE_INFINITY);
      } catch (NotPositiveDefiniteException e) {
        continue; // too little regularization for this kernel: the larger values remain
      }
      double val = Digits.accuracy(pred, 0, valLabels);
      if (val > bestVal) {
        bestVal = val;
        bestReg = reg;
        bestTest = Digits.accuracy(pred, valLabels.length, testLabels);
      }
    }
    if (bestVal < 0) {
      throw new NotPositiveDefiniteException(
          "the " + kind.cliName() + " training kernel of " + arch + " at n = " + size
              + " is singular for every diagReg tried; are there duplicate images?", -1);
    }
    return new Row(arch, kind, size, bestReg, bestVal, bestTest, seconds(t0));
  }

  /** Test accuracy, train accuracy and test loss over training time, with one eigendecomposition. */
  private static void learningCurve(
      PrintStream out, Row chosen, Matrix ntkTrain, Matrix ntkQueries, double[][] y, int[] trainLabels, int validation,
      int[] testLabels, ComputeOptions opts, Path plot) {
    long t0 = System.nanoTime();
    int n = chosen.size;
    Matrix kss = n == ntkTrain.rows() ? ntkTrain : block(ntkTrain, n, n);
    Matrix kqs = n == ntkQueries.cols() ? ntkQueries : block(ntkQueries, ntkQueries.rows(), n);
    double[][] targets = Arrays.copyOf(y, n);
    KernelPredictor p =
        KernelPredictor.of(kss, Matrix.of(targets), PredictOptions.defaults().withDiagReg(chosen.diagReg).withCompute(opts));
    // Times (steps at learning rate 1, as 'ntk4j predict --time'): from where the top mode of
    // K + reg has barely moved to where even the regularization's modes have converged.
    double meanDiag = p.regularization() / chosen.diagReg; // diagReg is relative to the mean of diag K
    int c = y[0].length;
    double tFirst = 0.01 * c / meanDiag; // τ·n·k̄ = 0.01, τ = t/(n·c)
    double tLast = 10.0 * n * c / p.regularization(); // τ·reg = 10
    double[] times = new double[CURVE_POINTS];
    for (int i = 0; i < CURVE_POINTS; i++) {
      times[i] = tFirst * Math.pow(tLast / tFirst, (double) i / (CURVE_POINTS - 1));
    }
    List<Matrix> test = p.means(kqs, times);
    List<Matrix> fit = p.means(kss, times);
    int[] fitLabels = Arrays.copyOf(trainLabels, n);
    double[] logT = new double[CURVE_POINTS];
    double[] testAcc = new double[CURVE_POINTS];
    double[] trainAcc = new double[CURVE_POINTS];
    double[] testLoss = new double[CURVE_POINTS];
    for (int i = 0; i < CURVE_POINTS; i++) {
      logT[i] = Math.log10(times[i]);
      testAcc[i] = Digits.accuracy(test.get(i), validation, testLabels);
      trainAcc[i] = Digits.accuracy(fit.get(i), fitLabels);
      testLoss[i] = Digits.meanSquaredError(test.get(i), validation, testLabels);
    }
    out.println();
    out.printf(Locale.ROOT, "Training curve of the %s NTK, n = %d, diagReg %.0e (gradient flow on MSE, one"
        + " eigendecomposition, %.1f s):%n", chosen.arch, n, chosen.diagReg, seconds(t0));
    out.printf("%12s %10s %9s %9s%n", "t (steps)", "train acc", "test acc", "test MSE");
    for (int i = 0; i < CURVE_POINTS; i += 4) {
      out.printf(Locale.ROOT, "%12.3g %9.2f%% %8.2f%% %9.5f%n", times[i], 100 * trainAcc[i], 100 * testAcc[i], testLoss[i]);
    }
    new SvgPlot("Fashion-MNIST: " + chosen.arch + " NTK gradient flow, n = " + n, "log10 t (steps at learning rate 1)",
        "accuracy")
        .add("train accuracy", logT, trainAcc)
        .add("test accuracy", logT, testAcc)
        .add("test MSE x 10", logT, Arrays.stream(testLoss).map(v -> 10 * v).toArray())
        .write(plot);
    out.println("Training curve: " + plot);
  }

  /** The NTK of up to 20 test images of each class, sorted by class, as a heatmap. */
  private static void heatmap(Layer arch, Digits test, ComputeOptions opts, Path path) {
    List<double[]> rows = new ArrayList<>();
    TreeSet<Integer> boundaries = new TreeSet<>();
    for (int c = 0; c < Digits.CLASSES; c++) {
      int taken = 0;
      for (int i = 0; i < test.labels.length && taken < 20; i++) {
        if (test.labels[i] == c) {
          rows.add(test.images[i]);
          taken++;
        }
      }
      boundaries.add(rows.size());
    }
    Matrix k = Kernels.compute(arch, Matrix.of(rows.toArray(new double[0][])), null, EnumSet.of(KernelKind.NTK), opts).ntk();
    SvgHeatmap.write(path, "NTK of A1 on Fashion-MNIST test images, 20 per class, sorted by class", k,
        boundaries.stream().mapToInt(Integer::intValue).toArray());
  }

  private static SvgPlot accuracyPlot(List<Row> rows, int[] sizes) {
    SvgPlot plot = new SvgPlot("Fashion-MNIST test accuracy, kernel regression", "training images", "test accuracy").fitY();
    List<String> seen = new ArrayList<>();
    for (Row r : rows) {
      String name = r.arch + " " + r.kind.cliName();
      if (seen.contains(name)) {
        continue;
      }
      seen.add(name);
      double[] xs = new double[sizes.length];
      double[] ys = new double[sizes.length];
      int i = 0;
      for (Row s : rows) {
        if (s.arch.equals(r.arch) && s.kind == r.kind) {
          xs[i] = s.size;
          ys[i] = s.test;
          i++;
        }
      }
      plot.add(name, xs, ys);
    }
    return plot;
  }

  private static Row best(List<Row> rows, String arch, KernelKind kind, int curveSize, int[] sizes) {
    int size = sizes[0];
    for (int s : sizes) {
      if (s <= curveSize) {
        size = s;
      }
    }
    for (Row r : rows) {
      if (r.arch.equals(arch) && r.kind == kind && r.size == size) {
        return r;
      }
    }
    throw new IllegalStateException("no result for " + arch + " " + kind + " at n = " + size);
  }

  private static KernelResult compute(
      Layer arch, Matrix a, Matrix b, ComputeOptions opts, boolean progress, PrintStream err, String label) {
    if (!progress) {
      return Kernels.compute(arch, a, b, EnumSet.allOf(KernelKind.class), opts);
    }
    ProgressBar bar = new ProgressBar(err, label);
    try {
      return Kernels.compute(arch, a, b, EnumSet.allOf(KernelKind.class), opts, bar);
    } finally {
      bar.finish();
    }
  }

  /** The sorted, distinct training-set sizes: --sizes, or 1,000, 2,000, 5,000 (those below --train) and --train. */
  static int[] sizes(Flags f, int train) {
    TreeSet<Integer> set = new TreeSet<>();
    if (f.has("sizes")) {
      for (String part : f.require("sizes").split(",", -1)) {
        int s;
        try {
          s = Integer.parseInt(part.trim());
        } catch (NumberFormatException e) {
          throw new UsageException("fashion-mnist: --sizes must be a comma-separated list of integers, got '" + part + "'");
        }
        if (s < 10 || s > train) {
          throw new UsageException("fashion-mnist: --sizes: " + s + " is not between 10 and --train (" + train + ")");
        }
        set.add(s);
      }
    } else {
      for (int s : new int[] {1000, 2000, 5000}) {
        if (s < train) {
          set.add(s);
        }
      }
    }
    set.add(train);
    return set.stream().mapToInt(Integer::intValue).toArray();
  }

  /** The top-left rows×cols block of k. */
  static Matrix block(Matrix k, int rows, int cols) {
    double[] out = new double[rows * cols];
    for (int i = 0; i < rows; i++) {
      System.arraycopy(k.row(i), 0, out, i * cols, cols);
    }
    return Matrix.ofRowMajor(rows, cols, out);
  }

  private static double[][] concat(double[][] a, double[][] b) {
    double[][] out = Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }

  private static String joined(int[] sizes) {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < sizes.length; i++) {
      sb.append(i == 0 ? "" : i == sizes.length - 1 ? " or " : ", ").append(sizes[i]);
    }
    return sb.toString();
  }

  private static double seconds(long t0) {
    return (System.nanoTime() - t0) / 1e9;
  }
}
