package io.github.ntk4j.examples;

import io.github.ntk4j.ComputeOptions;
import io.github.ntk4j.KernelKind;
import io.github.ntk4j.KernelResult;
import io.github.ntk4j.Kernels;
import io.github.ntk4j.Matrix;
import io.github.ntk4j.layers.Architectures;
import io.github.ntk4j.layers.Layer;
import io.github.ntk4j.predict.InfiniteEnsemble;
import io.github.ntk4j.predict.PredictOptions;
import java.io.PrintStream;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * {@code ntk4j demo}: predictions of infinitely wide networks (NTK gradient descent and NNGP
 * Bayesian inference, t = ∞) with the NNGP and the NTK of a few architectures on the
 * embedded digits data, with a fixed split of 1,200 training and 597 test images.
 */
final class Demo {
  static final int TRAIN = 1200;
  static final double REG = 1e-4;
  static final List<String> ARCHITECTURES =
      List.of(
          "serial(dense(1.5, 0.05), relu(), dense(1.5, 0.05))",
          "serial(dense(1.5, 0.05), relu(), dense(1.5, 0.05), relu(), dense(1.5, 0.05), relu(), dense(1.5, 0.05))",
          "serial(dense(1.5, 0.05), erf(), dense(1.5, 0.05))");

  private Demo() {}

  static void run(String[] args, PrintStream out, PrintStream err) {
    Flags f = Flags.parse("demo", args, Set.of("threads"), Set.of());
    ComputeOptions opts =
        ComputeOptions.defaults().withThreads(f.positiveInt("threads", Runtime.getRuntime().availableProcessors()));
    Digits data = Digits.load();
    int[] idx = data.shuffledIndices();
    int n = TRAIN;
    int m = idx.length - n;
    double[][] xTrain = new double[n][];
    double[][] xTest = new double[m][];
    double[][] yTrain = new double[n][Digits.CLASSES];
    int[] labelsTest = new int[m];
    for (int i = 0; i < n; i++) {
      xTrain[i] = data.images[idx[i]];
      for (int c = 0; c < Digits.CLASSES; c++) {
        yTrain[i][c] = (c == data.labels[idx[i]] ? 1.0 : 0.0) - 0.1;
      }
    }
    for (int i = 0; i < m; i++) {
      xTest[i] = data.images[idx[n + i]];
      labelsTest[i] = data.labels[idx[n + i]];
    }
    PredictOptions options = PredictOptions.defaults().withDiagReg(REG).withCompute(opts);
    Matrix train = Matrix.of(xTrain);
    Matrix test = Matrix.of(xTest);
    out.printf("UCI digits: %d training and %d test images of 8x8 pixels, %d classes; diagReg %.0e%n%n",
        n, m, Digits.CLASSES, REG);
    out.printf("%-8s %-6s %9s %8s  %s%n", "kernel", "depth", "accuracy", "time", "architecture");
    for (String spec : ARCHITECTURES) {
      Layer arch = Architectures.parse(spec);
      long t0 = System.nanoTime();
      // Fitting computes the training kernels (both kinds in one pass); the test kernels are shared too.
      InfiniteEnsemble ensemble = InfiniteEnsemble.fit(arch, train, Matrix.of(yTrain), options);
      KernelResult ktd = Kernels.compute(arch, test, train, EnumSet.allOf(KernelKind.class), opts);
      double kernelSeconds = (System.nanoTime() - t0) / 1e9;
      for (KernelKind kind : KernelKind.values()) {
        long t1 = System.nanoTime();
        // t = ∞: the converged network (NTK) or the Gaussian-process posterior mean (NNGP).
        Matrix pred = ensemble.predictor(kind).mean(ktd.get(kind), Double.POSITIVE_INFINITY);
        double seconds = kernelSeconds + (System.nanoTime() - t1) / 1e9;
        int correct = 0;
        for (int i = 0; i < m; i++) {
          int best = 0;
          for (int c = 1; c < Digits.CLASSES; c++) {
            if (pred.get(i, c) > pred.get(i, best)) {
              best = c;
            }
          }
          correct += best == labelsTest[i] ? 1 : 0;
        }
        out.printf("%-8s %-6s %8.2f%% %7.2fs  %s%n", kind.cliName(), depthOf(spec), 100.0 * correct / m, seconds, spec);
      }
    }
    out.println();
    out.println("Time is the kernels (train and test, both kinds) plus the solve for that kind.");
    out.println("Next: 'ntk4j predict --help' predicts on your own data, 'ntk4j kernel --help' writes kernels;");
    out.println("README.md shows the Java API (io.github.ntk4j.predict.InfiniteEnsemble).");
  }

  private static String depthOf(String spec) {
    int dense = spec.split("dense\\(", -1).length - 1;
    return (dense - 1) + " hid";
  }
}
