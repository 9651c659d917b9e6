package io.github.ntk4j.featurelearning;

import io.github.ntk4j.Matrix;
import io.github.ntk4j.internal.MatrixBridge;
import io.github.ntk4j.internal.Products;
import java.util.Objects;
import java.util.SplittableRandom;

/**
 * A linear one-hidden-layer network in μP and its infinite-width limit (Tensor Programs IV,
 * arXiv 2011.14522; shared/math/feature-learning.md §1). Unlike the NNGP and NTK limits, this limit
 * learns features: its hidden representation moves during training.
 *
 * <p>The network is \(f(x) = \alpha\,(V (U x + \alpha_b b_1) + \alpha_{b2} b_2)\) with h hidden
 * units. In the limit of infinite width the hidden representation of every input stays in the span
 * of d + k random directions, so the limit is <em>exactly</em> this network with h = d + k and
 * \(U_0 = [\sigma_1 I_d;\ 0_{k\times d}]\), \(V_0 = [0_{k\times d},\ \sigma_2 I_k]\), b₁ = b₂ = 0
 * ({@link #limit}); f₀ ≡ 0. A network of finite width n ({@link #finiteWidth}) draws Ω ∈ ℝ^{n×(d+k)}
 * with iid N(0, 1) entries and starts from \(W = \Omega U_0/\sqrt n\), \(V_n = V_0 \Omega^\top/\sqrt n\);
 * trained with the same learning rate it stays equal to the limit with the overlap
 * \(Q = \Omega^\top\Omega/n\) inserted, so it converges to the limit like n^{−1/2}.
 *
 * <p>Training is SGD on ℓ = ½‖f(x) − y‖² with ordinary gradients, one example per step:
 * with δ = f(x) − y and \(h = U x + \alpha_b b_1\),
 * \[ \Delta U = -\eta\alpha\, V^\top \delta\, x^\top, \quad \Delta V = -\eta\alpha\, \delta\, h^\top, \quad
 *    \Delta b_1 = -\eta\alpha\alpha_b\, V^\top\delta, \quad \Delta b_2 = -\eta\alpha\alpha_{b2}\,\delta. \]
 *
 * <p>Cost: O(h·(d + k)) time per example and step, O(h·(d + k)) memory; the limit (h = d + k) needs
 * no sampling. Instances are immutable: {@link #sgd} returns a new network.
 */
public final class MuPLinear {
  private final int inputs;
  private final int outputs;
  private final int width;
  private final MuPLinearOptions options;
  private final double[] u; // width×inputs
  private final double[] v; // outputs×width
  private final double[] b1; // width
  private final double[] b2; // outputs
  private final double[] omega; // n×(d+k) for a finite network, null for the limit

  private MuPLinear(
      int inputs, int outputs, int width, MuPLinearOptions options, double[] u, double[] v, double[] b1, double[] b2,
      double[] omega) {
    this.inputs = inputs;
    this.outputs = outputs;
    this.width = width;
    this.options = options;
    this.u = u;
    this.v = v;
    this.b1 = b1;
    this.b2 = b2;
    this.omega = omega;
  }

  /**
   * The infinite-width limit at initialization: the network of width d + k described above.
   *
   * @param inputs d ≥ 1
   * @param outputs k ≥ 1
   * @param options the hyperparameters
   * @return the limit network, f₀ ≡ 0
   */
  public static MuPLinear limit(int inputs, int outputs, MuPLinearOptions options) {
    checkSizes(inputs, outputs);
    Objects.requireNonNull(options, "options");
    int h = inputs + outputs;
    double[] u = new double[h * inputs];
    double[] v = new double[outputs * h];
    for (int i = 0; i < inputs; i++) {
      u[i * inputs + i] = options.sigmaU();
    }
    for (int c = 0; c < outputs; c++) {
      v[c * h + inputs + c] = options.sigmaV();
    }
    return new MuPLinear(inputs, outputs, h, options, u, v, new double[h], new double[outputs], null);
  }

  /**
   * A network of finite width n in the same parameterization, drawn with the given seed.
   *
   * @param inputs d ≥ 1
   * @param outputs k ≥ 1
   * @param width n ≥ 1
   * @param seed the seed of Ω; the same seed gives the same network
   * @param options the hyperparameters
   * @return the network at initialization
   */
  public static MuPLinear finiteWidth(int inputs, int outputs, int width, long seed, MuPLinearOptions options) {
    checkSizes(inputs, outputs);
    if (width < 1) {
      throw new IllegalArgumentException("width must be >= 1, got " + width);
    }
    MuPLinear lim = limit(inputs, outputs, options);
    int h = inputs + outputs;
    double[] omega = new double[width * h];
    SplittableRandom r = new SplittableRandom(seed);
    for (int i = 0; i < omega.length; i++) {
      omega[i] = r.nextGaussian();
    }
    double s = 1 / Math.sqrt(width);
    double[] w = Products.times(omega, width, h, lim.u, inputs); // Ω·U₀/√n
    double[] vn = Products.timesTransposed(lim.v, outputs, h, omega, width); // V₀·Ωᵀ/√n
    for (int i = 0; i < w.length; i++) {
      w[i] *= s;
    }
    for (int i = 0; i < vn.length; i++) {
      vn[i] *= s;
    }
    return new MuPLinear(inputs, outputs, width, options, w, vn, new double[width], new double[outputs], omega);
  }

  private static void checkSizes(int inputs, int outputs) {
    if (inputs < 1 || outputs < 1) {
      throw new IllegalArgumentException("inputs and outputs must be >= 1, got " + inputs + " and " + outputs);
    }
  }

  /**
   * The number of hidden units h: d + k for the limit, n for a finite network.
   *
   * @return h
   */
  public int hiddenUnits() {
    return width;
  }

  /**
   * Whether this is the infinite-width limit.
   *
   * @return true for {@link #limit}, false for {@link #finiteWidth}
   */
  public boolean isLimit() {
    return omega == null;
  }

  /**
   * The outputs f(x) on the rows of x.
   *
   * @param x inputs, m×d, finite
   * @return f(x), m×k
   */
  public Matrix predict(Matrix x) {
    checkInputs(x, "x");
    double[][] out = new double[x.rows()][];
    double[] h = new double[width];
    for (int i = 0; i < x.rows(); i++) {
      out[i] = forward(x.row(i), h);
    }
    return Matrix.of(out);
  }

  /**
   * The kernel of the hidden representations, \(h(x)\cdot h(x')\) with \(h = U x + \alpha_b b_1\) (for
   * a finite network the n-dimensional representation, whose inner products tend to the limit's).
   * It stays fixed in the NNGP and NTK limits and moves here.
   *
   * @param x inputs, m×d, finite
   * @return the m×m feature kernel
   */
  public Matrix featureKernel(Matrix x) {
    checkInputs(x, "x");
    int m = x.rows();
    double[] hs = new double[m * width];
    double[] h = new double[width];
    for (int i = 0; i < m; i++) {
      hidden(x.row(i), h);
      System.arraycopy(h, 0, hs, i * width, width);
    }
    return Matrix.ofRowMajor(m, m, Products.timesTransposed(hs, m, width, hs, m));
  }

  /**
   * SGD with one example per step, in the given order, on ℓ = ½‖f(x) − y‖².
   *
   * @param x training inputs, n×d, finite
   * @param y training targets, n×k, finite
   * @param learningRate η &gt; 0
   * @param order the example of each step (indices into the rows of x), e.g. 0, 1, …, n − 1, 0, …
   * @return the trained network (this one is not modified)
   */
  public MuPLinear sgd(Matrix x, Matrix y, double learningRate, int[] order) {
    checkInputs(x, "x");
    Objects.requireNonNull(y, "y");
    Objects.requireNonNull(order, "order");
    if (y.rows() != x.rows() || y.cols() != outputs) {
      throw new IllegalArgumentException(
          "y must be " + x.rows() + "x" + outputs + " (one target row per input), got " + y.rows() + "x" + y.cols());
    }
    MatrixBridge.requireFinite(y, "y", "targets must be finite numbers");
    if (!(learningRate > 0) || !Double.isFinite(learningRate)) {
      throw new IllegalArgumentException("learningRate must be a finite number > 0, got " + learningRate);
    }
    for (int s = 0; s < order.length; s++) {
      if (order[s] < 0 || order[s] >= x.rows()) {
        throw new IllegalArgumentException("order[" + s + "] = " + order[s] + " is not a row of x (0 to " + (x.rows() - 1) + ")");
      }
    }
    double[] nu = u.clone();
    double[] nv = v.clone();
    double[] nb1 = b1.clone();
    double[] nb2 = b2.clone();
    MuPLinear next = new MuPLinear(inputs, outputs, width, options, nu, nv, nb1, nb2, omega);
    double alpha = options.alpha();
    double[] h = new double[width];
    double[] back = new double[width];
    for (int step = 0; step < order.length; step++) {
      double[] xi = x.row(order[step]);
      double[] f = next.forward(xi, h);
      double[] delta = new double[outputs];
      for (int c = 0; c < outputs; c++) {
        delta[c] = f[c] - y.get(order[step], c);
      }
      // Vᵀ·δ with the old V, then the four updates.
      for (int a = 0; a < width; a++) {
        double s = 0;
        for (int c = 0; c < outputs; c++) {
          s += nv[c * width + a] * delta[c];
        }
        back[a] = s;
      }
      double g = -learningRate * alpha;
      for (int a = 0; a < width; a++) {
        for (int j = 0; j < inputs; j++) {
          nu[a * inputs + j] += g * back[a] * xi[j];
        }
        nb1[a] += g * options.biasMultiplier() * back[a];
      }
      for (int c = 0; c < outputs; c++) {
        for (int a = 0; a < width; a++) {
          nv[c * width + a] += g * delta[c] * h[a];
        }
        nb2[c] += g * options.outputBiasMultiplier() * delta[c];
      }
    }
    return next;
  }

  /** Ω of a finite network (n×(d+k), row-major), for tests; null for the limit. */
  double[] omega() {
    return omega == null ? null : omega.clone();
  }

  private void hidden(double[] x, double[] h) {
    double ab = options.biasMultiplier();
    for (int a = 0; a < width; a++) {
      double s = ab * b1[a];
      for (int j = 0; j < inputs; j++) {
        s += u[a * inputs + j] * x[j];
      }
      h[a] = s;
    }
  }

  /** f(x); leaves h(x) in {@code h}. */
  private double[] forward(double[] x, double[] h) {
    hidden(x, h);
    double[] f = new double[outputs];
    for (int c = 0; c < outputs; c++) {
      double s = options.outputBiasMultiplier() * b2[c];
      for (int a = 0; a < width; a++) {
        s += v[c * width + a] * h[a];
      }
      f[c] = options.alpha() * s;
    }
    return f;
  }

  private void checkInputs(Matrix x, String name) {
    Objects.requireNonNull(x, name);
    if (x.cols() != inputs) {
      throw new IllegalArgumentException(name + " must have " + inputs + " columns, got " + x.rows() + "x" + x.cols());
    }
    MatrixBridge.requireFinite(x, name, "inputs must be finite numbers");
  }

  @Override
  public String toString() {
    return (isLimit() ? "MuPLinear limit" : "MuPLinear width " + width) + " (d = " + inputs + ", k = " + outputs + ", "
        + options + ")";
  }
}
