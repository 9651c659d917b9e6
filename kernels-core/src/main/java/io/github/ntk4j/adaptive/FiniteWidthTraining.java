package io.github.ntk4j.adaptive;

import io.github.ntk4j.Matrix;
import io.github.ntk4j.empirical.FiniteNetwork;
import io.github.ntk4j.internal.MatrixBridge;
import io.github.ntk4j.internal.NtSimulator;
import java.util.Objects;

/**
 * Trains an actual finite-width network with an entrywise optimizer in the neural-tangent scalings
 * of Tensor Programs IVb (arXiv 2308.01814; shared/math/adaptive-limits.md §1): every parameter θ
 * with scale s_θ ({@link FiniteNetwork#neuralTangentScales}) gets the scaled gradient s_θ·∂ℓ/∂θ and
 * the learning rate η_t/s_θ,
 *
 * <pre>
 *   θ_{t+1} = (1 − λ)·θ_t − (η_t/s_θ)·Q_t(s_θ·g₀, …, s_θ·g_t)
 * </pre>
 *
 * with Q of the {@link Optimizer}. As the width grows its trajectory approaches {@link
 * AdaptiveLimit#simulate}: this is the finite-width route that checks the limit. In
 * {@link SimulationOptions.Initialization#CENTRED centred} mode the network is trained on
 * g_t = f(θ_t) − f((1 − λ)^t·θ₀), whose outputs start at 0 (shared/math §5.4); otherwise on f itself.
 * Sample counts and replicates of the options are not used. Single-threaded and deterministic.
 */
public final class FiniteWidthTraining {
  private FiniteWidthTraining() {}

  /**
   * Trains {@code network} (one output unit) on the training set.
   *
   * @param network the initial network, NTK parameterization, one output
   * @param trainX n×d
   * @param trainY n×1
   * @param testX m×d, or null
   * @param testY m×1, or null
   * @param optimizer the optimizer (any rule, schedule and weight decay)
   * @param options steps, batches, reduction and initialization
   * @return the trajectory of the (centred) outputs
   */
  public static Trajectory train(
      FiniteNetwork network, Matrix trainX, Matrix trainY, Matrix testX, Matrix testY, Optimizer optimizer,
      SimulationOptions options) {
    Objects.requireNonNull(network, "network");
    Objects.requireNonNull(optimizer, "optimizer");
    Objects.requireNonNull(options, "options");
    if (network.outputs() != 1 || trainY.cols() != 1) {
      throw new IllegalArgumentException(
          "finite-width training: needs one output unit and one target column, got " + network.outputs() + " and "
              + trainY.cols() + "; train one network per target column");
    }
    if (trainY.rows() != trainX.rows()) {
      throw new IllegalArgumentException("trainY has " + trainY.rows() + " rows but trainX has " + trainX.rows());
    }
    int n = trainX.rows();
    int m = testX == null ? 0 : testX.rows();
    boolean centred = options.initialization() == SimulationOptions.Initialization.CENTRED;
    double[] theta0 = network.parameters();
    double[] theta = theta0.clone();
    double[] scales = network.neuralTangentScales();
    NtSimulator.Rule rule = optimizer.update();
    double[] first = new double[theta.length];
    double[] second = new double[theta.length];
    int[] recorded = options.recordedSteps();
    double[][] train = new double[recorded.length][];
    double[][] test = new double[recorded.length][];
    int kept = 0;
    double[] y = MatrixBridge.data(trainY);
    double decay = 1;
    FiniteNetwork net = network;
    for (int t = 0; ; t++) {
      FiniteNetwork init = centred ? network.withParameters(scaled(theta0, decay)) : null;
      double[] current = outputs(net, init, trainX);
      if (recorded[kept] == t) {
        train[kept] = current;
        test[kept] = m == 0 ? new double[0] : outputs(net, init, testX);
        kept++;
      }
      if (t == options.steps()) {
        break;
      }
      int[] batch = CheckedBatches.at(options.batches(), t, n);
      double[][] rows = new double[batch.length][];
      double[] chi = new double[batch.length];
      for (int k = 0; k < batch.length; k++) {
        rows[k] = trainX.row(batch[k]);
        chi[k] = current[batch[k]] - y[batch[k]];
        if (options.reduction() == SimulationOptions.Reduction.MEAN) {
          chi[k] /= batch.length;
        }
      }
      double[] grad = net.lossGradient(Matrix.of(rows), chi, 0);
      double lr = optimizer.learningRateAt(t);
      double keep = 1 - optimizer.weightDecay();
      double bc1 = 1 - Math.pow(optimizer.beta1(), t + 1);
      double bc2 = 1 - Math.pow(optimizer.beta2(), t + 1);
      for (int p = 0; p < theta.length; p++) {
        double q = rule.update(scales[p] * grad[p], first, second, p, bc1, bc2);
        theta[p] = keep * theta[p] - lr / scales[p] * q;
      }
      decay *= keep;
      net = network.withParameters(theta);
    }
    return new Trajectory(
        recorded, n, m, 1, train, test, null, null, y.clone(), testY == null ? null : MatrixBridge.data(testY).clone());
  }

  private static double[] scaled(double[] a, double factor) {
    double[] s = new double[a.length];
    for (int i = 0; i < a.length; i++) {
      s[i] = factor * a[i];
    }
    return s;
  }

  private static double[] outputs(FiniteNetwork net, FiniteNetwork init, Matrix x) {
    double[] f = net.apply(x).toRowMajorArray();
    if (init != null) {
      double[] f0 = init.apply(x).toRowMajorArray();
      for (int i = 0; i < f.length; i++) {
        f[i] -= f0[i];
      }
    }
    return f;
  }
}
