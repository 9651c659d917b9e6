package io.github.ntk4j.predict;

import io.github.ntk4j.Matrix;
import io.github.ntk4j.internal.Lazy;
import io.github.ntk4j.internal.LinearAlgebra;
import io.github.ntk4j.internal.MatrixBridge;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Predictions of kernel gradient flow on mean squared error from precomputed kernel matrices
 * (shared/math/kernels.md §7; neural-tangents' {@code gradient_descent_mse}, arXiv 1912.02803;
 * Lee et al., arXiv 1902.06720, eq. 9–10).
 *
 * <p>With the training kernel K_dd (n×n), targets Y (n×c), τ = η·t/N (N = n·c) and the regularized
 * kernel K_dd + reg = V·diag(λ)·Vᵀ, λ⁺ = max(λ, 0):
 *
 * \[ \mu_\infty(X_*) = K_{td}\,(K_{dd} + \mathrm{reg})^{-1}\,Y \quad\text{(Cholesky)} \]
 * \[ \mu_t(X_*) = K_{td}\,V\,\operatorname{diag}\big(g(\lambda)\big)\,V^\top Y, \qquad
 *    g(\lambda) = \frac{1 - e^{-\lambda^+\tau}}{\lambda^+} \quad (g = \tau \text{ when } \lambda^+ = 0) \]
 *
 * With the NTK Θ this is the mean output of infinitely wide networks trained by gradient descent
 * (the random initial function averaged out); with the NNGP K it is, at t = ∞, the Gaussian-process
 * posterior mean with noise variance reg, and at finite t the dynamics of training the readout only.
 *
 * <p>The Cholesky factor and the eigendecomposition are each computed once, on first use, and reused
 * for every later call and every time: a whole training curve costs one decomposition. Instances are
 * immutable in what they answer and safe to share between threads. Linear algebra is float64
 * throughout and uses symmetric solves only (no explicit inverse). A training kernel that is not
 * numerically positive definite makes t = ∞ fail with {@link NotPositiveDefiniteException}, never a
 * pseudo-inverse.
 *
 * <p><b>Finite times without the eigendecomposition.</b> From 256 training points on, a finite-time
 * filter g(K_dd + reg)·R with few right-hand sides (the means, c columns) is computed, when that is
 * cheaper, by a Chebyshev expansion of g on [a, b] ⊇ spectrum (b the largest absolute row sum plus
 * reg) applied by its three-term recurrence: one product K_dd·V per degree, and a degree of about
 * √(37·τ·b) that depends on the training time, not on n (see {@code ChebyshevFilter}). For a
 * kernel given to {@link #of} it is used only when the Cholesky factorization of K_dd + reg succeeds
 * (it certifies the spectrum's lower end; a later t = ∞ reuses the factor); the training kernels of
 * an {@link InfiniteEnsemble}, Gram matrices of features and so positive semidefinite up to
 * rounding, skip that certificate. Either way the recurrence checks that ‖T_k·R‖ stays within twice
 * ‖R‖, as it must when the spectrum lies in [a, b]. It runs when its estimated cost is below half of
 * the eigendecomposition's 9n³ flops; otherwise, and whenever the eigendecomposition is already at
 * hand, the eigenvector route runs. The two agree to about 1e-12 relative (tested on generated kernels);
 * at n = 20,000 and t = 100 the expansion took 13 s where {@code dsyevd} took a quarter of
 * an hour. {@code -Dntk4j.noChebyshev=true} forces the eigendecomposition.
 */
public final class KernelPredictor {
  private static final Logger LOG = LoggerFactory.getLogger(KernelPredictor.class);
  private final int n;
  private final int outputs;
  private final double[] trainKernel; // K_dd, n×n, symmetric; the caller's (immutable) data when exactly symmetric
  private final double[] targets; // Y, n×c
  private final double regularization;
  private final double tauPerStep; // η/N
  private final PredictOptions options;
  private final Lazy<double[]> cholesky = Lazy.of(this::factorCholesky);
  private final Lazy<LinearAlgebra.Eigen> eigen = Lazy.of(this::factorEigen);
  /** Whether K_dd + reg has a Cholesky factor (then cached): what the Chebyshev route requires. */
  private final Lazy<Boolean> positiveDefinite = Lazy.of(this::certify);
  /** Gershgorin's upper bound on the spectrum of K_dd + reg. */
  private final Lazy<Double> spectrumTop = Lazy.of(this::upperBound);

  private final AtomicInteger chebyshevRuns = new AtomicInteger();

  /**
   * Whether K_dd was computed by this library from an architecture: a Gram matrix of features,
   * positive semidefinite up to rounding, whose spectrum the Chebyshev route then takes without the
   * Cholesky certificate (with the recurrence's norm check as a backstop).
   */
  private final boolean computed;

  /** Below this many training points the eigendecomposition is cheap, and it is always the route. */
  static final int CHEBYSHEV_MIN_POINTS = 256;

  private KernelPredictor(Matrix trainKernel, Matrix trainY, PredictOptions options, boolean computed) {
    this.options = options;
    this.computed = computed;
    this.n = trainKernel.rows();
    this.outputs = trainY.cols();
    this.trainKernel = symmetric(trainKernel, "trainKernel");
    this.targets = MatrixBridge.data(trainY);
    double trace = 0;
    for (int i = 0; i < n; i++) {
      trace += this.trainKernel[i * n + i];
    }
    this.regularization = options.absoluteDiagReg() ? options.diagReg() : options.diagReg() * trace / n;
    this.tauPerStep = options.learningRate() / ((double) n * outputs);
  }

  /**
   * Which library factorizes training kernels here: the system's native LAPACK through
   * {@code dev.ludovic.netlib} when it can be loaded (e.g. after {@code apt-get install
   * libopenblas0}), EJML in pure Java otherwise. Both give the same results to about 1e-13 relative;
   * native LAPACK is about 10 times faster for eigendecompositions of a few thousand points.
   * {@code -Dntk4j.noNativeLapack=true} forces EJML.
   *
   * @return a short description
   */
  public static String linearAlgebra() {
    return io.github.ntk4j.internal.LinearAlgebra.backend();
  }

  /**
   * A predictor for the training kernel K_dd and targets Y.
   *
   * @param trainKernel K_dd = k(X, X), n×n, symmetric (entries may differ from their transposes by
   *     at most 1e-10 of the largest entry; the two are then averaged), finite
   * @param trainY Y, n×c, finite
   * @param options learning rate and diagonal regularization ({@code compute} is not used here)
   * @return the predictor
   * @throws IllegalArgumentException if a shape does not match, a value is not finite, or K_dd is
   *     not symmetric
   */
  public static KernelPredictor of(Matrix trainKernel, Matrix trainY, PredictOptions options) {
    validate(trainKernel, trainY, options);
    return new KernelPredictor(trainKernel, trainY, options, false);
  }

  /**
   * {@link #of} for a training kernel computed by this library ({@link InfiniteEnsemble}): positive
   * semidefinite by construction, so the finite-time Chebyshev route needs no Cholesky certificate.
   */
  static KernelPredictor ofComputed(Matrix trainKernel, Matrix trainY, PredictOptions options) {
    validate(trainKernel, trainY, options);
    return new KernelPredictor(trainKernel, trainY, options, true);
  }

  private static void validate(Matrix trainKernel, Matrix trainY, PredictOptions options) {
    Objects.requireNonNull(trainKernel, "trainKernel");
    Objects.requireNonNull(trainY, "trainY");
    Objects.requireNonNull(options, "options");
    if (trainKernel.rows() != trainKernel.cols()) {
      throw new IllegalArgumentException(
          "trainKernel must be square (n x n), got " + trainKernel.rows() + "x" + trainKernel.cols());
    }
    if (trainY.rows() != trainKernel.rows()) {
      throw new IllegalArgumentException(
          "trainY has " + trainY.rows() + " rows but the training kernel is " + trainKernel.rows() + "x"
              + trainKernel.rows() + "; there must be one target row per training point");
    }
    requireFinite(trainKernel, "trainKernel");
    requireFinite(trainY, "trainY");
  }

  /**
   * The number n of training points.
   *
   * @return n
   */
  public int trainSize() {
    return n;
  }

  /**
   * The number c of output columns (columns of Y).
   *
   * @return c
   */
  public int outputs() {
    return outputs;
  }

  /**
   * The options this predictor was made with.
   *
   * @return the options
   */
  public PredictOptions options() {
    return options;
  }

  /**
   * The amount added to the diagonal of K_dd: r·trace(K_dd)/n, or r when the regularization is
   * absolute.
   *
   * @return the absolute regularization added to each diagonal entry
   */
  public double regularization() {
    return regularization;
  }

  /**
   * The mean prediction μ_t(X*) on test points.
   *
   * @param testTrainKernel K_td = k(X*, X), m×n
   * @param time t ≥ 0 in steps, or {@link Double#POSITIVE_INFINITY}
   * @return μ_t(X*), m×c
   * @throws NotPositiveDefiniteException at t = ∞ when K_dd + reg is numerically singular
   */
  public Matrix mean(Matrix testTrainKernel, double time) {
    return means(testTrainKernel, time).get(0);
  }

  /**
   * Mean predictions at several times with one decomposition: the cheap way to a training curve.
   *
   * @param testTrainKernel K_td = k(X*, X), m×n
   * @param times each t ≥ 0 in steps, or {@link Double#POSITIVE_INFINITY}
   * @return μ_t(X*) for each time, in the order given
   */
  public List<Matrix> means(Matrix testTrainKernel, double... times) {
    checkTestKernel(testTrainKernel, "testTrainKernel");
    checkTimes(times);
    double[] ktd = MatrixBridge.data(testTrainKernel);
    int m = testTrainKernel.rows();
    List<Matrix> out = new ArrayList<>(times.length);
    double[] projected = null; // Vᵀ·Y, shared by all finite times
    double[][] expanded = chebyshev(targets, outputs, times, false); // by Chebyshev, when that route runs
    for (int s = 0; s < times.length; s++) {
      double t = effective(times[s]);
      double[] coefficients;
      if (t == 0) {
        coefficients = new double[n * outputs];
      } else if (t == Double.POSITIVE_INFINITY) {
        coefficients = solve(targets.clone(), outputs);
      } else if (expanded != null) {
        coefficients = expanded[s];
      } else {
        LinearAlgebra.Eigen e = eigen();
        if (projected == null) {
          projected = LinearAlgebra.multiplyTransposeA(e.vectors(), n, n, targets, outputs);
        }
        coefficients = filterProjected(e, projected, outputs, t, false);
      }
      out.add(MatrixBridge.wrap(m, outputs, LinearAlgebra.multiply(ktd, m, n, coefficients, outputs)));
    }
    return out;
  }

  /**
   * The prediction of one given network, whose outputs at initialization are known (kernels.md §7.4):
   *
   * <pre>
   *   f_t(X*) = f₀(X*) − K_td·V·diag(g(λ))·Vᵀ·(f₀(X) − Y)
   *   f_∞(X*) = f₀(X*) + K_td·(K_dd + reg)⁻¹·(Y − f₀(X))
   * </pre>
   *
   * In the infinite-width limit a network trained by gradient flow follows this exactly (Lee et al.,
   * arXiv 1902.06720). Pass the training kernel as {@code testTrainKernel} (and f₀(X) twice) for the
   * training outputs.
   *
   * @param testTrainKernel K_td, m×n
   * @param initialTrain f₀(X), n×c
   * @param initialTest f₀(X*), m×c
   * @param time t ≥ 0 in steps, or {@link Double#POSITIVE_INFINITY}
   * @return f_t(X*), m×c
   */
  public Matrix meanFrom(Matrix testTrainKernel, Matrix initialTrain, Matrix initialTest, double time) {
    checkTestKernel(testTrainKernel, "testTrainKernel");
    checkTimes(new double[] {time});
    int m = testTrainKernel.rows();
    checkShape(initialTrain, n, outputs, "initialTrain");
    checkShape(initialTest, m, outputs, "initialTest");
    double[] residual = MatrixBridge.data(initialTrain).clone();
    for (int i = 0; i < residual.length; i++) {
      residual[i] = targets[i] - residual[i]; // Y − f₀(X)
    }
    double[] coefficients = filter(residual, outputs, time, false);
    double[] out = LinearAlgebra.multiply(MatrixBridge.data(testTrainKernel), m, n, coefficients, outputs);
    double[] f0 = MatrixBridge.data(initialTest);
    for (int i = 0; i < out.length; i++) {
      out[i] += f0[i];
    }
    return MatrixBridge.wrap(m, outputs, out);
  }

  /**
   * The largest learning rate for which gradient descent with the NTK Θ_dd is stable (kernels.md
   * §7.6): η_max = 2·(1 + μ)·N / (λ_max(Θ_dd) + 10⁻¹²), N the number of target entries. For η &lt;
   * η_max the iteration f ← f − (η/N)·Θ_dd·(f − Y) is a contraction.
   *
   * <p>λ_max comes from all eigenvalues below 256 points, and from the Lanczos iteration (one
   * product with Θ_dd per step, usually a few dozen) from 256 on: an upper estimate within about
   * 1e-14 of it, so η_max is at most that much too small.
   *
   * @param ntkTrain Θ_dd, n×n, symmetric
   * @param targetEntries N = n·c ≥ 1
   * @param momentum μ ∈ [0, 1)
   * @return η_max
   */
  public static double maxLearningRate(Matrix ntkTrain, long targetEntries, double momentum) {
    Objects.requireNonNull(ntkTrain, "ntkTrain");
    if (ntkTrain.rows() != ntkTrain.cols()) {
      throw new IllegalArgumentException(
          "ntkTrain must be square (n x n), got " + ntkTrain.rows() + "x" + ntkTrain.cols());
    }
    if (targetEntries < 1) {
      throw new IllegalArgumentException("targetEntries must be >= 1, got " + targetEntries);
    }
    if (!(momentum >= 0 && momentum < 1)) {
      throw new IllegalArgumentException("momentum must be in [0, 1), got " + momentum);
    }
    requireFinite(ntkTrain, "ntkTrain");
    int size = ntkTrain.rows();
    double[] k = symmetric(ntkTrain, "ntkTrain");
    // From 256 points on, Lanczos (a few dozen products with Θ_dd) instead of all eigenvalues.
    Double top = size >= CHEBYSHEV_MIN_POINTS ? Lanczos.largestEigenvalue(k, size) : null;
    if (top == null) {
      LinearAlgebra.Eigen e = LinearAlgebra.eigen(k, size, false);
      if (e == null) {
        throw new io.github.ntk4j.NumericalException("the eigenvalue iteration for ntkTrain did not converge");
      }
      top = e.values()[size - 1];
    }
    return 2 * (1 + momentum) * targetEntries / (top + 1e-12);
  }

  /** The largest stable learning rate of this predictor's training kernel (μ = 0, N = n·c). */
  double maxLearningRate() {
    LinearAlgebra.Eigen e = eigen.peek();
    if (e != null) {
      return 2.0 * n * outputs / (e.values()[n - 1] - regularization + 1e-12);
    }
    return maxLearningRate(MatrixBridge.wrap(n, n, trainKernel), (long) n * outputs, 0);
  }

  // ---- package-private building blocks for the ensemble's covariances ----

  /** K_dd (not regularized), row-major; read only. */
  double[] trainKernelData() {
    return trainKernel;
  }

  /**
   * V·diag(h(λ))·Vᵀ·R for the n×cols matrix R (row-major; may be overwritten), with h = g when
   * {@code doubled} is false and h(λ) = (1 − e^{−2λ⁺τ})/λ⁺ when true; (K_dd + reg)⁻¹·R at t = ∞.
   */
  double[] filter(double[] rhs, int cols, double requestedTime, boolean doubled) {
    double time = effective(requestedTime);
    if (time == 0) {
      return new double[n * cols];
    }
    if (time == Double.POSITIVE_INFINITY) {
      return solve(rhs, cols);
    }
    double[][] expanded = chebyshev(rhs, cols, new double[] {time}, doubled);
    return expanded != null ? expanded[0] : eigenFilter(rhs, cols, time, doubled);
  }

  /** {@link #filter} at a finite positive time by the eigenvector route, whatever n (tests compare routes). */
  double[] eigenFilter(double[] rhs, int cols, double time, boolean doubled) {
    LinearAlgebra.Eigen e = eigen();
    double[] projected = LinearAlgebra.multiplyTransposeA(e.vectors(), n, n, rhs, cols);
    return filterProjected(e, projected, cols, time, doubled);
  }

  /** Whether the Cholesky factor has been computed (tests). */
  boolean hasCholesky() {
    return cholesky.peek() != null;
  }

  /** How many filters the Chebyshev route has computed for this predictor (tests). */
  int chebyshevRuns() {
    return chebyshevRuns.get();
  }

  /** t, or ∞ when τ = η·t/N overflows (e^{−λτ} is then 0 for every λ &gt; 0 anyway). */
  private double effective(double time) {
    return Double.isInfinite(tauPerStep * time) ? Double.POSITIVE_INFINITY : time;
  }

  /**
   * The filters g(K_dd + reg)·R (h with σ = 2 when {@code doubled}) for each of {@code times} that is
   * finite and positive (null entries for the others) by {@link ChebyshevFilter}, or null when the
   * eigendecomposition should run instead: fewer than {@link #CHEBYSHEV_MIN_POINTS} points, the
   * eigendecomposition already computed, a time too long for the expansion, an estimated cost above
   * half of the eigendecomposition's, or no Cholesky factor (K_dd + reg not positive definite: the
   * eigenvector route then clips or rejects the spectrum as it always did).
   */
  private double[][] chebyshev(double[] rhs, int cols, double[] times, boolean doubled) {
    if (n < CHEBYSHEV_MIN_POINTS || eigen.peek() != null || Boolean.getBoolean("ntk4j.noChebyshev")) {
      return null;
    }
    double b = spectrumTop.get();
    double a = ChebyshevFilter.lowerEnd(n, b);
    int sigma = doubled ? 2 : 1;
    double[][] sets = new double[times.length][];
    int degree = 0;
    for (int s = 0; s < times.length; s++) {
      double t = effective(times[s]);
      if (t == 0 || t == Double.POSITIVE_INFINITY) {
        sets[s] = new double[0];
        continue;
      }
      sets[s] = ChebyshevFilter.coefficients(a, b, tauPerStep * t, sigma);
      if (sets[s] == null) {
        return null;
      }
      degree = Math.max(degree, sets[s].length);
    }
    if (degree == 0) {
      return null;
    }
    double size = n;
    boolean certificate = !computed && cholesky.peek() == null;
    double cost = (certificate ? size * size * size / 3 : 0)
        + degree * 2 * size * size * Math.max(cols, 16); // a thin product is memory-bound: as 16 columns
    if (2 * cost > 9 * size * size * size) {
      return null;
    }
    long started = System.nanoTime();
    if (!computed && !positiveDefinite.get()) {
      return null;
    }
    long certified = System.nanoTime();
    double[][] out = ChebyshevFilter.apply(trainKernel, n, regularization, a, b, rhs, cols, sets);
    if (out == null) {
      LOG.debug("the Chebyshev recurrence grew: an eigenvalue below {}; taking the eigendecomposition", a);
      return null;
    }
    chebyshevRuns.incrementAndGet();
    if (LOG.isDebugEnabled()) {
      LOG.debug("finite-time filter of {} column(s) by a Chebyshev expansion of degree {} on [{}, {}]: {} ms"
              + " (Cholesky certificate {} ms)",
          cols, degree, a, b, (System.nanoTime() - certified) / 1_000_000, (certified - started) / 1_000_000);
    }
    for (int s = 0; s < times.length; s++) {
      if (sets[s].length == 0) {
        out[s] = null;
      }
    }
    return out;
  }

  private Double upperBound() {
    return ChebyshevFilter.upperBound(trainKernel, n, regularization);
  }

  /** Whether K_dd + reg has a Cholesky factor; computing it caches the factor for t = ∞. */
  private Boolean certify() {
    try {
      cholesky();
      return Boolean.TRUE;
    } catch (NotPositiveDefiniteException e) {
      return Boolean.FALSE;
    }
  }

  private double[] filterProjected(LinearAlgebra.Eigen e, double[] projected, int cols, double time, boolean doubled) {
    double tau = tauPerStep * time;
    double[] scaled = projected.clone();
    double[] lambda = e.values();
    for (int i = 0; i < n; i++) {
      double l = Math.max(lambda[i], 0);
      double x = (doubled ? 2 : 1) * l * tau;
      double h = l == 0 || x == 0 ? (doubled ? 2 : 1) * tau : -Math.expm1(-x) / l;
      for (int c = 0; c < cols; c++) {
        scaled[i * cols + c] *= h;
      }
    }
    return LinearAlgebra.multiply(e.vectors(), n, n, scaled, cols);
  }

  private double[] solve(double[] rhs, int cols) {
    LinearAlgebra.choleskySolve(cholesky(), n, rhs, cols);
    return rhs;
  }

  private double[] cholesky() {
    return cholesky.get();
  }

  private double[] factorCholesky() {
    int[] pivot = new int[1];
    // The factor overwrites its own copy of K_dd + reg: one n×n array besides K_dd, not two.
    double[] l = LinearAlgebra.choleskyInPlace(regularized(), n, pivot);
    if (l == null) {
      throw new NotPositiveDefiniteException(notPositiveDefinite(pivot[0]), pivot[0]);
    }
    return l;
  }

  /** A fresh copy of K_dd + reg·I, for a factorization to overwrite. */
  private double[] regularized() {
    double[] a = trainKernel.clone();
    for (int i = 0; i < n; i++) {
      a[i * n + i] += regularization;
    }
    return a;
  }

  private LinearAlgebra.Eigen eigen() {
    return eigen.get();
  }

  private LinearAlgebra.Eigen factorEigen() {
    LinearAlgebra.Eigen e = LinearAlgebra.eigenInPlace(regularized(), n, true);
    if (e == null) {
      throw new io.github.ntk4j.NumericalException(
          "the eigendecomposition of the " + n + "x" + n + " training kernel did not converge;"
              + " a positive diagReg usually helps");
    }
    double top = Math.max(Math.abs(e.values()[0]), Math.abs(e.values()[n - 1]));
    if (e.values()[0] < -1e-3 * top) {
      throw new NotPositiveDefiniteException(
          String.format(
              Locale.ROOT,
              "the training kernel is not positive semidefinite: its smallest eigenvalue is %.6g against"
                  + " a largest of %.6g; kernels of real architectures are positive semidefinite, so"
                  + " check that this matrix is one",
              e.values()[0], e.values()[n - 1]),
          -1);
    }
    return e;
  }


  private String notPositiveDefinite(int pivot) {
    return String.format(
        Locale.ROOT,
        "the %dx%d training kernel%s is not numerically positive definite (Cholesky pivot %s): training"
            + " points that are duplicates or nearly collinear make it singular. Add a diagonal"
            + " regularization, e.g. diagReg = 1e-6 (CLI: --diag-reg 1e-6), larger if this persists",
        n, n,
        regularization > 0 ? String.format(Locale.ROOT, " plus %.3g on the diagonal", regularization) : "",
        pivot < 0 ? "not positive" : pivot + " at rounding level or below");
  }

  private void checkTestKernel(Matrix k, String name) {
    Objects.requireNonNull(k, name);
    if (k.cols() != n) {
      throw new IllegalArgumentException(
          name + " must have one column per training point (" + n + "), got " + k.rows() + "x" + k.cols());
    }
    requireFinite(k, name);
  }

  private static void checkShape(Matrix m, int rows, int cols, String name) {
    Objects.requireNonNull(m, name);
    if (m.rows() != rows || m.cols() != cols) {
      throw new IllegalArgumentException(
          name + " must be " + rows + "x" + cols + ", got " + m.rows() + "x" + m.cols());
    }
    requireFinite(m, name);
  }

  static void checkTimes(double... times) {
    if (times.length == 0) {
      throw new IllegalArgumentException("at least one time is needed");
    }
    for (double t : times) {
      if (!(t >= 0)) {
        throw new IllegalArgumentException("time must be >= 0 (or infinity), got " + t);
      }
    }
  }

  static void requireFinite(Matrix m, String name) {
    MatrixBridge.requireFinite(m, name, "non-finite values are not allowed");
  }

  /**
   * The row-major data of a symmetric k: its own (immutable) array when k equals its transpose
   * exactly, as computed kernels do, so that no n×n copy is made; otherwise a copy with each pair
   * averaged, after checking that they differ by at most 1e-10 of the largest entry.
   */
  private static double[] symmetric(Matrix k, String name) {
    int size = k.rows();
    double[] data = MatrixBridge.data(k);
    if (exactlySymmetric(data, size)) {
      return data;
    }
    double[] a = data.clone();
    double tolerance = 1e-10 * k.maxAbs();
    for (int i = 0; i < size; i++) {
      for (int j = i + 1; j < size; j++) {
        double x = a[i * size + j];
        double y = a[j * size + i];
        if (Math.abs(x - y) > tolerance) {
          throw new IllegalArgumentException(
              name + " is not symmetric: entry (" + i + ", " + j + ") is " + x + " but (" + j + ", " + i + ") is " + y);
        }
        double avg = 0.5 * (x + y);
        a[i * size + j] = avg;
        a[j * size + i] = avg;
      }
    }
    return a;
  }

  private static boolean exactlySymmetric(double[] a, int size) {
    for (int i = 0; i < size; i++) {
      for (int j = i + 1; j < size; j++) {
        if (Double.doubleToRawLongBits(a[i * size + j]) != Double.doubleToRawLongBits(a[j * size + i])) {
          return false;
        }
      }
    }
    return true;
  }
}
