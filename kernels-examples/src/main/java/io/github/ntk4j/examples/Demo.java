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
    Digits trainSet = data.subset(idx, 0, n);
    Digits testSet = data.subset(idx, n, m);
    double[][] yTrain = Digits.oneHot(trainSet.labels);
    PredictOptions options = PredictOptions.defaults().withDiagReg(REG).withCompute(opts);
    Matrix train = Matrix.of(trainSet.images);
    Matrix test = Matrix.of(testSet.images);
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
        double accuracy = Digits.accuracy(pred, testSet.labels);
        out.printf("%-8s %-6s %8.2f%% %7.2fs  %s%n", kind.cliName(), depthOf(spec), 100 * accuracy, seconds, spec);
      }
    }
    out.println();
    out.println("Time is the kernels (train and test, both kinds) plus the solve for that kind.");
    out.println("Next: 'ntk4j predict --help' predicts on your own data, 'ntk4j kernel --help' writes kernels,");
    out.println("'ntk4j fashion-mnist' runs the same regression on Fashion-MNIST with plots;");
    out.println("docs/getting-started.md shows the Java API (io.github.ntk4j.predict.InfiniteEnsemble).");
  }

  private static String depthOf(String spec) {
    int dense = spec.split("dense\\(", -1).length - 1;
    return (dense - 1) + " hid";
  }
}
