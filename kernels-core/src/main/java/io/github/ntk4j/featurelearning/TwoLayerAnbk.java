package io.github.ntk4j.featurelearning;

import io.github.ntk4j.Matrix;
import io.github.ntk4j.NumericalException;
import io.github.ntk4j.ProgressListener;
import io.github.ntk4j.internal.LinearAlgebra;
import io.github.ntk4j.internal.Products;
import io.github.ntk4j.layers.Activation;
import java.util.Objects;
import java.util.SplittableRandom;
import java.util.concurrent.CancellationException;

/**
 * The adaptive Bayesian kernel (aNBK) of a network with one nonlinear hidden layer, solved by
 * importance sampling with continuation in γ (Lauditi, Bordelon &amp; Pehlevan, arXiv 2502.07998;
 * shared/math/feature-learning.md §2.2, §2.4–2.5).
 *
 * <p>The network is \(f(x) = \frac{1}{\gamma N}\sum_i z_i\,\varphi(w_i\cdot x/\sqrt D)\) with N(0, 1)
 * weights and the Bayesian posterior of likelihood \(\exp(-\tfrac{\beta}{2}N\gamma^2\sum_\mu(f(x_\mu) -
 * y_\mu)^2)\). As N → ∞ at fixed γ its feature kernel Φ concentrates on the saddle point
 * \[ \Phi = \langle \varphi(h)\varphi(h)^\top\rangle, \qquad
 *    p(h) \propto N(h; 0, C)\,\exp\bigl(\tfrac{\gamma^2}{2}(a^\top\varphi(h))^2\bigr), \qquad
 *    a = (\Phi + I/\beta)^{-1} y, \]
 * with C = X·Xᵀ/D, and the predictor is \(f(x^*) = \Phi(x^*, X)(\Phi + I/\beta)^{-1}y\). At γ → 0, Φ is
 * the NNGP E[φ(h)φ(h)ᵀ], h ~ N(0, C).
 *
 * <p>Solver: S vectors h_s ~ N(0, C_joint) over the training and test points are drawn once (h = R·z
 * with R·Rᵀ = C_joint from the eigendecomposition, negative eigenvalues clipped; common random numbers
 * for the whole solve). With log-weights \(\omega_s = \tfrac{\gamma^2}{2}(a^\top\varphi(h_s))^2\) on the
 * training coordinates and normalized weights w_s, \(\Phi_{\rm new} = \sum_s w_s\varphi_s\varphi_s^\top\)
 * and \(\Phi \leftarrow (1-\omega)\Phi + \omega\Phi_{\rm new}\) until converged, at γ·k/K for k = 1..K,
 * each step warm-started from the previous (starting at the full γ fails: the first tilt is far too
 * strong). The effective sample size ESS = 1/Σw_s² of every iteration is tracked, and the solver
 * refuses with a {@link NumericalException} when it falls below the floor: the tilt has then
 * collapsed onto a few samples and the kernel would be noise. The test rows Φ(x*, X) use the same
 * weights on the test coordinates of the same samples.
 *
 * <p>Accuracy is Monte Carlo: about S^{−1/2} relative at small γ, worse as the ESS falls (for linear φ,
 * about 1 % at γ = 0.3 and 12 % at γ = 1 with S = 2·10⁵). Prefer bounded activations (erf) and
 * moderate γ; ReLU collapses near γ = 1. Deeper networks are not offered: no solver for their saddle
 * point is known to converge (the notes, §2.6).
 *
 * <p>Cost: O(N³) for the square root and O(S·N²) for the samples (N = P + P*), then O(S·P²) per
 * iteration; memory about 2·S·N doubles. The result is deterministic for a seed and
 * does not depend on the thread count. Progress is reported per continuation step; interrupting the
 * calling thread cancels with a {@link CancellationException}. Results are immutable.
 */
public final class TwoLayerAnbk {
  private final int p;
  private final int t;
  private final double[] phi; // P×P
  private final double[] rows; // P*×P
  private final double[] y;
  private final double[] a; // (Φ + I/β)⁻¹y at the solution
  private final double[] minEss;
  private final int iterations;

  private TwoLayerAnbk(int p, int t, double[] phi, double[] rows, double[] y, double[] a, double[] minEss, int iterations) {
    this.p = p;
    this.t = t;
    this.phi = phi;
    this.rows = rows;
    this.y = y;
    this.a = a;
    this.minEss = minEss;
    this.iterations = iterations;
  }

  /**
   * Solves the saddle point.
   *
   * @param x training inputs, P×D, finite
   * @param y targets, P×1, finite
   * @param xTest test inputs, P*×D, finite (may have 0 rows)
   * @param activation φ, e.g. {@link io.github.ntk4j.layers.Layers#erf()}
   * @param gamma γ ≥ 0 (0: the NNGP)
   * @param beta β &gt; 0, {@code Double.POSITIVE_INFINITY} allowed
   * @param options the sampling settings
   * @param progress receives (continuation steps done, K)
   * @return the solution
   * @throws NumericalException when the effective sample size collapses below the floor, or an
   *     iteration does not converge within maxIterations
   */
  public static TwoLayerAnbk fit(
      Matrix x, Matrix y, Matrix xTest, Activation activation, double gamma, double beta, AnbkSamplingOptions options,
      ProgressListener progress) {
    Inputs.check(x, y, xTest);
    Objects.requireNonNull(activation, "activation");
    Objects.requireNonNull(options, "options");
    Objects.requireNonNull(progress, "progress");
    DeepLinearAnbk.checkHyperparameters(gamma, beta, 1);
    int p = x.rows();
    int t = xTest.rows();
    int n = p + t;
    int d = x.cols();
    int s = options.samples();
    if ((long) s * n > Integer.MAX_VALUE - 8) {
      throw new IllegalArgumentException("samples x points = " + (long) s * n + " is too large for one array; use fewer samples or points");
    }
    double[] all = Inputs.joint(x, xTest);
    double[] feats = features(all, n, d, s, activation, options.seed());
    double[] target = y.toRowMajorArray();
    return solve(feats, s, n, p, target, gamma, beta, options, progress);
  }

  /**
   * φ(h_s) for S samples h_s ~ N(0, X·Xᵀ/D), point-major: N×S row-major, so that row i holds point i's
   * S samples.
   */
  private static double[] features(double[] all, int n, int d, int s, Activation activation, long seed) {
    LinearAlgebra.Eigen eig = Inputs.clippedEigen(Inputs.gram(all, n, all, n, d), n, "the input Gram matrix");
    // R = V·diag(√λ) (N×N), so that R·Rᵀ = C; the samples are the columns of H = R·Z.
    double[] r = new double[n * n];
    for (int k = 0; k < n; k++) {
      double root = Math.sqrt(eig.values()[k]);
      for (int i = 0; i < n; i++) {
        r[i * n + k] = eig.vectors()[i * n + k] * root;
      }
    }
    SplittableRandom rng = new SplittableRandom(seed);
    double[] z = new double[n * s];
    for (int i = 0; i < z.length; i++) {
      z[i] = rng.nextGaussian();
    }
    double[] h = Products.times(r, n, n, z, s);
    for (int i = 0; i < h.length; i++) {
      h[i] = activation.apply(h[i]);
    }
    return h;
  }

  private static TwoLayerAnbk solve(
      double[] feats, int s, int n, int p, double[] y, double gamma, double beta, AnbkSamplingOptions o,
      ProgressListener progress) {
    int t = n - p;
    double[] w = new double[s];
    java.util.Arrays.fill(w, 1.0 / s);
    double[] trainT = Products.transpose(java.util.Arrays.copyOf(feats, p * s), p, s);
    double[] phi = weightedMoment(feats, s, trainT, p, w, 0, p);
    int k = o.continuationSteps();
    double[] minEss = new double[k];
    int iterations = 0;
    double[] a = null;
    for (int step = 1; step <= k; step++) {
      double g = gamma * step / k;
      minEss[step - 1] = s;
      boolean converged = false;
      for (int it = 0; it < o.maxIterations(); it++) {
        if (Thread.currentThread().isInterrupted()) {
          throw new CancellationException("aNBK solve interrupted at γ = " + g);
        }
        iterations++;
        a = solveA(phi, p, y, beta);
        double ess = weights(feats, s, n, p, a, g, w);
        minEss[step - 1] = Math.min(minEss[step - 1], ess);
        if (ess < o.minEffectiveSampleSize()) {
          throw new NumericalException(String.format(
              "the effective sample size collapsed to %.0f of %d samples at γ = %.4g (floor %.0f): the tilt rests on too"
                  + " few samples; use a smaller gamma, more samples or more continuation steps",
              ess, s, g, o.minEffectiveSampleSize()));
        }
        double[] next = weightedMoment(feats, s, trainT, p, w, 0, p);
        double diff = 0;
        double scale = 0;
        for (int i = 0; i < phi.length; i++) {
          diff = Math.max(diff, Math.abs(next[i] - phi[i]));
          scale = Math.max(scale, Math.abs(phi[i]));
        }
        for (int i = 0; i < phi.length; i++) {
          phi[i] = (1 - o.damping()) * phi[i] + o.damping() * next[i];
        }
        symmetrize(phi, p);
        if (diff <= o.tolerance() * scale) {
          converged = true;
          break;
        }
      }
      if (!converged) {
        throw new NumericalException("the aNBK iteration did not converge in " + o.maxIterations() + " iterations at γ = " + g
            + "; use more continuationSteps, a smaller damping or a smaller gamma");
      }
      progress.progress(step, k);
    }
    // Final weights at the solution, then the test rows with the same weights.
    a = solveA(phi, p, y, beta);
    double ess = weights(feats, s, n, p, a, gamma, w);
    minEss[k - 1] = Math.min(minEss[k - 1], ess);
    double[] rowsFull = t > 0 ? weightedMoment(feats, s, trainT, p, w, p, t) : new double[0];
    return new TwoLayerAnbk(p, t, phi, rowsFull, y, a, minEss, iterations);
  }

  /** a = (Φ + I/β)⁻¹y. */
  private static double[] solveA(double[] phi, int p, double[] y, double beta) {
    double[] m = phi.clone();
    if (!Double.isInfinite(beta)) {
      for (int i = 0; i < p; i++) {
        m[i * p + i] += 1 / beta;
      }
    }
    double[] l = LinearAlgebra.cholesky(m, p, new int[1]);
    if (l == null) {
      throw new NumericalException("Φ + I/β is not positive definite on the training points (duplicate inputs at β = ∞, or"
          + " too few samples); use a finite beta or more samples");
    }
    double[] a = y.clone();
    LinearAlgebra.choleskySolve(l, p, a, 1);
    return a;
  }

  /** Normalized tilt weights w_s ∝ exp(½γ²(a·φ_s)²) in place; returns the ESS 1/Σw². */
  private static double weights(double[] feats, int s, int n, int p, double[] a, double g, double[] w) {
    java.util.Arrays.fill(w, 0);
    for (int j = 0; j < p; j++) {
      double aj = a[j];
      int row = j * s;
      for (int i = 0; i < s; i++) {
        w[i] += aj * feats[row + i];
      }
    }
    double max = Double.NEGATIVE_INFINITY;
    double half = 0.5 * g * g;
    for (int i = 0; i < s; i++) {
      w[i] = half * w[i] * w[i];
      max = Math.max(max, w[i]);
    }
    double sum = 0;
    for (int i = 0; i < s; i++) {
      w[i] = Math.exp(w[i] - max);
      sum += w[i];
    }
    double sq = 0;
    for (int i = 0; i < s; i++) {
      w[i] /= sum;
      sq += w[i] * w[i];
    }
    return 1 / sq;
  }

  /**
   * Σ_s w_s φ_s[from .. from+rows) φ_s[0 .. P)ᵀ, rows×P: the weighted rows times the training
   * samples (trainT, S×P), by the fixed-order product of {@link Products}.
   */
  private static double[] weightedMoment(double[] feats, int s, double[] trainT, int p, double[] w, int from, int rows) {
    double[] out = new double[rows * p];
    int block = 16;
    int blocks = (rows + block - 1) / block;
    // Blocks of rows in parallel; every entry is computed by the same operations whatever the threads.
    java.util.stream.IntStream.range(0, blocks).parallel().forEach(b -> {
      int r0 = b * block;
      int nr = Math.min(rows, r0 + block) - r0;
      double[] left = new double[nr * s];
      for (int j = 0; j < nr; j++) {
        int src = (from + r0 + j) * s;
        int dst = j * s;
        for (int i = 0; i < s; i++) {
          left[dst + i] = w[i] * feats[src + i];
        }
      }
      double[] part = Products.times(left, nr, s, trainT, p);
      System.arraycopy(part, 0, out, r0 * p, nr * p);
    });
    return out;
  }

  private static void symmetrize(double[] m, int p) {
    for (int i = 0; i < p; i++) {
      for (int j = 0; j < i; j++) {
        double v = 0.5 * (m[i * p + j] + m[j * p + i]);
        m[i * p + j] = v;
        m[j * p + i] = v;
      }
    }
  }

  /**
   * The adapted feature kernel Φ on the training points.
   *
   * @return P×P
   */
  public Matrix featureKernel() {
    return Matrix.ofRowMajor(p, p, phi.clone());
  }

  /**
   * The test rows Φ(x*, X) of the adapted kernel.
   *
   * @return P*×P
   */
  public Matrix featureKernelRows() {
    return Matrix.ofRowMajor(t, p, rows.clone());
  }

  /**
   * The predictor on the test points, Φ(x*, X)(Φ + I/β)⁻¹y.
   *
   * @return P*×1
   */
  public Matrix predictions() {
    double[] out = new double[t];
    for (int i = 0; i < t; i++) {
      double v = 0;
      for (int j = 0; j < p; j++) {
        v += rows[i * p + j] * a[j];
      }
      out[i] = v;
    }
    return Matrix.ofRowMajor(t, 1, out);
  }

  /**
   * The kernel–target alignment yᵀΦy / (‖Φ‖_F·yᵀy), which feature learning raises.
   *
   * @return the alignment
   */
  public double alignment() {
    double num = 0;
    double fro = 0;
    double yy = 0;
    for (int i = 0; i < p; i++) {
      yy += y[i] * y[i];
      for (int j = 0; j < p; j++) {
        num += y[i] * phi[i * p + j] * y[j];
        fro += phi[i * p + j] * phi[i * p + j];
      }
    }
    return num / (Math.sqrt(fro) * yy);
  }

  /**
   * The smallest effective sample size of each continuation step (the last includes the final
   * weights).
   *
   * @return K values
   */
  public double[] effectiveSampleSizes() {
    return minEss.clone();
  }

  /**
   * The number of iterations over all continuation steps.
   *
   * @return iterations
   */
  public int iterations() {
    return iterations;
  }
}
