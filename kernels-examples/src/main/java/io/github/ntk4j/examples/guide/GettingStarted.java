package io.github.ntk4j.examples.guide;

import io.github.ntk4j.KernelKind;
import io.github.ntk4j.Kernels;
import io.github.ntk4j.Matrix;
import io.github.ntk4j.Precision;
import io.github.ntk4j.io.MatrixFiles;
import io.github.ntk4j.layers.Architectures;
import io.github.ntk4j.layers.Layer;
import io.github.ntk4j.predict.InfiniteEnsemble;
import io.github.ntk4j.predict.PredictOptions;
import java.io.IOException;
import java.nio.file.Path;

/** docs/getting-started.md: from files to a kernel and predictions, and back to a file. */
public final class GettingStarted {
  private GettingStarted() {}

  /**
   * Runs the page's example on {@code train-x.npy}, {@code train-y.npy} and {@code test-x.npy} in
   * {@code dir}, writing {@code mean.npy} there.
   *
   * @param dir the folder of the files
   * @return the test-by-training NTK
   * @throws IOException when a file cannot be read or written
   */
  public static Matrix run(Path dir) throws IOException {
    // snippet:files
    Matrix trainX = MatrixFiles.read(dir.resolve("train-x.npy")); // n×d, one point per row (.npy or .csv)
    Matrix trainY = MatrixFiles.read(dir.resolve("train-y.npy")); // n×c targets
    Matrix testX = MatrixFiles.read(dir.resolve("test-x.npy"));   // m×d

    Layer net = Architectures.parse("serial(dense(1.5, 0.05), relu(), dense(1.5, 0.05), relu(), dense(1.5, 0.05))");
    Matrix ntk = Kernels.ntk(net, testX, trainX); // m×n: entry [i][j] = Θ(testX_i, trainX_j)

    InfiniteEnsemble ens = InfiniteEnsemble.fit(net, trainX, trainY, PredictOptions.defaults().withDiagReg(1e-4));
    Matrix mean = ens.predict(testX, KernelKind.NTK, Double.POSITIVE_INFINITY).mean(); // m×c
    MatrixFiles.write(dir.resolve("mean.npy"), mean, Precision.FLOAT64);
    // end-snippet
    return ntk;
  }
}
