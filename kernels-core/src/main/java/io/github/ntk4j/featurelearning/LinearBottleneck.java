package io.github.ntk4j.featurelearning;

import io.github.ntk4j.Matrix;
import io.github.ntk4j.internal.MatrixBridge;
import java.util.Objects;
import java.util.SplittableRandom;

/**
 * Two infinitely wide linear networks joined by a bottleneck of finite width d (Littwin et al.,
 * arXiv 2107.00364, linear case; shared/math/feature-learning.md §3): F = f ∘ g with
 * g: ℝᴰ → ℝᵈ of depth L_g and f: ℝᵈ → ℝ of depth L_f, both in the NTK parameterization with σ_w = 1
 * and no biases, their hidden widths → ∞, trained by gradient descent.
 *
 * <p>Each piece stays linear, \(g_t(x) = G_t x\) and \(f_t(z) = a_t^\top z\), with the constant NTKs
 * \(\Theta_g = L_g\,(x\cdot x'/D)\,I_d\) and \(\Theta_f = L_f\,(z\cdot z'/d)\); the chain rule makes the
 * limit exactly a two-layer linear network of width d with layer-wise learning rates. With
 * \(\chi_\mu = \partial\ell/\partial F(x_\mu)\):
 * \[ a_{t+1} = a_t - \eta\frac{L_f}{d}\sum_\mu \chi_\mu G_t x_\mu, \qquad
 *    G_{t+1} = G_t - \eta\frac{L_g}{D}\, a_t \sum_\mu \chi_\mu x_\mu^\top, \qquad F_t(x) = a_t^\top G_t x, \]
 * from \(a_0 \sim N(0, I_d/d)\) and G₀ with iid N(0, 1/D) entries. The bottleneck learns features:
 * the end-to-end vector β = Gᵀa moves with the preconditioner \(\eta_G\|a\|^2 I + \eta_a G^\top G\)
 * (η_a = ηL_f/d, η_G = ηL_g/D), which grows along learned directions. As d → ∞ the centred output
 * F_t − F₀ follows kernel gradient descent with the NTK (L_f + L_g)·x·x'/D of the composed network
 * (the gap shrinks like d^{−1/2}); at finite d the prior over F₀ is not Gaussian (kurtosis 3(1 + 2/d)).
 * Gradient flow conserves \(a a^\top/\eta_a - G G^\top/\eta_G\).
 *
 * <p>Training minimizes (1/(2P))·Σ_μ (F(x_μ) − y_μ)² or, centred, (1/(2P))·Σ_μ (F(x_μ) − F₀(x_μ) − y_μ)².
 * Cost O(P·d·D) time per step and O(d·D) memory. Instances are immutable and thread-safe:
 * {@link #train} returns a new network.
 */
public final class LinearBottleneck {
  private final int inputs;
  private final int width;
  private final int depthG;
  private final int depthF;
  private final double[] a; // d
  private final double[] g; // d×D, row-major
  private final double[] a0;
  private final double[] g0;

  private LinearBottleneck(int inputs, int width, int depthG, int depthF, double[] a, double[] g, double[] a0, double[] g0) {
    this.inputs = inputs;
    this.width = width;
    this.depthG = depthG;
    this.depthF = depthF;
    this.a = a;
    this.g = g;
    this.a0 = a0;
    this.g0 = g0;
  }

  /**
   * A network at initialization.
   *
   * @param inputs D ≥ 1
   * @param bottleneck d ≥ 1
   * @param depthG L_g ≥ 1, the number of dense layers of g
   * @param depthF L_f ≥ 1, the number of dense layers of f
   * @param seed the seed of a₀ and G₀
   * @return the network
   */
  public static LinearBottleneck initialize(int inputs, int bottleneck, int depthG, int depthF, long seed) {
    if (inputs < 1 || bottleneck < 1) {
      throw new IllegalArgumentException("inputs and bottleneck must be >= 1, got " + inputs + " and " + bottleneck);
    }
    requireDepths(depthG, depthF);
    if ((long) inputs * bottleneck > Integer.MAX_VALUE - 8) {
      throw new IllegalArgumentException("inputs x bottleneck = " + (long) inputs * bottleneck + " is too large for one array");
    }
    SplittableRandom r = new SplittableRandom(seed);
    double[] a = new double[bottleneck];
    double sa = 1 / Math.sqrt(bottleneck);
    for (int i = 0; i < bottleneck; i++) {
      a[i] = sa * r.nextGaussian();
    }
    double[] g = new double[bottleneck * inputs];
    double sg = 1 / Math.sqrt(inputs);
    for (int i = 0; i < g.length; i++) {
      g[i] = sg * r.nextGaussian();
    }
    return new LinearBottleneck(inputs, bottleneck, depthG, depthF, a, g, a, g);
  }

  /**
   * A network that starts from given end-to-end maps instead of random ones: the readout a₀ of f and
   * the embedding G₀ of g. A finite-width network F = f ∘ g of the same depths, whose initial maps
   * these are, follows the limit started here with a gap that shrinks like n^{−1/2} in its hidden
   * width n (shared/math/feature-learning.md §3.1); this is how the limit is compared path by path
   * with a simulation.
   *
   * @param readout a₀, d×1, finite
   * @param embedding G₀, d×D, finite
   * @param depthG L_g ≥ 1, the number of dense layers of g
   * @param depthF L_f ≥ 1, the number of dense layers of f
   * @return the network at initialization
   */
  public static LinearBottleneck start(Matrix readout, Matrix embedding, int depthG, int depthF) {
    Objects.requireNonNull(readout, "readout");
    Objects.requireNonNull(embedding, "embedding");
    if (readout.cols() != 1) {
      throw new IllegalArgumentException("readout must be a column d×1, got " + readout.rows() + "x" + readout.cols());
    }
    if (embedding.rows() != readout.rows()) {
      throw new IllegalArgumentException("embedding must have d = " + readout.rows() + " rows like the readout, got "
          + embedding.rows() + "x" + embedding.cols());
    }
    requireDepths(depthG, depthF);
    MatrixBridge.requireFinite(readout, "readout", "the initial maps must be finite numbers");
    MatrixBridge.requireFinite(embedding, "embedding", "the initial maps must be finite numbers");
    double[] a = readout.toRowMajorArray();
    double[] g = embedding.toRowMajorArray();
    return new LinearBottleneck(embedding.cols(), readout.rows(), depthG, depthF, a, g, a, g);
  }

  /**
   * Gradient descent for a number of full-batch steps.
   *
   * @param x training inputs, P×D, finite
   * @param y targets, P×1, finite
   * @param learningRate η &gt; 0
   * @param steps number of steps ≥ 0
   * @param centred whether the loss is on F − F₀ (the outputs at initialization) instead of F
   * @return the trained network; this one is not modified
   */
  public LinearBottleneck train(Matrix x, Matrix y, double learningRate, int steps, boolean centred) {
    double[] xs = checkInputs(x, "x");
    Objects.requireNonNull(y, "y");
    if (y.rows() != x.rows() || y.cols() != 1) {
      throw new IllegalArgumentException("y must be " + x.rows() + "x1 (one target per input), got " + y.rows() + "x" + y.cols());
    }
    MatrixBridge.requireFinite(y, "y", "targets must be finite numbers");
    if (!(learningRate > 0) || Double.isInfinite(learningRate)) {
      throw new IllegalArgumentException("learningRate must be a finite number > 0, got " + learningRate);
    }
    if (steps < 0) {
      throw new IllegalArgumentException("steps must be >= 0, got " + steps);
    }
    int p = x.rows();
    double[] target = y.toRowMajorArray();
    if (centred) {
      double[] f0 = outputs(a0, g0, xs, p);
      for (int i = 0; i < p; i++) {
        target[i] += f0[i];
      }
    }
    double[] na = a.clone();
    double[] ng = g.clone();
    double etaA = learningRate * depthF / width;
    double etaG = learningRate * depthG / inputs;
    double[] gx = new double[p * width];
    double[] chi = new double[p];
    double[] sumX = new double[inputs];
    for (int step = 0; step < steps; step++) {
      if (Thread.currentThread().isInterrupted()) {
        throw new java.util.concurrent.CancellationException("bottleneck training interrupted at step " + step);
      }
      embed(ng, xs, p, gx);
      for (int mu = 0; mu < p; mu++) {
        double f = 0;
        for (int i = 0; i < width; i++) {
          f += na[i] * gx[mu * width + i];
        }
        chi[mu] = (f - target[mu]) / p;
      }
      java.util.Arrays.fill(sumX, 0);
      for (int mu = 0; mu < p; mu++) {
        for (int j = 0; j < inputs; j++) {
          sumX[j] += chi[mu] * xs[mu * inputs + j];
        }
      }
      for (int i = 0; i < width; i++) {
        double da = 0;
        for (int mu = 0; mu < p; mu++) {
          da += chi[mu] * gx[mu * width + i];
        }
        double ai = na[i];
        na[i] -= etaA * da;
        double c = etaG * ai;
        for (int j = 0; j < inputs; j++) {
          ng[i * inputs + j] -= c * sumX[j];
        }
      }
    }
    return new LinearBottleneck(inputs, width, depthG, depthF, na, ng, a0, g0);
  }

  /**
   * The outputs F(x) = aᵀ·G·x.
   *
   * @param x inputs, m×D, finite
   * @return F(x), m×1
   */
  public Matrix predict(Matrix x) {
    double[] xs = checkInputs(x, "x");
    return Matrix.ofRowMajor(x.rows(), 1, outputs(a, g, xs, x.rows()));
  }

  /**
   * The centred outputs F(x) − F₀(x), which the d → ∞ limit shares with kernel gradient descent.
   *
   * @param x inputs, m×D, finite
   * @return F(x) − F₀(x), m×1
   */
  public Matrix predictCentred(Matrix x) {
    double[] xs = checkInputs(x, "x");
    double[] f = outputs(a, g, xs, x.rows());
    double[] f0 = outputs(a0, g0, xs, x.rows());
    for (int i = 0; i < f.length; i++) {
      f[i] -= f0[i];
    }
    return Matrix.ofRowMajor(x.rows(), 1, f);
  }

  /**
   * The readout a of f at the bottleneck.
   *
   * @return a, d×1
   */
  public Matrix readout() {
    return Matrix.ofRowMajor(width, 1, a.clone());
  }

  /**
   * The embedding G of g into the bottleneck.
   *
   * @return G, d×D
   */
  public Matrix embedding() {
    return Matrix.ofRowMajor(width, inputs, g.clone());
  }

  /**
   * The end-to-end vector β = Gᵀa, so that F(x) = β·x.
   *
   * @return β, D×1
   */
  public Matrix endToEnd() {
    double[] b = new double[inputs];
    for (int i = 0; i < width; i++) {
      for (int j = 0; j < inputs; j++) {
        b[j] += g[i * inputs + j] * a[i];
      }
    }
    return Matrix.ofRowMajor(inputs, 1, b);
  }

  /**
   * The bottleneck width d.
   *
   * @return d
   */
  public int bottleneck() {
    return width;
  }

  private static void requireDepths(int depthG, int depthF) {
    if (depthG < 1 || depthF < 1) {
      throw new IllegalArgumentException("depthG and depthF must be >= 1 dense layer, got " + depthG + " and " + depthF);
    }
  }

  private void embed(double[] gm, double[] xs, int p, double[] out) {
    for (int mu = 0; mu < p; mu++) {
      for (int i = 0; i < width; i++) {
        double s = 0;
        for (int j = 0; j < inputs; j++) {
          s += gm[i * inputs + j] * xs[mu * inputs + j];
        }
        out[mu * width + i] = s;
      }
    }
  }

  private double[] outputs(double[] av, double[] gm, double[] xs, int p) {
    double[] gx = new double[p * width];
    embed(gm, xs, p, gx);
    double[] f = new double[p];
    for (int mu = 0; mu < p; mu++) {
      double s = 0;
      for (int i = 0; i < width; i++) {
        s += av[i] * gx[mu * width + i];
      }
      f[mu] = s;
    }
    return f;
  }

  private double[] checkInputs(Matrix x, String name) {
    Objects.requireNonNull(x, name);
    if (x.cols() != inputs) {
      throw new IllegalArgumentException(name + " must have " + inputs + " columns, got " + x.rows() + "x" + x.cols());
    }
    MatrixBridge.requireFinite(x, name, "inputs must be finite numbers");
    return x.toRowMajorArray();
  }

  @Override
  public String toString() {
    return "LinearBottleneck(D = " + inputs + ", d = " + width + ", L_g = " + depthG + ", L_f = " + depthF + ")";
  }
}
