package io.github.ntk4j.featurelearning;

import io.github.ntk4j.Matrix;
import io.github.ntk4j.internal.MatrixBridge;
import java.util.Objects;

/** Checks of a training set with one target column and a test set, and their joint input array. */
final class TrainTest {
  private TrainTest() {}

  /** Throws with a message naming the problem unless x (P×D), y (P×1) and xTest (P*×D) are finite and fit. */
  static void check(Matrix x, Matrix y, Matrix xTest) {
    Objects.requireNonNull(x, "x");
    Objects.requireNonNull(y, "y");
    Objects.requireNonNull(xTest, "xTest");
    MatrixBridge.requireFinite(x, "x", "inputs must be finite numbers");
    if (xTest.rows() > 0 && xTest.cols() != x.cols()) {
      throw new IllegalArgumentException("xTest must have " + x.cols() + " columns like x, got " + xTest.rows() + "x" + xTest.cols());
    }
    MatrixBridge.requireFinite(xTest, "xTest", "inputs must be finite numbers");
    if (y.rows() != x.rows() || y.cols() != 1) {
      throw new IllegalArgumentException("y must be " + x.rows() + "x1 (one target per training input), got " + y.rows() + "x" + y.cols());
    }
    MatrixBridge.requireFinite(y, "y", "targets must be finite numbers");
  }

  /** The rows of x, then those of xTest, row-major (P + P*)×D. */
  static double[] joint(Matrix x, Matrix xTest) {
    int p = x.rows();
    int d = x.cols();
    double[] all = new double[(p + xTest.rows()) * d];
    System.arraycopy(x.toRowMajorArray(), 0, all, 0, p * d);
    if (xTest.rows() > 0) {
      System.arraycopy(xTest.toRowMajorArray(), 0, all, p * d, xTest.rows() * d);
    }
    return all;
  }
}
