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
import java.util.stream.IntStream;

/**
 * The adaptive NTK (aNTK) of a two-layer network trained by gradient descent with weight decay
 * (Lauditi, Bordelon &amp; Pehlevan, arXiv 2502.07998; shared/math/feature-learning.md §2.7): the
 * mean-field dynamics of the network, simulated in data space, and the stationary kernel predictor
 * they lead to.
 *
 * <p>The network is \(f(x) = \frac{1}{\gamma N}\sum_i z_i\,\varphi(w_i\cdot x/\sqrt D)\), all weights
 * N(0, 1) at initialization, trained by gradient descent with step η on
 * \(\gamma^2 N\cdot\tfrac12\sum_\mu (f(x_\mu) - y_\mu)^2 + \tfrac{\lambda}{2}\|\theta\|^2\). Each neuron
 * carries its pre-activations on all training and test points, \(h_i \in \mathbb R^{P+P^*}\), and its
 * readout z_i; with Δ = y − f on the training points, φ_i = φ(h_i), g_i = φ'(h_i)·z_i and the joint
 * input Gram matrix C = x·x'/D:
 * \[ z_i \leftarrow z_i + \eta\Bigl(\gamma\sum_\mu \Delta_\mu \varphi_i(x_\mu) - \lambda z_i\Bigr), \qquad
 *    h_i(x) \leftarrow h_i(x) + \eta\Bigl(\gamma\sum_\mu \Delta_\mu g_i(x_\mu)\,C(x, x_\mu) - \lambda h_i(x)\Bigr). \]
 * This is exactly a width-S network (S sampled neurons) in the mean-field scaling; S → ∞ gives the
 * limit, in which f₀ → 0. With centring, f₀ is subtracted and Δ = y − f + f₀.
 *
 * <p>At a stationary point of the readout, \(\lambda z_i = \gamma\sum_\mu\Delta_\mu\varphi_i(x_\mu)\), so
 * \[ f(x^*) = \Phi(x^*, X)\,(\Phi + \lambda I)^{-1} y, \qquad \Phi = \frac1S\sum_i \varphi_i\varphi_i^\top, \]
 * the adaptive kernel predictor with the learned feature kernel Φ ({@link #stationaryPredictions};
 * with centring y is replaced by y + f₀ on the training points and f₀ subtracted on the test points).
 *
 * <p>Cost: O(S·(P + P*)·P) time per step and O(S·(P + P*)) memory; the neurons are split into fixed
 * chunks run in parallel, and every sum over neurons adds the chunks in a fixed order, so the result
 * does not depend on the number of threads. Progress is reported in steps; interrupting the calling
 * thread cancels with a {@link CancellationException}. Results are immutable.
 */
public final class AdaptiveNtk {
  private static final int CHUNK = 64;

  private final int p;
  private final int t;
  private final double lambda;
  private final double[] trainOutputs;
  private final double[] testOutputs;
  private final double[] phi; // (P+P*)×(P+P*)
  private final double[] f0;
  private final double[] y;
  private final double[] lossCurve; // pairs (step, loss)
  private final double readoutGradient;

  private AdaptiveNtk(
      int p, int t, double lambda, double[] trainOutputs, double[] testOutputs, double[] phi, double[] f0, double[] y,
      double[] lossCurve, double readoutGradient) {
    this.p = p;
    this.t = t;
    this.lambda = lambda;
    this.trainOutputs = trainOutputs;
    this.testOutputs = testOutputs;
    this.phi = phi;
    this.f0 = f0;
    this.y = y;
    this.lossCurve = lossCurve;
    this.readoutGradient = readoutGradient;
  }

  /**
   * Trains the network and returns its outputs, the learned feature kernel and the stationary
   * predictor.
   *
   * @param x training inputs, P×D, finite
   * @param y targets, P×1, finite
   * @param xTest test inputs, P*×D, finite (may have 0 rows)
   * @param activation φ, e.g. {@link io.github.ntk4j.layers.Layers#relu()} or {@code erf()}
   * @param options the settings
   * @param progress receives (steps done, steps in all)
   * @return the trained state
   */
  public static AdaptiveNtk train(
      Matrix x, Matrix y, Matrix xTest, Activation activation, AdaptiveNtkOptions options, ProgressListener progress) {
    Inputs.check(x, y, xTest);
    Objects.requireNonNull(activation, "activation");
    Objects.requireNonNull(options, "options");
    Objects.requireNonNull(progress, "progress");
    int d = x.cols();
    int s = options.neurons();
    SplittableRandom r = new SplittableRandom(options.seed());
    double[] w = new double[s * d];
    for (int i = 0; i < w.length; i++) {
      w[i] = r.nextGaussian();
    }
    double[] z = new double[s];
    for (int i = 0; i < s; i++) {
      z[i] = r.nextGaussian();
    }
    return run(x, y, xTest, activation, options, w, z, progress);
  }

  /** The dynamics from given first-layer weights w (S×D, row-major) and initial readouts z0 (not modified). */
  static AdaptiveNtk run(
      Matrix x, Matrix y, Matrix xTest, Activation phi, AdaptiveNtkOptions o, double[] w, double[] z0, ProgressListener progress) {
    int p = x.rows();
    int t = xTest.rows();
    int n = p + t;
    int d = x.cols();
    int s = o.neurons();
    if ((long) s * n > Integer.MAX_VALUE - 8) {
      throw new IllegalArgumentException("neurons x points = " + (long) s * n + " is too large for one array; use fewer neurons");
    }
    double[] all = Inputs.joint(x, xTest);
    // C(x_μ, x) for training μ and every point x: P×N.
    double[] c = Inputs.gram(all, p, all, n, d);
    // h_i(x) = w_i·x/√D.
    double[] h = Products.timesTransposed(w, s, d, all, n);
    double sd = 1 / Math.sqrt(d);
    for (int i = 0; i < h.length; i++) {
      h[i] *= sd;
    }
    double[] z = z0.clone();
    double gamma = o.gamma();
    double eta = o.learningRate();
    double lambda = o.weightDecay();
    int chunks = (s + CHUNK - 1) / CHUNK;
    double[] partial = new double[chunks * n];
    double[] f = outputs(h, z, s, n, phi, gamma, chunks, partial, n);
    double[] f0 = o.centred() ? f.clone() : new double[n];
    double[] target = y.toRowMajorArray();
    double[] delta = new double[p];
    int record = Math.max(1, o.steps() / 200);
    double[] curve = new double[2 * (o.steps() / record + 2)];
    int points = 0;
    for (int step = 0; step < o.steps(); step++) {
      if (Thread.currentThread().isInterrupted()) {
        throw new CancellationException("adaptive NTK training interrupted at step " + step);
      }
      double loss = 0;
      for (int mu = 0; mu < p; mu++) {
        delta[mu] = target[mu] - (f[mu] - f0[mu]);
        loss += delta[mu] * delta[mu];
      }
      if (!Double.isFinite(loss)) {
        throw new NumericalException("adaptive NTK training diverged at step " + step + " (loss " + loss + "); use a smaller learningRate");
      }
      if (step % record == 0) {
        curve[points++] = step;
        curve[points++] = loss / (2 * p);
      }
      IntStream.range(0, chunks).parallel().forEach(ch -> {
        double[] u = new double[p];
        for (int i = ch * CHUNK, end = Math.min(s, i + CHUNK); i < end; i++) {
          int row = i * n;
          double zi = z[i];
          double dz = 0;
          for (int mu = 0; mu < p; mu++) {
            double hv = h[row + mu];
            dz += delta[mu] * phi.apply(hv);
            u[mu] = gamma * delta[mu] * phi.derivative(hv) * zi;
          }
          z[i] = zi + eta * (gamma * dz - lambda * zi);
          double keep = 1 - eta * lambda;
          for (int k = 0; k < n; k++) {
            h[row + k] *= keep;
          }
          for (int mu = 0; mu < p; mu++) {
            double coef = eta * u[mu];
            if (coef != 0) {
              int cr = mu * n;
              for (int k = 0; k < n; k++) {
                h[row + k] += coef * c[cr + k];
              }
            }
          }
        }
      });
      f = outputs(h, z, s, n, phi, gamma, chunks, partial, p);
      progress.progress(step + 1, o.steps());
    }
    f = outputs(h, z, s, n, phi, gamma, chunks, partial, n);
    double loss = 0;
    double[] trainOut = new double[p];
    for (int mu = 0; mu < p; mu++) {
      trainOut[mu] = f[mu] - f0[mu];
      delta[mu] = target[mu] - trainOut[mu];
      loss += delta[mu] * delta[mu];
    }
    curve[points++] = o.steps();
    curve[points++] = loss / (2 * p);
    double[] testOut = new double[t];
    for (int k = 0; k < t; k++) {
      testOut[k] = f[p + k] - f0[p + k];
    }
    // Φ = (1/S)Σ φ_i φ_iᵀ over all points, and the readout gradient max_i |γΣΔφ_i − λz_i|.
    double[] feats = new double[s * n];
    double grad = 0;
    for (int i = 0; i < s; i++) {
      double dz = 0;
      for (int k = 0; k < n; k++) {
        feats[i * n + k] = phi.apply(h[i * n + k]);
      }
      for (int mu = 0; mu < p; mu++) {
        dz += delta[mu] * feats[i * n + mu];
      }
      grad = Math.max(grad, Math.abs(gamma * dz - lambda * z[i]));
    }
    double[] ft = Products.transpose(feats, s, n);
    double[] kernel = Products.timesTransposed(ft, n, s, ft, n);
    for (int i = 0; i < kernel.length; i++) {
      kernel[i] /= s;
    }
    return new AdaptiveNtk(p, t, lambda, trainOut, testOut, kernel, f0, target, java.util.Arrays.copyOf(curve, points), grad);
  }

  /** f on the first {@code upTo} points, summing the neuron chunks in a fixed order. */
  private static double[] outputs(
      double[] h, double[] z, int s, int n, Activation phi, double gamma, int chunks, double[] partial, int upTo) {
    IntStream.range(0, chunks).parallel().forEach(ch -> {
      int base = ch * n;
      java.util.Arrays.fill(partial, base, base + upTo, 0);
      for (int i = ch * CHUNK, end = Math.min(s, i + CHUNK); i < end; i++) {
        double zi = z[i];
        int row = i * n;
        for (int k = 0; k < upTo; k++) {
          partial[base + k] += zi * phi.apply(h[row + k]);
        }
      }
    });
    double[] f = new double[n];
    for (int ch = 0; ch < chunks; ch++) {
      for (int k = 0; k < upTo; k++) {
        f[k] += partial[ch * n + k];
      }
    }
    double scale = 1 / (gamma * s);
    for (int k = 0; k < upTo; k++) {
      f[k] *= scale;
    }
    return f;
  }

  /**
   * The network's outputs on the training points after training (centred if so chosen).
   *
   * @return P×1
   */
  public Matrix trainOutputs() {
    return Matrix.ofRowMajor(p, 1, trainOutputs.clone());
  }

  /**
   * The network's outputs on the test points after training (centred if so chosen).
   *
   * @return P*×1
   */
  public Matrix testOutputs() {
    return Matrix.ofRowMajor(t, 1, testOutputs.clone());
  }

  /**
   * The learned feature kernel Φ = (1/S)Σᵢ φᵢφᵢᵀ over the training points then the test points.
   *
   * @return (P + P*)×(P + P*)
   */
  public Matrix featureKernel() {
    return Matrix.ofRowMajor(p + t, p + t, phi.clone());
  }

  /**
   * The stationary predictor on the test points, Φ(x*, X)(Φ + λI)⁻¹y with the learned Φ (with
   * centring: Φ(x*, X)(Φ + λI)⁻¹(y + f₀) − f₀(x*)). It equals {@link #testOutputs} once the readout
   * is stationary; {@link #readoutGradient} says how close it is.
   *
   * @return P*×1
   * @throws NumericalException if Φ + λI is singular (λ = 0 and Φ singular on the training points)
   */
  public Matrix stationaryPredictions() {
    int n = p + t;
    double[] a = new double[p * p];
    for (int i = 0; i < p; i++) {
      for (int j = 0; j < p; j++) {
        a[i * p + j] = phi[i * n + j];
      }
      a[i * p + i] += lambda;
    }
    double[] rhs = new double[p];
    for (int i = 0; i < p; i++) {
      rhs[i] = y[i] + f0[i];
    }
    double[] l = LinearAlgebra.cholesky(a, p, new int[1]);
    if (l == null) {
      throw new NumericalException("Φ + λI is singular: the learned feature kernel has no full rank on the training points; use weightDecay > 0");
    }
    LinearAlgebra.choleskySolve(l, p, rhs, 1);
    double[] out = new double[t];
    for (int k = 0; k < t; k++) {
      double v = 0;
      for (int j = 0; j < p; j++) {
        v += phi[(p + k) * n + j] * rhs[j];
      }
      out[k] = v - f0[p + k];
    }
    return Matrix.ofRowMajor(t, 1, out);
  }

  /**
   * The training loss (1/(2P))·Σ(y − f)² during training, at up to about 200 steps and at the end.
   *
   * @return rows (step, loss)
   */
  public Matrix lossCurve() {
    return Matrix.ofRowMajor(lossCurve.length / 2, 2, lossCurve.clone());
  }

  /**
   * How far the readout is from stationarity at the end: max over neurons of |γΣ_μΔ_μφᵢ(x_μ) − λzᵢ|.
   *
   * @return the largest readout gradient
   */
  public double readoutGradient() {
    return readoutGradient;
  }
}
