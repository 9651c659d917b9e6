package io.github.ntk4j.adaptive;

import io.github.ntk4j.ComputeOptions;
import io.github.ntk4j.KernelKind;
import io.github.ntk4j.Kernels;
import io.github.ntk4j.Matrix;
import io.github.ntk4j.ProgressListener;
import io.github.ntk4j.internal.DecayedNtSimulator;
import io.github.ntk4j.internal.Lazy;
import io.github.ntk4j.internal.LinearAlgebra;
import io.github.ntk4j.internal.MatrixBridge;
import io.github.ntk4j.internal.Mlp;
import io.github.ntk4j.internal.NtSimulator;
import io.github.ntk4j.layers.Layer;
import java.util.EnumSet;
import java.util.Objects;
import java.util.SplittableRandom;

/**
 * The neural-tangent limit of an infinitely wide MLP trained by SGD, SignSGD or Adam on mean squared
 * error: the "ADAM-like" infinite-width limit in the grounded form of Tensor Programs IVb (G. Yang,
 * E. Littwin, arXiv 2308.01814). It is <b>not</b> the method of arXiv 2406.18800 (whose full text is
 * not public); see docs/adaptive-limits.md.
 *
 * <p>In the NT scalings of {@link Optimizer} the features do not move as the width grows, and the
 * outputs on all points evolve by
 *
 * <pre>
 *   f_{t+1} = f_t − η_t·K_Q(χ_t),   K_Q(χ)_a = Σ_g c_g·E[U_{g,a}·V_{g,a}·Q(c_g·Σ_b χ_b·U_{g,b}·V_{g,b})]
 * </pre>
 *
 * with χ_t the loss gradient on the batch and (U_g, V_g) the limiting backward and forward features
 * of each parameter group (shared/math/adaptive-limits.md §2–3). Three routes:
 *
 * <ul>
 *   <li>{@link #simulate}: any optimizer and batches, by Monte Carlo over the exact feature laws
 *       (§5), with a standard error from independent replicates; O(T·L·S²·M) time, O(L·S²) memory;
 *   <li>{@link #kernelGradientDescent}: SGD, exactly: f_{t+1} = f_t − η_t·Θ[:, B]·χ_B with the NTK Θ;
 *   <li>{@link #signDescent}: SignSGD with ε = 0 and batches of one point, exactly: f_{t+1} = f_t −
 *       η_t·sign(χ_b)·K^sign[:, b] with the {@link SignKernel}, O(M) per step.
 * </ul>
 *
 * <p>Training points are the first n points, test points the next m; test points are passive (they
 * never change the trajectory of the training points). Targets with c &gt; 1 columns are treated as
 * c independent scalar-output networks, one per column: for SGD this equals one network with c
 * outputs, for adaptive optimizers it does not (their update mixes the outputs' gradients).
 * Instances are immutable and thread-safe; kernels and samplers are computed on first use.
 */
public final class AdaptiveLimit {
  private final Layer architecture;
  private final Mlp mlp;
  private final int n;
  private final int m;
  private final int c;
  private final int d;
  private final double[] points;
  private final double[] trainY;
  private final double[] testY;
  private final ComputeOptions compute;
  private final Lazy<NtSimulator> simulator = Lazy.of(this::buildSimulator);
  private final Lazy<double[]> ntk = Lazy.of(this::computeNtk);
  private final Lazy<double[]> sign = Lazy.of(this::computeSignKernel);
  /** The lower semi-definite Cholesky factor of the NNGP on all points, for sampled f₀. */
  private final Lazy<double[]> outputRoot = Lazy.of(this::factorOutputNngp);

  private AdaptiveLimit(
      Layer architecture, Mlp mlp, int n, int m, int c, double[] points, double[] trainY, double[] testY,
      ComputeOptions compute) {
    this.architecture = architecture;
    this.mlp = mlp;
    this.n = n;
    this.m = m;
    this.c = c;
    this.d = mlp.inputDim;
    this.points = points;
    this.trainY = trainY;
    this.testY = testY;
    this.compute = compute;
  }

  /**
   * Sets up the limit of {@code architecture} on a training set and (optionally) a test set.
   *
   * @param architecture an MLP ending with a Dense layer, NTK parameterization (not modified)
   * @param trainX training inputs, n×d, n ≥ 1
   * @param trainY training targets, n×c
   * @param testX test inputs, m×d, or {@code null} for none
   * @param testY test targets, m×c, or {@code null} (then no test loss)
   * @return the limit
   * @throws IllegalArgumentException for mismatched shapes, non-finite values, or an architecture that
   *     is not such an MLP (the message names the layer)
   */
  public static AdaptiveLimit of(Layer architecture, Matrix trainX, Matrix trainY, Matrix testX, Matrix testY) {
    return of(architecture, trainX, trainY, testX, testY, ComputeOptions.defaults());
  }

  /**
   * As {@link #of(Layer, Matrix, Matrix, Matrix, Matrix)}, with the options used for the kernels.
   *
   * @param architecture the network: dense layers and activations
   * @param trainX training inputs, n×d
   * @param trainY training targets, n×c
   * @param testX test inputs, m×d
   * @param testY test targets, m×c, or {@code null} when test losses are not wanted
   * @param compute threads and tile size of the kernel computations
   * @return the limit
   */
  public static AdaptiveLimit of(
      Layer architecture, Matrix trainX, Matrix trainY, Matrix testX, Matrix testY, ComputeOptions compute) {
    Objects.requireNonNull(architecture, "architecture");
    Objects.requireNonNull(trainX, "trainX");
    Objects.requireNonNull(trainY, "trainY");
    Objects.requireNonNull(compute, "compute");
    if (trainX.rows() < 1) {
      throw new IllegalArgumentException("trainX: expected at least one training point");
    }
    if (trainY.rows() != trainX.rows()) {
      throw new IllegalArgumentException(
          "trainY: has " + trainY.rows() + " rows but trainX has " + trainX.rows() + "; one target row per training point");
    }
    if (testX != null && testX.cols() != trainX.cols()) {
      throw new IllegalArgumentException(
          "testX: has " + testX.cols() + " columns but trainX has " + trainX.cols() + "; both need the same input dimension");
    }
    if (testY != null) {
      if (testX == null) {
        throw new IllegalArgumentException("testY: given without testX");
      }
      if (testY.rows() != testX.rows() || testY.cols() != trainY.cols()) {
        throw new IllegalArgumentException(
            "testY: is " + testY.rows() + "x" + testY.cols() + " but expected " + testX.rows() + "x" + trainY.cols()
                + " (one row per test point, as many columns as trainY)");
      }
      MatrixBridge.requireFinite(testY, "testY", "targets must be finite numbers");
    }
    MatrixBridge.requireFinite(trainX, "trainX", "inputs must be finite numbers");
    MatrixBridge.requireFinite(trainY, "trainY", "targets must be finite numbers");
    if (testX != null) {
      MatrixBridge.requireFinite(testX, "testX", "inputs must be finite numbers");
    }
    int d = trainX.cols();
    Mlp mlp = Mlp.of(architecture, d, "adaptive limit");
    int n = trainX.rows();
    int m = testX == null ? 0 : testX.rows();
    double[] all = new double[(n + m) * d];
    System.arraycopy(MatrixBridge.data(trainX), 0, all, 0, n * d);
    if (m > 0) {
      System.arraycopy(MatrixBridge.data(testX), 0, all, n * d, m * d);
    }
    return new AdaptiveLimit(
        architecture, mlp, n, m, trainY.cols(), all, MatrixBridge.data(trainY).clone(),
        testY == null ? null : MatrixBridge.data(testY).clone(), compute);
  }

  /**
   * The architecture.
   *
   * @return the architecture these limits belong to
   */
  public Layer architecture() {
    return architecture;
  }

  /**
   * Runs the Monte Carlo simulator (shared/math/adaptive-limits.md §5.2).
   *
   * @param optimizer SGD, SignSGD or Adam; with a weight decay λ &gt; 0 (AdamW) the features are
   *     time-indexed (shared/math/adaptive-limits.md §5.4): covariances of order (T+1)·(n+m), at most
   *     3000, computed on one thread
   * @param options steps, batches, reduction, initialization, sample counts, replicates, seed, threads
   * @param progress receives (steps done, steps in all) over outputs and replicates
   * @return the mean trajectory over the replicates, with standard errors when there are ≥ 2
   * @throws IllegalArgumentException when a batch is invalid, or with weight decay when (T+1)·(n+m)
   *     exceeds 3000
   * @throws io.github.ntk4j.NumericalException when an output overflows
   */
  public Trajectory simulate(Optimizer optimizer, SimulationOptions options, ProgressListener progress) {
    Objects.requireNonNull(optimizer, "optimizer");
    Objects.requireNonNull(options, "options");
    Objects.requireNonNull(progress, "progress");
    boolean decayed = optimizer.weightDecay() != 0;
    DecayedNtSimulator decay =
        decayed ? new DecayedNtSimulator(mlp, points, n + m, options.steps(), optimizer.weightDecay()) : null;
    NtSimulator sim = decayed ? null : simulator.get();
    NtSimulator.Rule rule = optimizer.update();
    long total = (long) options.steps() * options.replicates() * c;
    long[] done = {0};
    int mm = n + m;
    int r = options.replicates();
    int[] recorded = options.recordedSteps();
    double[][][] runs = new double[r][][];
    double[][] mean = new double[recorded.length][mm * c];
    double[][] err = r >= 2 ? new double[recorded.length][mm * c] : null;
    SplittableRandom master = new SplittableRandom(options.seed());
    SplittableRandom initRng = master.split();
    double[][] f0 = decayed ? null : initial(options, initRng);
    boolean sampled = options.initialization() == SimulationOptions.Initialization.SAMPLED;
    for (int col = 0; col < c; col++) {
      double[] target = column(trainY, n, col);
      double[] init = decayed && sampled ? decay.sampleInitialOutputs(initRng.split()) : null;
      for (int rep = 0; rep < r; rep++) {
        runs[rep] = decayed
            ? decay.run(
                init, target, rule, optimizer::learningRateAt, optimizer.weightDecay(), step -> batch(options, step),
                options.reduction() == SimulationOptions.Reduction.MEAN, options.rowSamples(),
                options.columnSamples(), master.split(), () -> progress.progress(++done[0], total), recorded)
            : sim.run(
                f0[col], target, rule, optimizer::learningRateAt, options.steps(), step -> batch(options, step),
                options.reduction() == SimulationOptions.Reduction.MEAN, options.rowSamples(),
                options.columnSamples(), master.split(), options.threads(),
                () -> progress.progress(++done[0], total), recorded);
      }
      for (int t = 0; t < recorded.length; t++) {
        for (int a = 0; a < mm; a++) {
          double s = 0;
          for (int rep = 0; rep < r; rep++) {
            s += runs[rep][t][a];
          }
          double avg = s / r;
          mean[t][a * c + col] = avg;
          if (err != null) {
            double ss = 0;
            for (int rep = 0; rep < r; rep++) {
              double e = runs[rep][t][a] - avg;
              ss += e * e;
            }
            err[t][a * c + col] = Math.sqrt(ss / (r - 1) / r);
          }
        }
      }
    }
    return trajectory(recorded, mean, err);
  }

  /**
   * {@link #simulate(Optimizer, SimulationOptions, ProgressListener)} without progress reports.
   *
   * @param optimizer the optimizer, e.g. {@link Optimizer#adam}
   * @param options steps, batches, samples and seed
   * @return the outputs on the training and test points over training
   */
  public Trajectory simulate(Optimizer optimizer, SimulationOptions options) {
    return simulate(optimizer, options, ProgressListener.none());
  }

  /**
   * Kernel gradient descent with the NTK, exactly: f_{t+1} = f_t − η_t·Θ[:, B_t]·χ_{B_t}, the
   * infinite-width limit of SGD (Jacot et al., arXiv 1806.07572). Sample counts and replicates of
   * {@code options} are not used.
   *
   * @param optimizer {@link Optimizer#sgd} (with its schedule)
   * @param options steps, batches, reduction, initialization and seed
   * @return the trajectory
   * @throws IllegalArgumentException when {@code optimizer} is not SGD
   */
  public Trajectory kernelGradientDescent(Optimizer optimizer, SimulationOptions options) {
    Objects.requireNonNull(optimizer, "optimizer");
    Objects.requireNonNull(options, "options");
    if (optimizer.rule() != Optimizer.Rule.SGD || optimizer.weightDecay() != 0) {
      throw new IllegalArgumentException(
          "kernelGradientDescent: needs Optimizer.sgd(...) without weight decay, got " + optimizer.rule()
              + "; use simulate for adaptive optimizers");
    }
    double[] theta = ntk.get();
    return exact(optimizer, options, (f, batch, chi, lr) -> {
      for (int k = 0; k < batch.length; k++) {
        int b = batch[k];
        double step = lr * chi[k];
        for (int a = 0; a < n + m; a++) {
          f[a] -= step * theta[a * n + b];
        }
      }
    });
  }

  /**
   * SignSGD with ε = 0 and one training point per step, exactly: f_{t+1} = f_t −
   * η_t·sign(χ_b)·K^sign[:, b] ({@link SignKernel}). Deterministic, O(n + m) per step. Sample
   * counts and replicates of {@code options} are not used; the reduction does not matter.
   *
   * @param optimizer {@code Optimizer.signSgd(η, 0)} (with its schedule)
   * @param options steps, batches (each of size 1, e.g. {@code Batches.random(1, seed)}),
   *     initialization and seed
   * @return the trajectory
   * @throws IllegalArgumentException when the optimizer is not exact SignSGD, a batch has more than
   *     one point, or the architecture has no closed-form sign kernel
   */
  public Trajectory signDescent(Optimizer optimizer, SimulationOptions options) {
    Objects.requireNonNull(optimizer, "optimizer");
    Objects.requireNonNull(options, "options");
    if (!optimizer.isExactSign()) {
      throw new IllegalArgumentException(
          "signDescent: needs Optimizer.signSgd(eta, 0) (beta1 = beta2 = epsilon = weightDecay = 0), got "
              + optimizer + "; use simulate for other settings");
    }
    double[] k = sign.get();
    return exact(optimizer, options, (f, batch, chi, lr) -> {
      if (batch.length != 1) {
        throw new IllegalArgumentException(
            "signDescent: a batch has " + batch.length + " points; the sign kernel describes batches of one point"
                + " (use Batches.random(1, seed)); larger batches need simulate");
      }
      int b = batch[0];
      double step = lr * Math.signum(chi[0]);
      if (step != 0) {
        for (int a = 0; a < n + m; a++) {
          f[a] -= step * k[a * n + b];
        }
      }
    });
  }

  /**
   * K^sign[a][b] for a over the training then test points and b over the training points, (n+m)×n.
   *
   * @return the (n+m)×n sign kernel
   */
  public Matrix signKernel() {
    return MatrixBridge.wrap(n + m, n, sign.get().clone());
  }

  /**
   * The NTK Θ[a][b] for a over the training then test points and b over the training points, (n+m)×n.
   *
   * @return the (n+m)×n NTK
   */
  public Matrix neuralTangentKernel() {
    return MatrixBridge.wrap(n + m, n, ntk.get().clone());
  }

  private interface Update {
    void apply(double[] f, int[] batch, double[] chi, double lr);
  }

  private Trajectory exact(Optimizer optimizer, SimulationOptions options, Update update) {
    int mm = n + m;
    int[] recorded = options.recordedSteps();
    double[][] out = new double[recorded.length][mm * c];
    double[][] f0 = initial(options, new SplittableRandom(options.seed()).split());
    boolean mean = options.reduction() == SimulationOptions.Reduction.MEAN;
    for (int col = 0; col < c; col++) {
      double[] f = f0[col].clone();
      int kept = 0;
      for (int t = 0; ; t++) {
        for (int a = 0; a < mm; a++) {
          if (!Double.isFinite(f[a])) {
            throw new io.github.ntk4j.NumericalException(
                "an output is not finite after step " + t + "; lower the learning rate");
          }
        }
        if (recorded[kept] == t) {
          for (int a = 0; a < mm; a++) {
            out[kept][a * c + col] = f[a];
          }
          kept++;
        }
        if (t == options.steps()) {
          break;
        }
        if (Thread.currentThread().isInterrupted()) {
          throw new java.util.concurrent.CancellationException("cancelled: the calling thread was interrupted");
        }
        int[] batch = batch(options, t);
        double[] chi = new double[batch.length];
        for (int k = 0; k < batch.length; k++) {
          chi[k] = f[batch[k]] - trainY[batch[k] * c + col];
          if (mean) {
            chi[k] /= batch.length;
          }
        }
        update.apply(f, batch, chi, optimizer.learningRateAt(t));
      }
    }
    return trajectory(recorded, out, null);
  }

  private Trajectory trajectory(int[] recorded, double[][] all, double[][] err) {
    int k = recorded.length;
    double[][] train = new double[k][];
    double[][] test = new double[k][];
    double[][] trainErr = err == null ? null : new double[k][];
    double[][] testErr = err == null ? null : new double[k][];
    for (int t = 0; t < k; t++) {
      train[t] = java.util.Arrays.copyOfRange(all[t], 0, n * c);
      test[t] = java.util.Arrays.copyOfRange(all[t], n * c, (n + m) * c);
      all[t] = null; // let the combined row go before the next copy
      if (err != null) {
        trainErr[t] = java.util.Arrays.copyOfRange(err[t], 0, n * c);
        testErr[t] = java.util.Arrays.copyOfRange(err[t], n * c, (n + m) * c);
      }
    }
    return new Trajectory(recorded, n, m, c, train, test, trainErr, testErr, trainY, testY);
  }

  private int[] batch(SimulationOptions options, int step) {
    return CheckedBatches.at(options.batches(), step, n);
  }

  /** f₀ of each output column on all points: zeros, or a draw from the NNGP. */
  private double[][] initial(SimulationOptions options, SplittableRandom rng) {
    double[][] f0 = new double[c][n + m];
    if (options.initialization() == SimulationOptions.Initialization.SAMPLED) {
      double[] root = outputRoot.get();
      for (int col = 0; col < c; col++) {
        f0[col] = NtSimulator.correlated(root, n + m, 1, rng.split());
      }
    }
    return f0;
  }

  private static double[] column(double[] y, int rows, int col) {
    int cols = y.length / rows;
    double[] v = new double[rows];
    for (int i = 0; i < rows; i++) {
      v[i] = y[i * cols + col];
    }
    return v;
  }

  private Matrix allPoints() {
    return MatrixBridge.wrap(n + m, d, points);
  }

  private Matrix trainPoints() {
    return MatrixBridge.wrap(n, d, java.util.Arrays.copyOf(points, n * d));
  }

  private NtSimulator buildSimulator() {
    return new NtSimulator(mlp, mlp.layerKernels(points, n + m, compute.threads()), points);
  }

  private double[] computeNtk() {
    return MatrixBridge.data(
        Kernels.compute(architecture, allPoints(), trainPoints(), EnumSet.of(KernelKind.NTK), compute).ntk());
  }

  private double[] computeSignKernel() {
    return MatrixBridge.data(SignKernel.compute(architecture, allPoints(), trainPoints(), compute, ProgressListener.none()));
  }

  private double[] factorOutputNngp() {
    Matrix k = Kernels.compute(architecture, allPoints(), null, EnumSet.of(KernelKind.NNGP), compute).nngp();
    return LinearAlgebra.semidefiniteCholesky(MatrixBridge.data(k), n + m, NtSimulator.JITTER);
  }
}
