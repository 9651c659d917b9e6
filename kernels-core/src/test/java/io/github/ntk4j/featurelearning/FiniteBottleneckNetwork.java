package io.github.ntk4j.featurelearning;

import io.github.ntk4j.Matrix;
import java.util.SplittableRandom;

/**
 * A finite-width deep linear network F = f ∘ g for the bottleneck tests, written out independently of
 * {@link LinearBottleneck}: g has L_g dense layers D → n → … → n → d and f has L_f dense layers
 * d → n → … → n → 1, every weight N(0, 1) with the NTK factor 1/√fan-in, no biases, trained by plain
 * full-batch gradient descent on every weight on the centred loss (1/(2P))·Σ(F − F₀ − y)².
 */
final class FiniteBottleneckNetwork {
  private final int[] sizes;
  private final double[][] w; // layer k: sizes[k+1] × sizes[k], row-major
  private final int depthG;
  private double[] f0;

  FiniteBottleneckNetwork(int inputs, int bottleneck, int depthG, int depthF, int width, long seed) {
    this.depthG = depthG;
    int layers = depthG + depthF;
    sizes = new int[layers + 1];
    for (int k = 0; k <= layers; k++) {
      sizes[k] = k == 0 ? inputs : k == depthG ? bottleneck : k == layers ? 1 : width;
    }
    SplittableRandom r = new SplittableRandom(seed);
    w = new double[layers][];
    for (int k = 0; k < layers; k++) {
      w[k] = new double[sizes[k + 1] * sizes[k]];
      for (int i = 0; i < w[k].length; i++) {
        w[k][i] = r.nextGaussian();
      }
    }
  }

  /** Rows of h (m × sizes[from]) through layers from … to−1: m × sizes[to]. */
  private double[] forward(double[] h, int m, int from, int to) {
    for (int k = from; k < to; k++) {
      int in = sizes[k];
      int out = sizes[k + 1];
      double c = 1 / Math.sqrt(in);
      double[] next = new double[m * out];
      for (int mu = 0; mu < m; mu++) {
        for (int i = 0; i < out; i++) {
          double s = 0;
          for (int j = 0; j < in; j++) {
            s += w[k][i * in + j] * h[mu * in + j];
          }
          next[mu * out + i] = c * s;
        }
      }
      h = next;
    }
    return h;
  }

  private static double[] identity(int n) {
    double[] e = new double[n * n];
    for (int i = 0; i < n; i++) {
      e[i * n + i] = 1;
    }
    return e;
  }

  /** G, the end-to-end map of g, d×D. */
  Matrix embedding() {
    int dIn = sizes[0];
    int d = sizes[depthG];
    double[] gt = forward(identity(dIn), dIn, 0, depthG); // D × d, row i = G e_i
    double[] g = new double[d * dIn];
    for (int i = 0; i < dIn; i++) {
      for (int j = 0; j < d; j++) {
        g[j * dIn + i] = gt[i * d + j];
      }
    }
    return Matrix.ofRowMajor(d, dIn, g);
  }

  /** a, the end-to-end map of f, d×1. */
  Matrix readout() {
    int d = sizes[depthG];
    return Matrix.ofRowMajor(d, 1, forward(identity(d), d, depthG, sizes.length - 1));
  }

  /** One step of gradient descent with learning rate η on every weight; returns F before the step. */
  double[] step(double[] x, double[] y, int p, double eta) {
    int layers = sizes.length - 1;
    double[][] h = new double[layers + 1][];
    h[0] = x;
    for (int k = 0; k < layers; k++) {
      h[k + 1] = forward(h[k], p, k, k + 1);
    }
    if (f0 == null) {
      f0 = h[layers].clone();
    }
    double[] delta = new double[p];
    for (int mu = 0; mu < p; mu++) {
      delta[mu] = (h[layers][mu] - f0[mu] - y[mu]) / p;
    }
    for (int k = layers - 1; k >= 0; k--) {
      int in = sizes[k];
      int out = sizes[k + 1];
      double c = 1 / Math.sqrt(in);
      double[] back = new double[p * in];
      for (int mu = 0; mu < p; mu++) {
        for (int i = 0; i < out; i++) {
          double dv = c * delta[mu * out + i];
          for (int j = 0; j < in; j++) {
            back[mu * in + j] += dv * w[k][i * in + j];
          }
        }
      }
      for (int i = 0; i < out; i++) {
        for (int j = 0; j < in; j++) {
          double gsum = 0;
          for (int mu = 0; mu < p; mu++) {
            gsum += delta[mu * out + i] * h[k][mu * in + j];
          }
          w[k][i * in + j] -= eta * c * gsum;
        }
      }
      delta = back;
    }
    return h[layers];
  }
}
