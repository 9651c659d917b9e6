package io.github.ntk4j.featurelearning;

import io.github.ntk4j.Matrix;
import io.github.ntk4j.NumericalException;
import io.github.ntk4j.internal.LinearAlgebra;
import io.github.ntk4j.internal.MatrixBridge;
import java.util.Objects;

/**
 * The adaptive Bayesian kernel (aNBK) of a deep linear network, solved exactly (Lauditi, Bordelon
 * &amp; Pehlevan, arXiv 2502.07998; shared/math/feature-learning.md §2.2–2.3).
 *
 * <p>The network has L linear hidden layers of width N → ∞, \(h^1 = W^0 x/\sqrt D\),
 * \(h^{l+1} = W^l h^l/\sqrt N\), \(f = z\cdot h^L/(\gamma N)\), all weights N(0, 1), and its weights
 * follow the Bayesian posterior with likelihood \(\exp(-\tfrac{\beta}{2} N\gamma^2 \sum_\mu (f(x_\mu) -
 * y_\mu)^2)\). At fixed feature-learning strength γ the layer kernels Φ_l concentrate on the saddle
 * point of the action of §2.2, which for a linear network reduces to one scalar equation. With
 * \(C = X X^\top/D = \sum_i \lambda_i e_i e_i^\top\) and \(\tilde y_i = e_i^\top y\), m solves
 * \[ m = \bigl(1 + \gamma^2 m\, r(m)\bigr)^L, \qquad r(m) = \sum_i \frac{\lambda_i \tilde y_i^2}{(\lambda_i m +
 *    1/\beta)^2}, \]
 * and with \(q = \gamma^2 m\, r(m)\), \(a = (mC + I/\beta)^{-1} y\) and \(r = a^\top C a\):
 * \[ \Phi_l = C + \frac{(1+q)^l - 1}{r}\,(Ca)(Ca)^\top, \qquad \hat\Phi_l = -\mu_l\, a a^\top, \quad
 *    \mu_l = \frac{q}{(1+q)^l\, r}. \]
 * The predictor \(f(x^*) = \Phi_L(x^*, X)(\Phi_L + I/\beta)^{-1} y\) equals
 * \(C(x^*, X)\,(C + I/(\beta m))^{-1} y\): ridge regression with the input kernel and ridge 1/(βm).
 * At β = ∞ it is the linear-kernel interpolant for every γ and L (feature learning changes the
 * kernel, not that predictor); as γ → 0, m → 1 and every Φ_l → C, the NNGP of a linear network.
 *
 * <p>Root: F(m) = m − (1 + γ²m r(m))^L has F(1) ≤ 0 and F(∞) = ∞; the solution is the smallest root
 * m ≥ 1 (roots with m &lt; 0 are saddles whose tilt cannot be normalized). It is unique when β = ∞ or
 * βλ_min ≥ 1. Otherwise the root is followed from m = 1 at γ = 0 by continuation in γ, and if that
 * branch ends in a fold before the requested γ, {@link #fit} throws a {@link NumericalException}
 * instead of returning another branch. Directions with λ_i ≤ P·ε·λ_max are treated as λ_i = 0
 * (at β = ∞ the pseudo-inverse C⁺ is used).
 *
 * <p>Cost: one symmetric eigendecomposition of C, O(P³) time and O(P²) memory, then O(P) per
 * evaluation of F; {@link #featureKernel} and the predictions are O(P²) and O(P*·P). Instances are
 * immutable and thread-safe.
 */
public final class DeepLinearAnbk {
  private static final int CONTINUATION_STEPS = 100;
  private static final double SCAN_RATIO = 1.001;

  private final int p;
  private final double gamma;
  private final double beta;
  private final int depth;
  private final double m;
  private final double q;
  private final double r;
  private final double[] a;
  private final double[] ca;
  private final double[] c;
  private final double[] y;
  private final double[] xTrain; // null when fitted from a Gram matrix
  private final int dim;

  private DeepLinearAnbk(
      int p, double gamma, double beta, int depth, double m, double q, double r, double[] a, double[] ca, double[] c,
      double[] y, double[] xTrain, int dim) {
    this.p = p;
    this.gamma = gamma;
    this.beta = beta;
    this.depth = depth;
    this.m = m;
    this.q = q;
    this.r = r;
    this.a = a;
    this.ca = ca;
    this.c = c;
    this.y = y;
    this.xTrain = xTrain;
    this.dim = dim;
  }

  /**
   * Solves the saddle point for training inputs x (P×D) with C = X·Xᵀ/D.
   *
   * @param x training inputs, P×D, finite
   * @param y targets, P×1, finite (one output: the saddle point is that of a scalar-output network)
   * @param gamma feature-learning strength γ ≥ 0 (0 gives the NNGP, Φ_l = C)
   * @param beta inverse temperature β &gt; 0, {@code Double.POSITIVE_INFINITY} allowed
   * @param depth number of hidden layers L ≥ 1
   * @return the solution
   */
  public static DeepLinearAnbk fit(Matrix x, Matrix y, double gamma, double beta, int depth) {
    Objects.requireNonNull(x, "x");
    MatrixBridge.requireFinite(x, "x", "inputs must be finite numbers");
    int n = x.rows();
    int d = x.cols();
    double[] xs = x.toRowMajorArray();
    return solve(Inputs.gram(xs, n, xs, n, d), n, y, gamma, beta, depth, xs, d);
  }

  /**
   * Solves the saddle point for a given input Gram matrix C (P×P, symmetric positive semidefinite),
   * e.g. C = X·Xᵀ/D computed elsewhere.
   *
   * @param c the input Gram matrix of the training points
   * @param y targets, P×1, finite
   * @param gamma γ ≥ 0
   * @param beta β &gt; 0, {@code Double.POSITIVE_INFINITY} allowed
   * @param depth L ≥ 1
   * @return the solution; predict with {@link #predictGram}
   */
  public static DeepLinearAnbk fitGram(Matrix c, Matrix y, double gamma, double beta, int depth) {
    Objects.requireNonNull(c, "c");
    if (c.rows() != c.cols()) {
      throw new IllegalArgumentException("c must be square (the P×P input Gram matrix), got " + c.rows() + "x" + c.cols());
    }
    MatrixBridge.requireFinite(c, "c", "the Gram matrix must be finite");
    double[] g = c.toRowMajorArray();
    int n = c.rows();
    for (int i = 0; i < n; i++) {
      for (int j = 0; j < i; j++) {
        double u = g[i * n + j];
        double v = g[j * n + i];
        if (Math.abs(u - v) > 1e-12 * Math.max(1, Math.max(Math.abs(u), Math.abs(v)))) {
          throw new IllegalArgumentException(
              "c must be symmetric: c[" + i + "][" + j + "] = " + u + " but c[" + j + "][" + i + "] = " + v);
        }
        g[i * n + j] = g[j * n + i] = 0.5 * (u + v);
      }
    }
    return solve(g, n, y, gamma, beta, depth, null, 0);
  }

  private static DeepLinearAnbk solve(
      double[] c, int n, Matrix yMatrix, double gamma, double beta, int depth, double[] xs, int d) {
    double[] y = targets(yMatrix, n);
    checkHyperparameters(gamma, beta, depth);
    LinearAlgebra.Eigen eig = Inputs.clippedEigen(c, n, "c");
    double[] lambda = eig.values();
    double[] v = eig.vectors();
    double[] yt = new double[n];
    for (int i = 0; i < n; i++) {
      double s = 0;
      for (int k = 0; k < n; k++) {
        s += v[k * n + i] * y[k];
      }
      yt[i] = s;
    }
    double b = Double.isInfinite(beta) ? 0 : 1 / beta;
    Scalar f = new Scalar(lambda, yt, b, depth);
    double m = root(f, gamma, beta);
    double g = f.g(m);
    double q = gamma * gamma * g;
    // a = (mC + I/β)⁻¹ y and C·a in the eigenbasis, then back.
    double[] at = new double[n];
    double[] cat = new double[n];
    for (int i = 0; i < n; i++) {
      if (lambda[i] > 0 || b > 0) {
        at[i] = yt[i] / (lambda[i] * m + b);
        cat[i] = lambda[i] * at[i];
      }
    }
    double[] a = new double[n];
    double[] ca = new double[n];
    for (int k = 0; k < n; k++) {
      double s = 0;
      double t = 0;
      for (int i = 0; i < n; i++) {
        s += v[k * n + i] * at[i];
        t += v[k * n + i] * cat[i];
      }
      a[k] = s;
      ca[k] = t;
    }
    double r = g / m; // m ≥ 1
    return new DeepLinearAnbk(n, gamma, beta, depth, m, q, r, a, ca, c, y, xs, d);
  }

  /** F(m) = m − (1 + γ²·g(m))^L with g(m) = m·r(m). */
  private record Scalar(double[] lambda, double[] yt, double b, int depth) {
    double g(double m) {
      double s = 0;
      for (int i = 0; i < lambda.length; i++) {
        double l = lambda[i];
        if (l > 0) {
          double den = l * m + b;
          s += l * m * yt[i] * yt[i] / (den * den);
        }
      }
      return s;
    }

    double f(double m, double gamma) {
      return m - Math.pow(1 + gamma * gamma * g(m), depth);
    }
  }

  private static double root(Scalar f, double gamma, double beta) {
    if (gamma == 0 || f.g(1) == 0) {
      return 1;
    }
    double lminWithTarget = Double.POSITIVE_INFINITY;
    for (int i = 0; i < f.lambda().length; i++) {
      if (f.yt()[i] != 0 && f.lambda()[i] > 0) {
        lminWithTarget = Math.min(lminWithTarget, f.lambda()[i]);
      }
    }
    boolean unique = Double.isInfinite(beta) || beta * lminWithTarget >= 1;
    if (unique) {
      return smallestRootAbove(f, gamma, Double.NaN, 1);
    }
    // Follow the branch from m = 1 at γ = 0: the smallest root grows with γ; a fold shows as the
    // previous γ's F turning negative again between the old and the new root.
    double m = 1;
    for (int k = 1; k <= CONTINUATION_STEPS; k++) {
      double gk = gamma * k / CONTINUATION_STEPS;
      double previous = gamma * (k - 1) / CONTINUATION_STEPS;
      m = smallestRootAbove(f, gk, previous, m);
    }
    return m;
  }

  /**
   * The smallest root ≥ start of F at γ, where F(start) ≤ 0: a geometric scan, then bisection. With a
   * previous γ, throws when F at that γ changes sign twice on the way (the branch folded).
   */
  private static double smallestRootAbove(Scalar f, double gamma, double previousGamma, double start) {
    double lo = start;
    double hi = start;
    double flo = f.f(lo, gamma);
    boolean previousPositive = false;
    for (int steps = 0; ; steps++) {
      if (steps > 100_000) {
        throw new NumericalException(
            "no root of the deep linear aNBK equation below m = " + hi + " at γ = " + gamma + "; reduce γ");
      }
      hi = lo * SCAN_RATIO;
      double fhi = f.f(hi, gamma);
      if (!Double.isNaN(previousGamma)) {
        double fp = f.f(hi, previousGamma);
        if (fp > 0) {
          previousPositive = true;
        } else if (previousPositive) {
          throw new NumericalException(
              "the deep linear aNBK solution branch that starts at γ = 0 ends in a fold between γ = " + previousGamma
                  + " and γ = " + gamma + " (β·λ_min < 1 allows several roots); use a larger β or a smaller γ");
        }
      }
      if (fhi > 0) {
        break;
      }
      lo = hi;
      flo = fhi;
    }
    for (int it = 0; it < 200 && hi - lo > 1e-15 * hi; it++) {
      double mid = 0.5 * (lo + hi);
      if (f.f(mid, gamma) > 0) {
        hi = mid;
      } else {
        lo = mid;
      }
    }
    return flo == 0 ? lo : 0.5 * (lo + hi);
  }

  private static double[] targets(Matrix y, int n) {
    Objects.requireNonNull(y, "y");
    if (y.rows() != n || y.cols() != 1) {
      throw new IllegalArgumentException(
          "y must be " + n + "x1 (one target per training point; the aNBK saddle point is that of a scalar-output"
              + " network, so fit one per output column), got " + y.rows() + "x" + y.cols());
    }
    MatrixBridge.requireFinite(y, "y", "targets must be finite numbers");
    return y.toRowMajorArray();
  }

  static void checkHyperparameters(double gamma, double beta, int depth) {
    if (!(gamma >= 0) || Double.isInfinite(gamma)) {
      throw new IllegalArgumentException("gamma must be a finite number >= 0, got " + gamma);
    }
    if (!(beta > 0)) {
      throw new IllegalArgumentException("beta must be > 0 (Double.POSITIVE_INFINITY for the zero-temperature limit), got " + beta);
    }
    if (depth < 1) {
      throw new IllegalArgumentException("depth must be >= 1 hidden layer, got " + depth);
    }
  }

  /**
   * The scalar m = m_L of the saddle point (1 at γ = 0); for C = I and ‖y‖ = 1 it is yᵀΦ_L y.
   *
   * @return m ≥ 1
   */
  public double m() {
    return m;
  }

  /**
   * q = γ²·m·r(m); m_l = (1 + q)^l.
   *
   * @return q ≥ 0
   */
  public double q() {
    return q;
  }

  /**
   * The feature kernel Φ_l of layer l on the training points: Φ₀ = C, Φ_l as above.
   *
   * @param layer l, 0 to L
   * @return Φ_l, P×P
   */
  public Matrix featureKernel(int layer) {
    checkLayer(layer, 0);
    double coef = coefficient(layer);
    double[] out = c.clone();
    for (int i = 0; i < p; i++) {
      for (int j = 0; j < p; j++) {
        out[i * p + j] += coef * ca[i] * ca[j];
      }
    }
    return Matrix.ofRowMajor(p, p, out);
  }

  /**
   * The conjugate kernel Φ̂_l = −μ_l·a·aᵀ of layer l (μ_L = γ²).
   *
   * @param layer l, 1 to L
   * @return Φ̂_l, P×P
   */
  public Matrix conjugateKernel(int layer) {
    checkLayer(layer, 1);
    double mu = r > 0 ? q / (Math.pow(1 + q, layer) * r) : gamma * gamma;
    double[] out = new double[p * p];
    for (int i = 0; i < p; i++) {
      for (int j = 0; j < p; j++) {
        out[i * p + j] = -mu * a[i] * a[j];
      }
    }
    return Matrix.ofRowMajor(p, p, out);
  }

  /**
   * The kernel–target alignment yᵀΦ_L y, which grows with γ.
   *
   * @return yᵀΦ_L y
   */
  public double alignment() {
    double s = 0;
    double t = 0;
    for (int i = 0; i < p; i++) {
      double ci = 0;
      for (int j = 0; j < p; j++) {
        ci += c[i * p + j] * y[j];
      }
      s += y[i] * ci;
      t += y[i] * ca[i];
    }
    return s + coefficient(depth) * t * t;
  }

  /**
   * The predictor on new inputs, f(x*) = C(x*, X)(C + I/(βm))⁻¹y = m·C(x*, X)·a with
   * C(x*, X) = x*·Xᵀ/D. Needs a solution from {@link #fit}.
   *
   * @param xTest inputs, P*×D, finite
   * @return f(x*), P*×1
   */
  public Matrix predict(Matrix xTest) {
    return predictGram(crossGram(xTest));
  }

  /**
   * The predictor from the cross Gram matrix C(x*, X) (P*×P): f(x*) = m·C(x*, X)·a.
   *
   * @param crossGram C(x*, X), P*×P, finite
   * @return f(x*), P*×1
   */
  public Matrix predictGram(Matrix crossGram) {
    double[] k = checkCross(crossGram);
    int t = crossGram.rows();
    double[] out = new double[t];
    for (int i = 0; i < t; i++) {
      double s = 0;
      for (int j = 0; j < p; j++) {
        s += k[i * p + j] * a[j];
      }
      out[i] = m * s;
    }
    return Matrix.ofRowMajor(t, 1, out);
  }

  /**
   * The test rows of the feature kernel, Φ_l(x*, X) = C(x*, X) + ((1+q)^l − 1)/r·(C(x*, X)a)(Ca)ᵀ,
   * from the joint construction of §2.2 (tilts on the training coordinates only).
   *
   * @param layer l, 0 to L
   * @param crossGram C(x*, X), P*×P, finite
   * @return Φ_l(x*, X), P*×P
   */
  public Matrix featureKernelRows(int layer, Matrix crossGram) {
    checkLayer(layer, 0);
    double[] k = checkCross(crossGram);
    int t = crossGram.rows();
    double coef = coefficient(layer);
    double[] out = k.clone();
    for (int i = 0; i < t; i++) {
      double ka = 0;
      for (int j = 0; j < p; j++) {
        ka += k[i * p + j] * a[j];
      }
      for (int j = 0; j < p; j++) {
        out[i * p + j] += coef * ka * ca[j];
      }
    }
    return Matrix.ofRowMajor(t, p, out);
  }

  /**
   * C(x*, X) = x*·Xᵀ/D for new inputs. Needs a solution from {@link #fit}.
   *
   * @param xTest inputs, P*×D, finite
   * @return P*×P
   */
  public Matrix crossGram(Matrix xTest) {
    if (xTrain == null) {
      throw new IllegalStateException("this solution was fitted from a Gram matrix; use predictGram with C(x*, X)");
    }
    Objects.requireNonNull(xTest, "xTest");
    if (xTest.cols() != dim) {
      throw new IllegalArgumentException("xTest must have " + dim + " columns like the training inputs, got " + xTest.rows() + "x" + xTest.cols());
    }
    MatrixBridge.requireFinite(xTest, "xTest", "inputs must be finite numbers");
    return Matrix.ofRowMajor(xTest.rows(), p, Inputs.gram(xTest.toRowMajorArray(), xTest.rows(), xTrain, p, dim));
  }

  private double[] checkCross(Matrix crossGram) {
    Objects.requireNonNull(crossGram, "crossGram");
    if (crossGram.cols() != p) {
      throw new IllegalArgumentException(
          "crossGram must have " + p + " columns (one per training point), got " + crossGram.rows() + "x" + crossGram.cols());
    }
    MatrixBridge.requireFinite(crossGram, "crossGram", "the Gram matrix must be finite");
    return crossGram.toRowMajorArray();
  }

  private double coefficient(int layer) {
    return r > 0 ? (Math.pow(1 + q, layer) - 1) / r : 0;
  }

  private void checkLayer(int layer, int first) {
    if (layer < first || layer > depth) {
      throw new IllegalArgumentException("layer must be " + first + " to " + depth + ", got " + layer);
    }
  }

  @Override
  public String toString() {
    return "DeepLinearAnbk(P = " + p + ", γ = " + gamma + ", β = " + beta + ", L = " + depth + ", m = " + m + ")";
  }
}
