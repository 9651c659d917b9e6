package io.github.ntk4j.examples;

import io.github.ntk4j.Backend;
import io.github.ntk4j.ComputeOptions;
import io.github.ntk4j.KernelKind;
import io.github.ntk4j.Matrix;
import java.util.EnumSet;
import io.github.ntk4j.Precision;
import io.github.ntk4j.ProgressListener;
import io.github.ntk4j.io.MatrixFiles;
import io.github.ntk4j.layers.Architectures;
import io.github.ntk4j.layers.Layer;
import io.github.ntk4j.predict.InfiniteEnsemble;
import io.github.ntk4j.predict.PredictOptions;
import io.github.ntk4j.predict.Prediction;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Set;

/**
 * {@code ntk4j predict}: mean test predictions of an infinitely wide network trained by gradient
 * descent on MSE (NTK) or of Bayesian inference with the NNGP, written to one file.
 */
final class PredictCommand {
  private PredictCommand() {}

  static void run(String[] args, PrintStream out, PrintStream err) throws IOException {
    Flags f =
        Flags.parse(
            "predict", args,
            Set.of("arch", "train-x", "train-y", "test-x", "out", "get", "time", "diag-reg", "learning-rate",
                "cov-out", "backend", "threads"),
            Set.of("progress"));
    Layer arch = Architectures.parse(f.require("arch"));
    KernelKind kind = KernelKind.fromName(f.choice("get", "ntk", "nngp", "ntk"));
    double time = time(f.get("time", "inf"));
    double diagReg = f.finiteNumber("diag-reg", 0);
    if (!(diagReg >= 0)) {
      throw new UsageException("predict: --diag-reg must be a number >= 0, got '" + f.get("diag-reg", "") + "'");
    }
    double eta = f.finiteNumber("learning-rate", 1);
    if (!(eta > 0)) {
      throw new UsageException("predict: --learning-rate must be a number > 0, got '" + f.get("learning-rate", "") + "'");
    }
    Path outPath = Path.of(f.require("out"));
    MatrixFiles.checkWritable(outPath); // before any work
    Path covPath = f.has("cov-out") ? Path.of(f.require("cov-out")) : null;
    if (covPath != null) {
      MatrixFiles.checkWritable(covPath);
      if (covPath.toAbsolutePath().normalize().equals(outPath.toAbsolutePath().normalize())) {
        throw new UsageException("predict: --cov-out must differ from --out");
      }
    }
    Backend backend = Backend.valueOf(f.choice("backend", "auto", "auto", "cpu", "opencl").toUpperCase(Locale.ROOT));
    int threads = f.positiveInt("threads", Runtime.getRuntime().availableProcessors());
    String trainXName = f.require("train-x");
    String trainYName = f.require("train-y");
    String testXName = f.require("test-x");
    Matrix trainX = MatrixFiles.read(Path.of(trainXName));
    Matrix trainY = MatrixFiles.read(Path.of(trainYName));
    Matrix testX = MatrixFiles.read(Path.of(testXName));
    if (trainY.rows() != trainX.rows()) {
      throw new UsageException(
          "predict: --train-y " + trainYName + " has " + trainY.rows() + " rows but --train-x " + trainXName + " has "
              + trainX.rows() + "; there must be one target row per training input");
    }
    if (testX.cols() != trainX.cols()) {
      throw new UsageException(
          "predict: --test-x " + testXName + " has " + testX.cols() + " columns but --train-x " + trainXName + " has "
              + trainX.cols() + "; both need the same number of columns");
    }
    ComputeOptions compute = new ComputeOptions(threads, Precision.FLOAT64, backend, ComputeOptions.defaults().tileSize());
    PredictOptions options = PredictOptions.defaults().withLearningRate(eta).withDiagReg(diagReg).withCompute(compute);
    // On a terminal (or with --progress), training kernels of 4 million entries or more show a bar
    // on stderr, as ntk4j kernel does; the prediction after it (the test kernel and the linear
    // algebra, which have no measure of progress) shows its elapsed time.
    long n = trainX.rows();
    boolean bar = f.has("progress") || (System.console() != null && n * n >= 4_000_000L);
    ProgressBar progress = new ProgressBar(err, "ntk4j: training kernel " + n + "x" + n);
    ProgressListener listener = bar ? progress : ProgressListener.none();
    Set<KernelKind> kinds = covPath == null ? EnumSet.of(kind) : EnumSet.of(KernelKind.NNGP, KernelKind.NTK);
    Prediction p;
    try {
      // The mean needs only the training kernel of its kind: half the memory of a full ensemble
      // (n = 20,000 in 18 GB of heap). As the ensemble's own kernel it is positive semidefinite by
      // construction, so finite times take the Chebyshev route without a Cholesky certificate.
      InfiniteEnsemble ensemble = InfiniteEnsemble.fit(arch, trainX, trainY, options, kinds, listener);
      if (bar) {
        progress.phase("predicting " + testX.rows() + " points from " + n + (covPath == null ? "" : ", with covariances"));
      }
      p = covPath == null ? ensemble.predict(testX, kind, time) : ensemble.predict(testX, kind, time, true);
    } finally {
      progress.finish();
    }
    MatrixFiles.write(outPath, p.mean(), Precision.FLOAT64);
    if (covPath != null) {
      MatrixFiles.write(covPath, p.covariance().orElseThrow(), Precision.FLOAT64);
    }
  }

  /** "inf" (or "infinity") or a number ≥ 0. */
  static double time(String text) {
    String t = text.trim().toLowerCase(Locale.ROOT);
    if (t.equals("inf") || t.equals("infinity") || t.equals("+inf")) {
      return Double.POSITIVE_INFINITY;
    }
    try {
      double v = Double.parseDouble(t);
      if (v >= 0 && Double.isFinite(v)) {
        return v;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw new UsageException("predict: --time must be a number >= 0 or 'inf', got '" + text + "'");
  }
}
