package io.github.ntk4j;

import io.github.ntk4j.layers.AbRelu;
import io.github.ntk4j.layers.Activation;
import io.github.ntk4j.layers.Dense;
import io.github.ntk4j.layers.Erf;
import io.github.ntk4j.layers.Layer;
import io.github.ntk4j.layers.Parameterization;
import io.github.ntk4j.layers.Relu;
import io.github.ntk4j.layers.Serial;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * A finite-width network of an architecture, sampled from a seed, with a hand-written forward and
 * backward pass: the independent route that the closed-form kernels are checked against.
 *
 * <p>Every Dense layer has {@code width} outputs (the last one too, so that the output covariance can
 * be averaged over output units). Its parameters W, b are standard normal and the layer computes
 * h = (σw/√N)·W·z + σb·b, N its input width; that is the same function in both parameterizations,
 * which differ only in which parameters gradients are taken with respect to (shared/math/kernels.md
 * §1.1 and §1.4).
 *
 * <ul>
 *   <li>Empirical NNGP: (1/width)·Σ_k f_k(x) f_k(x') over the output units: the output covariance of
 *       one network, which converges to K as the width grows.
 *   <li>Empirical NTK of output unit 0: Σ_θ ∂f₀(x)/∂θ · ∂f₀(x')/∂θ, from exact gradients by
 *       backpropagation. For a Dense layer with backpropagated error δ and input z the gradient is
 *       the outer product δ·zᵀ (times σw/√N in the NTK parameterization), so its contribution to the
 *       inner product is (δ·δ')(z·z') times σw²/N (NTK) or 1 (standard), plus (δ·δ') times σb² (NTK)
 *       or 1 for a trained bias (standard).
 * </ul>
 */
final class FiniteNetwork {
  private final List<Layer> layers = new ArrayList<>();
  private final List<double[][]> weights = new ArrayList<>(); // per Dense layer: [out][in]
  private final List<double[]> biases = new ArrayList<>();
  private final int width;
  private final int lastDense;

  FiniteNetwork(Layer architecture, int inputDim, int width, long seed) {
    this(architecture, inputDim, width, width, seed);
  }

  /** A network whose last Dense layer has {@code outputs} units (the others {@code width}). */
  FiniteNetwork(Layer architecture, int inputDim, int width, int outputs, long seed) {
    this.width = width;
    flatten(architecture);
    int last = -1;
    for (int l = 0; l < layers.size(); l++) {
      if (layers.get(l) instanceof Dense) {
        last = l;
      }
    }
    this.lastDense = last;
    SplittableRandom rng = new SplittableRandom(seed);
    int in = inputDim;
    for (int l = 0; l < layers.size(); l++) {
      if (layers.get(l) instanceof Dense) {
        int units = l == lastDense ? outputs : width;
        double[][] w = new double[units][in];
        for (double[] row : w) {
          fillGaussian(rng, row);
        }
        double[] b = new double[units];
        fillGaussian(rng, b);
        weights.add(w);
        biases.add(b);
        in = units;
      } else {
        weights.add(null);
        biases.add(null);
      }
    }
  }

  private void flatten(Layer l) {
    if (l instanceof Serial s) {
      s.layers().forEach(this::flatten);
    } else {
      layers.add(l);
    }
  }

  private static void fillGaussian(SplittableRandom r, double[] out) {
    for (int i = 0; i < out.length; i++) {
      out[i] = r.nextGaussian();
    }
  }

  /** Forward values of one input: {@code z[l]} is the input of layer l, {@code z[L]} the output. */
  private double[][] forward(double[] x) {
    double[][] z = new double[layers.size() + 1][];
    z[0] = x;
    for (int l = 0; l < layers.size(); l++) {
      Layer layer = layers.get(l);
      double[] in = z[l];
      if (layer instanceof Dense d) {
        double[][] w = weights.get(l);
        double[] b = biases.get(l);
        double scale = d.weightStd() / Math.sqrt(in.length);
        double[] out = new double[w.length];
        for (int j = 0; j < w.length; j++) {
          double acc = 0;
          double[] row = w[j];
          for (int k = 0; k < in.length; k++) {
            acc += row[k] * in[k];
          }
          out[j] = scale * acc + d.biasStd() * b[j];
        }
        z[l + 1] = out;
      } else {
        Activation a = (Activation) layer;
        double[] out = new double[in.length];
        for (int j = 0; j < in.length; j++) {
          out[j] = phi(a, in[j]);
        }
        z[l + 1] = out;
      }
    }
    return z;
  }

  /**
   * Backpropagated errors of output unit 0: {@code delta[l]} = ∂f₀/∂(output of layer l), for the
   * Dense layers (null elsewhere).
   */
  private double[][] backward(double[][] z) {
    double[] g = new double[z[layers.size()].length];
    g[0] = 1; // ∂f₀/∂f
    return backward(z, g);
  }

  /** Backpropagated errors for the output gradient {@code g} = ∂L/∂f. */
  private double[][] backward(double[][] z, double[] g) {
    int n = layers.size();
    double[][] delta = new double[n][];
    for (int l = n - 1; l >= 0; l--) {
      Layer layer = layers.get(l);
      if (layer instanceof Dense d) {
        delta[l] = g;
        double[][] w = weights.get(l);
        int inWidth = z[l].length;
        double scale = d.weightStd() / Math.sqrt(inWidth);
        double[] prev = new double[inWidth];
        for (int j = 0; j < w.length; j++) {
          double gj = g[j] * scale;
          if (gj != 0) {
            double[] row = w[j];
            for (int k = 0; k < inWidth; k++) {
              prev[k] += gj * row[k];
            }
          }
        }
        g = prev;
      } else {
        Activation a = (Activation) layer;
        double[] pre = z[l];
        double[] prev = new double[g.length];
        for (int j = 0; j < g.length; j++) {
          prev[j] = g[j] * dphi(a, pre[j]);
        }
        g = prev;
      }
    }
    return delta;
  }

  /** The per-network NNGP and NTK estimates for all pairs of rows of x1 and x2. */
  Matrix[] kernels(double[][] x1, double[][] x2) {
    double[][][] z1 = new double[x1.length][][];
    double[][][] d1 = new double[x1.length][][];
    for (int i = 0; i < x1.length; i++) {
      z1[i] = forward(x1[i]);
      d1[i] = backward(z1[i]);
    }
    double[][][] z2 = new double[x2.length][][];
    double[][][] d2 = new double[x2.length][][];
    for (int j = 0; j < x2.length; j++) {
      z2[j] = forward(x2[j]);
      d2[j] = backward(z2[j]);
    }
    double[][] nngp = new double[x1.length][x2.length];
    double[][] ntk = new double[x1.length][x2.length];
    int n = layers.size();
    for (int i = 0; i < x1.length; i++) {
      for (int j = 0; j < x2.length; j++) {
        nngp[i][j] = dot(z1[i][n], z2[j][n]) / z1[i][n].length;
        double t = 0;
        for (int l = 0; l < n; l++) {
          if (layers.get(l) instanceof Dense d) {
            double dd = dot(d1[i][l], d2[j][l]);
            double zz = dot(z1[i][l], z2[j][l]);
            if (d.parameterization() == Parameterization.STANDARD) {
              t += dd * zz + (d.trainableBias() ? dd : 0);
            } else {
              t += d.weightStd() * d.weightStd() / z1[i][l].length * dd * zz + d.biasStd() * d.biasStd() * dd;
            }
          }
        }
        ntk[i][j] = t;
      }
    }
    return new Matrix[] {Matrix.of(nngp), Matrix.of(ntk)};
  }

  /** All output units at x. */
  double[] outputs(double[] x) {
    return forward(x)[layers.size()];
  }

  /**
   * One step of full-batch gradient descent on L = (1/(2N))·Σ_i |f(x_i) − y_i|², N = n·c, in the NTK
   * parameterization (the trained parameters are the standard normal W and b; the layer multiplies
   * them by σw/√N_in and σb). {@code offset}, when not null, is subtracted from the outputs (a
   * centred network f − f_initial); the update is the same gradient either way.
   */
  void gradientStep(double[][] x, double[][] y, double[][] offset, double learningRate) {
    int count = x.length * y[0].length;
    List<double[][]> gradW = new ArrayList<>();
    List<double[]> gradB = new ArrayList<>();
    for (double[][] w : weights) {
      gradW.add(w == null ? null : new double[w.length][w[0].length]);
      gradB.add(w == null ? null : new double[w.length]);
    }
    for (int i = 0; i < x.length; i++) {
      double[][] z = forward(x[i]);
      double[] f = z[layers.size()];
      double[] e = new double[f.length];
      for (int k = 0; k < f.length; k++) {
        e[k] = (f[k] - (offset == null ? 0 : offset[i][k]) - y[i][k]) / count;
      }
      double[][] delta = backward(z, e);
      for (int l = 0; l < layers.size(); l++) {
        if (layers.get(l) instanceof Dense d) {
          double scale = d.weightStd() / Math.sqrt(z[l].length);
          double[][] gw = gradW.get(l);
          for (int j = 0; j < gw.length; j++) {
            double dj = delta[l][j] * scale;
            for (int k = 0; k < z[l].length; k++) {
              gw[j][k] += dj * z[l][k];
            }
            gradB.get(l)[j] += delta[l][j] * d.biasStd();
          }
        }
      }
    }
    for (int l = 0; l < layers.size(); l++) {
      double[][] w = weights.get(l);
      if (w != null) {
        for (int j = 0; j < w.length; j++) {
          for (int k = 0; k < w[j].length; k++) {
            w[j][k] -= learningRate * gradW.get(l)[j][k];
          }
          biases.get(l)[j] -= learningRate * gradB.get(l)[j];
        }
      }
    }
  }

  /** f₀(x), the first output unit. */
  double output0(double[] x) {
    double[][] z = forward(x);
    return z[layers.size()][0];
  }

  /** ∂f₀/∂x by backpropagation through the first Dense layer. */
  double[] inputGradient0(double[] x) {
    double[][] z = forward(x);
    double[][] delta = backward(z);
    Dense first = (Dense) layers.get(0);
    double[][] w = weights.get(0);
    double scale = first.weightStd() / Math.sqrt(x.length);
    double[] g = new double[x.length];
    for (int j = 0; j < w.length; j++) {
      for (int k = 0; k < x.length; k++) {
        g[k] += scale * w[j][k] * delta[0][j];
      }
    }
    return g;
  }

  private static double dot(double[] a, double[] b) {
    double s = 0;
    for (int k = 0; k < a.length; k++) {
      s += a[k] * b[k];
    }
    return s;
  }

  static double phi(Activation a, double x) {
    if (a instanceof Relu) {
      return Math.max(x, 0);
    }
    if (a instanceof AbRelu r) {
      return x < 0 ? r.a() * x : r.b() * x;
    }
    Erf e = (Erf) a;
    return e.a() * erf(e.b() * x) + e.c();
  }

  static double dphi(Activation a, double x) {
    if (a instanceof Relu) {
      return x > 0 ? 1 : 0;
    }
    if (a instanceof AbRelu r) {
      return x < 0 ? r.a() : r.b();
    }
    Erf e = (Erf) a;
    double y = e.b() * x;
    return e.a() * e.b() * 2 / Math.sqrt(Math.PI) * Math.exp(-y * y);
  }

  /**
   * erf(x) to about 1e-15: the series (2/√π)·e^(−x²)·Σ 2ⁿx^(2n+1)/(1·3···(2n+1)) (positive terms,
   * no cancellation) for |x| < 6, and ±1 beyond (erfc(6) ≈ 2e-17).
   */
  static double erf(double x) {
    double ax = Math.abs(x);
    if (ax >= 6) {
      return Math.signum(x);
    }
    double term = ax;
    double sum = ax;
    double x2 = ax * ax;
    for (int n = 1; n < 200 && term > 1e-17 * sum; n++) {
      term *= 2 * x2 / (2 * n + 1);
      sum += term;
    }
    return Math.copySign(2 / Math.sqrt(Math.PI) * Math.exp(-x2) * sum, x);
  }
}
