package io.github.ntk4j.predict;

import io.github.ntk4j.KernelKind;
import io.github.ntk4j.KernelResult;
import io.github.ntk4j.Kernels;
import io.github.ntk4j.Matrix;
import io.github.ntk4j.ProgressListener;
import io.github.ntk4j.Provenance;
import io.github.ntk4j.internal.LinearAlgebra;
import io.github.ntk4j.internal.MatrixBridge;
import io.github.ntk4j.internal.Products;
import io.github.ntk4j.layers.Layer;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * An infinite ensemble of infinitely wide networks of one architecture, fitted to a training set:
 * what they predict after gradient descent on mean squared error (NTK) or under Bayesian inference
 * (NNGP), at any training time (shared/math/kernels.md §7; neural-tangents'
 * {@code gradient_descent_mse_ensemble} and {@code gp_inference}, arXiv 1912.02803; the dynamics
 * are those of Jacot et al., arXiv 1806.07572, and Lee et al., arXiv 1902.06720).
 *
 * <pre>{@code
 * InfiniteEnsemble ens = InfiniteEnsemble.fit(arch, trainX, trainY, PredictOptions.defaults().withDiagReg(1e-4));
 * Matrix mean = ens.predict(testX, KernelKind.NTK, Double.POSITIVE_INFINITY).mean();
 * }</pre>
 *
 * <p>Fitting computes the NNGP and the NTK of the training set once (one pass gives both); each
 * prediction computes the test-train kernel of its kind (and the NNGP's when the covariance is asked
 * for), and the test-test NNGP for the covariance. The two kernels' Cholesky factors and eigendecompositions are made on first use and cached,
 * so predictions at many times or on many test sets share them. Instances are immutable and
 * thread-safe.
 *
 * <p>Covariances (§7.5), with K the NNGP and Θ the NTK, V and λ from the regularized training kernel
 * of the chosen kind, g(λ) = (1 − e^{−λ⁺τ})/λ⁺:
 *
 * \[ \text{NNGP:}\quad \Sigma^*_t = K_{tt} - K_{td}\,V \operatorname{diag}\Big(\frac{1 - e^{-2\lambda^+\tau}}{\lambda^+}\Big) V^\top K_{dt}
 *    \qquad (t = \infty:\ K_{tt} - K_{td}\,(K_{dd} + \mathrm{reg})^{-1} K_{dt}) \]
 * \[ \text{NTK:}\quad A_t = V \operatorname{diag}(g)\, V^\top \Theta_{dt}, \quad
 *    B_t = \Theta_{td}\, V \operatorname{diag}(g)\, V^\top K_{dt}, \quad
 *    \Sigma^*_t = K_{tt} + A_t^\top K_{dd} A_t - B_t - B_t^\top \]
 */
public final class InfiniteEnsemble {
  private final Layer architecture;
  private final Matrix trainX;
  private final Matrix trainY;
  private final PredictOptions options;
  private final KernelPredictor nngp;
  private final KernelPredictor ntk;

  private final Provenance provenance;

  private InfiniteEnsemble(
      Layer architecture, Matrix trainX, Matrix trainY, PredictOptions options, Matrix nngpTrain, Matrix ntkTrain,
      Provenance provenance) {
    this.architecture = architecture;
    this.trainX = trainX;
    this.trainY = trainY;
    this.options = options;
    this.nngp = nngpTrain == null ? null : KernelPredictor.ofComputed(nngpTrain, trainY, options);
    this.ntk = ntkTrain == null ? null : KernelPredictor.ofComputed(ntkTrain, trainY, options);
    this.provenance = provenance;
  }

  /**
   * Fits the ensemble: computes the NNGP and the NTK of the training inputs.
   *
   * @param architecture the network
   * @param trainX training inputs X, n×d, finite
   * @param trainY training targets Y, n×c, finite
   * @param options learning rate, diagonal regularization and kernel compute options
   * @return the fitted ensemble
   * @throws IllegalArgumentException if trainX and trainY have different numbers of rows or a value
   *     is not finite
   */
  public static InfiniteEnsemble fit(Layer architecture, Matrix trainX, Matrix trainY, PredictOptions options) {
    return fit(architecture, trainX, trainY, options, EnumSet.of(KernelKind.NNGP, KernelKind.NTK));
  }

  /**
   * Fits the ensemble with the training kernels of some kinds only: with {@code EnumSet.of(NTK)} it
   * holds one n×n kernel instead of two (3.2 GB less at n = 20,000), for NTK mean predictions. NNGP
   * predictions, NTK covariances (which need the NNGP of the training set) and
   * {@link #maxLearningRate} (which needs the NTK) then throw {@link IllegalStateException}.
   *
   * @param architecture the network
   * @param trainX training inputs X, n×d, finite
   * @param trainY training targets Y, n×c, finite
   * @param options learning rate, diagonal regularization and kernel compute options
   * @param kinds the training kernels to compute: NNGP, NTK or both
   * @return the fitted ensemble
   * @throws IllegalArgumentException if {@code kinds} is empty, trainX and trainY have different numbers
   *     of rows, or a value is not finite
   */
  public static InfiniteEnsemble fit(
      Layer architecture, Matrix trainX, Matrix trainY, PredictOptions options, Set<KernelKind> kinds) {
    return fit(architecture, trainX, trainY, options, kinds, ProgressListener.none());
  }

  /**
   * {@link #fit(Layer, Matrix, Matrix, PredictOptions, Set)} reporting the progress of the training
   * kernels' computation, the long part of a fit (entries done of n(n+1)/2, as {@link
   * Kernels#compute(Layer, Matrix, Matrix, Set, io.github.ntk4j.ComputeOptions, ProgressListener)}
   * reports them); interrupting the calling thread cancels it.
   *
   * @param architecture the network
   * @param trainX training inputs X, n×d, finite
   * @param trainY training targets Y, n×c, finite
   * @param options learning rate, diagonal regularization and kernel compute options
   * @param kinds the training kernels to compute: NNGP, NTK or both
   * @param progress receives the number of kernel entries computed so far
   * @return the fitted ensemble
   */
  public static InfiniteEnsemble fit(
      Layer architecture, Matrix trainX, Matrix trainY, PredictOptions options, Set<KernelKind> kinds,
      ProgressListener progress) {
    Objects.requireNonNull(progress, "progress");
    Objects.requireNonNull(kinds, "kinds");
    if (kinds.isEmpty()) {
      throw new IllegalArgumentException("kinds: ask for at least one of NNGP and NTK");
    }
    Objects.requireNonNull(architecture, "architecture");
    Objects.requireNonNull(trainX, "trainX");
    Objects.requireNonNull(trainY, "trainY");
    Objects.requireNonNull(options, "options");
    if (trainX.rows() != trainY.rows()) {
      throw new IllegalArgumentException(
          "trainX has " + trainX.rows() + " rows but trainY has " + trainY.rows()
              + " rows; there must be one target row per training input");
    }
    KernelPredictor.requireFinite(trainY, "trainY");
    KernelResult k = Kernels.compute(architecture, trainX, null, EnumSet.copyOf(kinds), options.compute(), progress);
    return new InfiniteEnsemble(architecture, trainX, trainY, options,
        kinds.contains(KernelKind.NNGP) ? k.nngp() : null, kinds.contains(KernelKind.NTK) ? k.ntk() : null, k.provenance());
  }

  /**
   * The architecture.
   *
   * @return the architecture
   */
  public Layer architecture() {
    return architecture;
  }

  /**
   * The options.
   *
   * @return the options
   */
  public PredictOptions options() {
    return options;
  }

  /**
   * This ensemble with other learning rate or regularization, reusing the training kernels (the
   * kernel compute options of {@code newOptions} apply to later test kernels).
   *
   * @param newOptions the options
   * @return the ensemble with these options
   */
  public InfiniteEnsemble withOptions(PredictOptions newOptions) {
    Objects.requireNonNull(newOptions, "newOptions");
    return new InfiniteEnsemble(architecture, trainX, trainY, newOptions,
        nngp == null ? null : trainKernel(KernelKind.NNGP), ntk == null ? null : trainKernel(KernelKind.NTK), provenance);
  }

  /**
   * Where the training kernels came from (backend, precision, versions).
   *
   * @return the provenance of the training kernels
   */
  public Provenance provenance() {
    return provenance;
  }

  /**
   * The kernel-level predictor of one kind, for callers who bring their own test kernels.
   *
   * @param kind NNGP or NTK
   * @return the predictor built on that kernel of the training set
   */
  public KernelPredictor predictor(KernelKind kind) {
    KernelPredictor p = Objects.requireNonNull(kind, "kind") == KernelKind.NTK ? ntk : nngp;
    if (p == null) {
      KernelKind other = kind == KernelKind.NTK ? KernelKind.NNGP : KernelKind.NTK;
      throw new IllegalStateException("this ensemble was fitted with the " + other + " of the training set only, and this needs its "
          + kind + " (NTK covariances need the NNGP too); fit it with EnumSet.of(NNGP, NTK)");
    }
    return p;
  }

  /**
   * The training kernel k(X, X) of one kind (not regularized).
   *
   * @param kind NNGP or NTK
   * @return K_dd or Θ_dd, n×n
   */
  public Matrix trainKernel(KernelKind kind) {
    return MatrixBridge.wrap(trainX.rows(), trainX.rows(), predictor(kind).trainKernelData());
  }

  /**
   * The mean prediction on test inputs at time t.
   *
   * @param testX test inputs X*, m×d
   * @param kind NTK (gradient descent) or NNGP (Bayesian inference at t = ∞, readout training at
   *     finite t)
   * @param time t ≥ 0 in steps, or {@link Double#POSITIVE_INFINITY}
   * @return the prediction (mean only)
   */
  public Prediction predict(Matrix testX, KernelKind kind, double time) {
    return predict(testX, kind, time, false);
  }

  /**
   * The prediction on test inputs at time t, with the ensemble covariance when asked for.
   *
   * @param testX test inputs X*, m×d
   * @param kind NTK or NNGP
   * @param time t ≥ 0 in steps, or {@link Double#POSITIVE_INFINITY}
   * @param covariance whether to compute Σ*_t (needs k(X*, X*) as well: m² more kernel entries)
   * @return the prediction
   */
  public Prediction predict(Matrix testX, KernelKind kind, double time, boolean covariance) {
    Objects.requireNonNull(kind, "kind");
    KernelPredictor.checkTimes(time);
    KernelPredictor p = predictor(kind);
    if (covariance) {
      predictor(KernelKind.NNGP); // fails before any kernel is computed when the NNGP was not fitted
    }
    // The mean needs k(X*, X) of its kind; the covariance also the NNGP's.
    KernelResult cross = crossKernels(testX, covariance ? EnumSet.of(kind, KernelKind.NNGP) : EnumSet.of(kind));
    Matrix mean = p.mean(cross.get(kind), time);
    if (!covariance) {
      return new Prediction(kind, time, mean, null);
    }
    Matrix testNngp = Kernels.compute(architecture, testX, null, EnumSet.of(KernelKind.NNGP), options.compute()).nngp();
    return new Prediction(kind, time, mean, covariance(kind, cross, testNngp, time));
  }

  /**
   * Mean predictions at several times, sharing one decomposition and one test kernel.
   *
   * @param testX test inputs X*, m×d
   * @param kind NTK or NNGP
   * @param times each t ≥ 0 in steps, or {@link Double#POSITIVE_INFINITY}
   * @return μ_t(X*) for each time, in order
   */
  public List<Matrix> meanTrajectory(Matrix testX, KernelKind kind, double... times) {
    Objects.requireNonNull(kind, "kind");
    KernelPredictor.checkTimes(times);
    KernelPredictor p = predictor(kind);
    KernelResult cross = crossKernels(testX, EnumSet.of(kind));
    return p.means(cross.get(kind), times);
  }

  /**
   * The mean prediction on the training inputs themselves (the training kernel as the test kernel;
   * with diagReg = 0 it equals Y at t = ∞, up to rounding).
   *
   * @param kind NTK or NNGP
   * @param time t ≥ 0 in steps, or {@link Double#POSITIVE_INFINITY}
   * @return μ_t(X), n×c
   */
  public Matrix trainMean(KernelKind kind, double time) {
    return predictor(kind).mean(trainKernel(kind), time);
  }

  /**
   * Training and test mean squared errors of the mean prediction over a list of times (one
   * decomposition for all of them).
   *
   * @param kind NTK or NNGP
   * @param testX test inputs X*, m×d
   * @param testY test targets, m×c
   * @param times each t ≥ 0 in steps, or {@link Double#POSITIVE_INFINITY}
   * @return the loss curve
   */
  public LossCurve lossCurve(KernelKind kind, Matrix testX, Matrix testY, double... times) {
    Objects.requireNonNull(testY, "testY");
    if (testY.rows() != testX.rows() || testY.cols() != trainY.cols()) {
      throw new IllegalArgumentException(
          "testY must be " + testX.rows() + "x" + trainY.cols() + " (one row per test input, as many columns as"
              + " trainY), got " + testY.rows() + "x" + testY.cols());
    }
    KernelPredictor.requireFinite(testY, "testY");
    List<Matrix> train = predictor(kind).means(trainKernel(kind), times);
    List<Matrix> test = meanTrajectory(testX, kind, times);
    double[] trainLoss = new double[times.length];
    double[] testLoss = new double[times.length];
    for (int i = 0; i < times.length; i++) {
      trainLoss[i] = meanSquaredError(train.get(i), trainY);
      testLoss[i] = meanSquaredError(test.get(i), testY);
    }
    return new LossCurve(times, trainLoss, testLoss);
  }

  /**
   * The largest learning rate for which gradient descent on this training set is stable (momentum
   * 0, N = n·c): η_max = 2·N / (λ_max(Θ_dd) + 10⁻¹²) (kernels.md §7.6).
   *
   * @return η_max
   */
  public double maxLearningRate() {
    return predictor(KernelKind.NTK).maxLearningRate();
  }

  private KernelResult crossKernels(Matrix testX, EnumSet<KernelKind> kinds) {
    Objects.requireNonNull(testX, "testX");
    if (testX.cols() != trainX.cols()) {
      throw new IllegalArgumentException(
          "testX has " + testX.cols() + " columns but trainX has " + trainX.cols() + "; both need the same number");
    }
    return Kernels.compute(architecture, testX, trainX, kinds, options.compute());
  }

  private Matrix covariance(KernelKind kind, KernelResult cross, Matrix testNngp, double time) {
    int n = trainX.rows();
    int m = cross.nngp().rows();
    double[] ktd = MatrixBridge.data(cross.nngp()); // K_td, m×n
    double[] kdt = Products.transpose(ktd, m, n); // K_dt, n×m
    double[] sigma = MatrixBridge.data(testNngp).clone(); // K_tt
    if (kind == KernelKind.NNGP) {
      double[] z = predictor(KernelKind.NNGP).filter(kdt, m, time, true);
      double[] b = LinearAlgebra.multiply(ktd, m, n, z, m);
      for (int i = 0; i < sigma.length; i++) {
        sigma[i] -= b[i];
      }
    } else {
      double[] thetaTd = MatrixBridge.data(cross.ntk());
      double[] a = ntk.filter(Products.transpose(thetaTd, m, n), m, time, false); // A_t, n×m
      double[] ka = LinearAlgebra.multiply(predictor(KernelKind.NNGP).trainKernelData(), n, n, a, m); // K_dd·A
      double[] aka = LinearAlgebra.multiplyTransposeA(a, n, m, ka, m); // Aᵀ·K_dd·A
      double[] b = LinearAlgebra.multiply(thetaTd, m, n, ntk.filter(kdt, m, time, false), m); // B_t
      for (int i = 0; i < m; i++) {
        for (int j = 0; j < m; j++) {
          sigma[i * m + j] += aka[i * m + j] - b[i * m + j] - b[j * m + i];
        }
      }
    }
    for (int i = 0; i < m; i++) { // symmetric by construction; remove rounding asymmetry
      for (int j = i + 1; j < m; j++) {
        double avg = 0.5 * (sigma[i * m + j] + sigma[j * m + i]);
        sigma[i * m + j] = avg;
        sigma[j * m + i] = avg;
      }
    }
    return MatrixBridge.wrap(m, m, sigma);
  }

  static double meanSquaredError(Matrix prediction, Matrix target) {
    double[] p = MatrixBridge.data(prediction);
    double[] y = MatrixBridge.data(target);
    double s = 0;
    for (int i = 0; i < p.length; i++) {
      double e = p[i] - y[i];
      s += e * e;
    }
    return s / p.length;
  }
}
