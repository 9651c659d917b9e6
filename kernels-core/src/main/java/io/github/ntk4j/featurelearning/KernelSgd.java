package io.github.ntk4j.featurelearning;

import io.github.ntk4j.KernelKind;
import io.github.ntk4j.Kernels;
import io.github.ntk4j.Matrix;
import io.github.ntk4j.internal.MatrixBridge;
import io.github.ntk4j.layers.Layer;
import java.util.EnumSet;
import java.util.Objects;

/**
 * An NNGP or NTK limit trained by SGD in function space: the frozen-feature baseline next to the
 * feature-learning limits (shared/math/feature-learning.md §1.3). With ℓ = ½‖f(x) − y‖² and one
 * example b per step,
 * \[ f_{t+1}(x) = (1 - \eta\,\mathrm{wd})\,f_t(x) - \eta\, k(x, x_b)\,\bigl(f_t(x_b) - y_b\bigr), \qquad f_0 = 0, \]
 * so f_t(x) = Σ_j k(x, x_j)·α_j with one coefficient row per training point (the growing list of
 * (x_b, coefficient) pairs, merged by point); wd is decoupled weight decay. With the NTK this is the
 * mean of infinitely wide networks trained by the same SGD (linearized dynamics); with full batches
 * and η → 0 it is the kernel gradient descent of {@link io.github.ntk4j.predict.KernelPredictor}.
 *
 * <p>Cost: the P×P training kernel once, then O(P·k) per step; predictions need K(x*, X).
 * Instances are immutable and thread-safe: {@link #sgd} returns a new model.
 */
public final class KernelSgd {
  private final Layer architecture; // null when built from a kernel
  private final KernelKind kind;
  private final double[] xTrain;
  private final int dim;
  private final int p;
  private final int outputs;
  private final double[] kernel; // P×P
  private final double[] alpha; // P×k

  private KernelSgd(Layer architecture, KernelKind kind, double[] xTrain, int dim, int p, int outputs, double[] kernel, double[] alpha) {
    this.architecture = architecture;
    this.kind = kind;
    this.xTrain = xTrain;
    this.dim = dim;
    this.p = p;
    this.outputs = outputs;
    this.kernel = kernel;
    this.alpha = alpha;
  }

  /**
   * The untrained model (f₀ = 0) of an architecture's NNGP or NTK on training inputs.
   *
   * @param architecture the layer stack
   * @param kind {@link KernelKind#NNGP} or {@link KernelKind#NTK}
   * @param x training inputs, P×D, finite
   * @param outputs k ≥ 1
   * @return the model; its training kernel is computed now
   */
  public static KernelSgd of(Layer architecture, KernelKind kind, Matrix x, int outputs) {
    Objects.requireNonNull(architecture, "architecture");
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(x, "x");
    checkOutputs(outputs);
    Matrix k = Kernels.compute(architecture, x, null, EnumSet.of(kind)).get(kind);
    return new KernelSgd(architecture, kind, x.toRowMajorArray(), x.cols(), x.rows(), outputs, k.toRowMajorArray(),
        new double[x.rows() * outputs]);
  }

  /**
   * The untrained model of a given training kernel; predict with {@link #predictKernel}.
   *
   * @param trainKernel K(X, X), P×P, finite
   * @param outputs k ≥ 1
   * @return the model
   */
  public static KernelSgd ofKernel(Matrix trainKernel, int outputs) {
    Objects.requireNonNull(trainKernel, "trainKernel");
    if (trainKernel.rows() != trainKernel.cols()) {
      throw new IllegalArgumentException("trainKernel must be square, got " + trainKernel.rows() + "x" + trainKernel.cols());
    }
    MatrixBridge.requireFinite(trainKernel, "trainKernel", "the kernel must be finite");
    checkOutputs(outputs);
    int p = trainKernel.rows();
    return new KernelSgd(null, null, null, 0, p, outputs, trainKernel.toRowMajorArray(), new double[p * outputs]);
  }

  private static void checkOutputs(int outputs) {
    if (outputs < 1) {
      throw new IllegalArgumentException("outputs must be >= 1, got " + outputs);
    }
  }

  /**
   * SGD with one example per step, in the given order.
   *
   * @param y targets, P×k, finite
   * @param learningRate η &gt; 0
   * @param order the training example of each step
   * @param weightDecay decoupled weight decay wd ≥ 0 (0: none), with η·wd &lt; 1
   * @return the trained model; this one is not modified
   */
  public KernelSgd sgd(Matrix y, double learningRate, int[] order, double weightDecay) {
    Objects.requireNonNull(y, "y");
    Objects.requireNonNull(order, "order");
    if (y.rows() != p || y.cols() != outputs) {
      throw new IllegalArgumentException("y must be " + p + "x" + outputs + " (one target row per training point), got " + y.rows() + "x" + y.cols());
    }
    MatrixBridge.requireFinite(y, "y", "targets must be finite numbers");
    if (!(learningRate > 0) || Double.isInfinite(learningRate)) {
      throw new IllegalArgumentException("learningRate must be a finite number > 0, got " + learningRate);
    }
    if (!(weightDecay >= 0) || Double.isInfinite(weightDecay)) {
      throw new IllegalArgumentException("weightDecay must be a finite number >= 0, got " + weightDecay);
    }
    if (!(learningRate * weightDecay < 1)) {
      throw new IllegalArgumentException(
          "learningRate x weightDecay must be < 1 (the decay factor 1 - η·wd must stay positive), got " + learningRate * weightDecay);
    }
    for (int s = 0; s < order.length; s++) {
      if (order[s] < 0 || order[s] >= p) {
        throw new IllegalArgumentException("order[" + s + "] = " + order[s] + " is not a training point (0 to " + (p - 1) + ")");
      }
    }
    double[] t = y.toRowMajorArray();
    double[] a = alpha.clone();
    double keep = 1 - learningRate * weightDecay;
    double scale = 1; // α = scale·a, so that decay costs nothing per step
    double[] f = new double[outputs];
    for (int b : order) {
      java.util.Arrays.fill(f, 0);
      int row = b * p;
      for (int j = 0; j < p; j++) {
        double k = kernel[row + j];
        if (k != 0) {
          for (int c = 0; c < outputs; c++) {
            f[c] += k * a[j * outputs + c];
          }
        }
      }
      scale *= keep;
      for (int c = 0; c < outputs; c++) {
        double fc = f[c] * scale / keep; // f_t(x_b) with the scale before this step's decay
        a[b * outputs + c] -= learningRate * (fc - t[b * outputs + c]) / scale;
      }
      if (Math.abs(scale) < 1e-100) {
        for (int i = 0; i < a.length; i++) {
          a[i] *= scale;
        }
        scale = 1;
      }
    }
    for (int i = 0; i < a.length; i++) {
      a[i] *= scale;
    }
    return new KernelSgd(architecture, kind, xTrain, dim, p, outputs, kernel, a);
  }

  /**
   * The coefficients α (P×k) with f(x) = Σ_j k(x, x_j)·α_j.
   *
   * @return α
   */
  public Matrix coefficients() {
    return Matrix.ofRowMajor(p, outputs, alpha.clone());
  }

  /**
   * f(x*) = K(x*, X)·α, with the kernel of the architecture given to {@link #of}.
   *
   * @param xTest inputs, m×D, finite
   * @return m×k
   */
  public Matrix predict(Matrix xTest) {
    if (architecture == null) {
      throw new IllegalStateException("this model was built from a kernel; use predictKernel with K(x*, X)");
    }
    Objects.requireNonNull(xTest, "xTest");
    if (xTest.cols() != dim) {
      throw new IllegalArgumentException("xTest must have " + dim + " columns like the training inputs, got " + xTest.rows() + "x" + xTest.cols());
    }
    Matrix k = Kernels.compute(architecture, xTest, Matrix.ofRowMajor(p, dim, xTrain), EnumSet.of(kind)).get(kind);
    return predictKernel(k);
  }

  /**
   * f(x*) = K(x*, X)·α from a given cross kernel.
   *
   * @param testTrainKernel K(x*, X), m×P, finite
   * @return m×k
   */
  public Matrix predictKernel(Matrix testTrainKernel) {
    Objects.requireNonNull(testTrainKernel, "testTrainKernel");
    if (testTrainKernel.cols() != p) {
      throw new IllegalArgumentException("testTrainKernel must have " + p + " columns (one per training point), got "
          + testTrainKernel.rows() + "x" + testTrainKernel.cols());
    }
    MatrixBridge.requireFinite(testTrainKernel, "testTrainKernel", "the kernel must be finite");
    int m = testTrainKernel.rows();
    double[] k = testTrainKernel.toRowMajorArray();
    double[] out = new double[m * outputs];
    for (int i = 0; i < m; i++) {
      for (int j = 0; j < p; j++) {
        double v = k[i * p + j];
        for (int c = 0; c < outputs; c++) {
          out[i * outputs + c] += v * alpha[j * outputs + c];
        }
      }
    }
    return Matrix.ofRowMajor(m, outputs, out);
  }
}
