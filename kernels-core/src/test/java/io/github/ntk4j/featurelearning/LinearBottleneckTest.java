package io.github.ntk4j.featurelearning;

import static io.github.ntk4j.TestSupport.assertMessage;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.ntk4j.Kernels;
import io.github.ntk4j.Matrix;
import io.github.ntk4j.layers.Layer;
import io.github.ntk4j.layers.Layers;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The linear bottleneck limit (shared/math/feature-learning.md §3.2): the d → ∞ limit against kernel
 * gradient descent with the NTK that {@link Kernels} computes for the composed linear network, the
 * conserved quantity of gradient flow, and the non-Gaussian prior. Failure messages start with the
 * seed.
 */
class LinearBottleneckTest {
  static final int D = 6;
  static final int P = 12;
  static final int LF = 2;
  static final int LG = 3;

  record Problem(Matrix x, Matrix y) {
    static Problem of(long seed) {
      SplittableRandom r = new SplittableRandom(seed);
      double[][] x = new double[P][D];
      double[][] y = new double[P][1];
      for (int i = 0; i < P; i++) {
        for (int j = 0; j < D; j++) {
          x[i][j] = r.nextGaussian();
        }
        y[i][0] = Math.tanh(x[i][0] + 0.5 * x[i][1]);
      }
      return new Problem(Matrix.of(x), Matrix.of(y));
    }
  }

  /** Max over t ≤ 400 and training points of |F_t − F₀ − g_t|, g_t kernel gradient descent with Θ_F. */
  static double gapToKernelDescent(long seed, int d) {
    Problem p = Problem.of(seed);
    Layer[] stack = new Layer[LF + LG];
    java.util.Arrays.fill(stack, Layers.dense(1.0));
    double[][] theta = Kernels.ntk(Layers.serial(stack), p.x(), null).toArray();
    double eta = 0.05;
    double[] gk = new double[P];
    LinearBottleneck net = LinearBottleneck.initialize(D, d, LG, LF, seed * 7919);
    double worst = 0;
    for (int t = 1; t <= 400; t++) {
      double[] next = gk.clone();
      for (int i = 0; i < P; i++) {
        double s = 0;
        for (int j = 0; j < P; j++) {
          s += theta[i][j] * (gk[j] - p.y().get(j, 0));
        }
        next[i] -= eta * s / P;
      }
      gk = next;
      net = net.train(p.x(), p.y(), eta, 1, true);
      double[] f = net.predictCentred(p.x()).toRowMajorArray();
      for (int i = 0; i < P; i++) {
        worst = Math.max(worst, Math.abs(f[i] - gk[i]));
      }
    }
    return worst;
  }

  @Test
  void wideBottleneckFollowsKernelGradientDescentAtRateDToTheMinusHalf() {
    int[] widths = {16, 256, 4096};
    double[] notes = {0.16, 0.032, 0.0071};
    double[] mean = new double[widths.length];
    for (int w = 0; w < widths.length; w++) {
      for (long seed = 1; seed <= 6; seed++) {
        mean[w] += gapToKernelDescent(seed, widths[w]) / 6;
      }
      assertTrue(mean[w] < 2.5 * notes[w] && mean[w] > notes[w] / 2.5,
          "seeds 1-6, d = " + widths[w] + ": mean gap " + mean[w] + ", the notes measured " + notes[w]);
    }
    double slope = Math.log(mean[2] / mean[0]) / Math.log((double) widths[2] / widths[0]);
    assertTrue(slope < -0.35 && slope > -0.7, "seeds 1-6: log-log slope " + slope + " should be about -1/2");
  }

  /**
   * Max over t < 400 and training points of |F_t − F_t^lim|: a finite network of hidden width n
   * ({@link FiniteBottleneckNetwork}) against the limit started from its own initial maps a₀ and G₀.
   */
  static double gapToFiniteWidth(long seed, int d, int n) {
    Problem p = Problem.of(seed);
    double[] x = p.x().toRowMajorArray();
    double[] y = p.y().toRowMajorArray();
    FiniteBottleneckNetwork finite = new FiniteBottleneckNetwork(D, d, LG, LF, n, seed * 31 + n);
    LinearBottleneck limit = LinearBottleneck.start(finite.readout(), finite.embedding(), LG, LF);
    double eta = 0.05;
    double worst = 0;
    for (int t = 0; t < 400; t++) {
      double[] f = finite.step(x, y, P, eta);
      double[] g = limit.predict(p.x()).toRowMajorArray();
      limit = limit.train(p.x(), p.y(), eta, 1, true);
      for (int i = 0; i < P; i++) {
        worst = Math.max(worst, Math.abs(f[i] - g[i]));
      }
    }
    return worst;
  }

  /**
   * The "validated by simulation as the outer widths grow": each finite network is compared
   * path by path with the limit started from its own a₀ and G₀ (which differ from draw to draw), over
   * 400 steps at d = 4 where the bottleneck learns features. Measured (seeds 1–4): mean gaps 0.180,
   * 0.074, 0.043, 0.024 at n = 16, 64, 256, 1024.
   */
  @Test
  void finiteOuterWidthsApproachTheLimitAtRateNToTheMinusHalf() {
    int[] widths = {16, 64, 256};
    double[] mean = new double[widths.length];
    for (int w = 0; w < widths.length; w++) {
      for (long seed = 1; seed <= 6; seed++) {
        mean[w] += gapToFiniteWidth(seed, 4, widths[w]) / 6;
      }
    }
    String msg = "seeds 1-6, d = 4: mean gaps " + java.util.Arrays.toString(mean) + " at n = " + java.util.Arrays.toString(widths);
    assertTrue(mean[0] > mean[1] && mean[1] > mean[2], msg + " should shrink as n grows");
    double slope = Math.log(mean[2] / mean[0]) / Math.log((double) widths[2] / widths[0]);
    assertTrue(slope < -0.3 && slope > -0.75, msg + ": log-log slope " + slope + " should be about -1/2");
    assertTrue(mean[2] < 0.08, msg + ": at n = 256 the gap should be small next to outputs of order 1");
  }

  /** ‖a aᵀ/η_a − G Gᵀ/η_G − (same at t = 0)‖ over ηT = 20, relative to ‖a₀a₀ᵀ‖/η_a: O(η). */
  static double drift(long seed, double eta) {
    Problem p = Problem.of(seed);
    int d = 4;
    LinearBottleneck start = LinearBottleneck.initialize(D, d, LG, LF, seed);
    LinearBottleneck end = start.train(p.x(), p.y(), eta, (int) Math.round(20 / eta), true);
    double etaA = eta * LF / d;
    double etaG = eta * LG / D;
    double[] q0 = balance(start, etaA, etaG);
    double[] q1 = balance(end, etaA, etaG);
    double[] a = start.readout().toRowMajorArray();
    double diff = 0;
    double ref = 0;
    for (int i = 0; i < d; i++) {
      for (int j = 0; j < d; j++) {
        diff += Math.pow(q1[i * d + j] - q0[i * d + j], 2);
        ref += Math.pow(a[i] * a[j] / etaA, 2);
      }
    }
    return Math.sqrt(diff / ref);
  }

  static double[] balance(LinearBottleneck net, double etaA, double etaG) {
    double[] a = net.readout().toRowMajorArray();
    double[][] g = net.embedding().toArray();
    int d = a.length;
    double[] q = new double[d * d];
    for (int i = 0; i < d; i++) {
      for (int j = 0; j < d; j++) {
        double gg = 0;
        for (int k = 0; k < D; k++) {
          gg += g[i][k] * g[j][k];
        }
        q[i * d + j] = a[i] * a[j] / etaA - gg / etaG;
      }
    }
    return q;
  }

  @Test
  void gradientDescentConservesTheBalanceUpToOrderEta() {
    for (long seed = 1; seed <= 3; seed++) {
      double d1 = drift(seed, 0.1);
      double d2 = drift(seed, 0.05);
      double d3 = drift(seed, 0.025);
      String msg = "seed " + seed + ": drifts " + d1 + ", " + d2 + ", " + d3;
      assertTrue(d1 < 0.2, msg + " (the notes: about 2e-2 at η = 0.1)");
      assertTrue(d1 / d2 > 1.6 && d1 / d2 < 2.5 && d2 / d3 > 1.6 && d2 / d3 < 2.5, msg + ": halving η should halve the drift");
    }
    // The features move: the balance is conserved while a and G change a lot.
    Problem p = Problem.of(4);
    LinearBottleneck start = LinearBottleneck.initialize(D, 4, LG, LF, 4);
    LinearBottleneck end = start.train(p.x(), p.y(), 0.05, 400, true);
    double moved = 0;
    double[] g0 = start.embedding().toRowMajorArray();
    double[] g1 = end.embedding().toRowMajorArray();
    for (int i = 0; i < g0.length; i++) {
      moved = Math.max(moved, Math.abs(g1[i] - g0[i]));
    }
    assertTrue(moved > 0.05, "seed 4: the embedding G moves during training, by " + moved);
  }

  /** F₀(x) = Σ aᵢ(G₀x)ᵢ has variance x·x/D and kurtosis 3(1 + 2/d): a deep-GP prior, not a Gaussian one. */
  @Test
  void priorHasTheKurtosisOfAProductOfGaussians() {
    double[] x = {1, -0.5, 0.3, 2, 0, -1};
    double xx = 0;
    for (double v : x) {
      xx += v * v;
    }
    Matrix xm = Matrix.ofRowMajor(1, D, x);
    for (int d : new int[] {2, 8}) {
      int samples = 400_000;
      double m2 = 0;
      double m4 = 0;
      for (int s = 0; s < samples; s++) {
        double f = LinearBottleneck.initialize(D, d, 1, 1, 1_000_000L * d + s).predict(xm).get(0, 0);
        m2 += f * f / samples;
        m4 += f * f * f * f / samples;
      }
      assertEquals(xx / D, m2, 0.02 * xx / D, "seed range " + d + "e6: d = " + d + ", variance");
      double kurtosis = m4 / (m2 * m2);
      double want = 3 * (1 + 2.0 / d);
      assertEquals(want, kurtosis, d == 2 ? 0.35 : 0.1, "seed range " + d + "e6: d = " + d + ", kurtosis");
    }
  }

  @Test
  void badInputIsRefused() {
    LinearBottleneck net = LinearBottleneck.initialize(3, 2, 1, 1, 1);
    Matrix x = Matrix.of(new double[][] {{1, 2, 3}, {0, 1, 0}});
    Matrix y = Matrix.ofRowMajor(2, 1, new double[] {1, 0});
    assertMessage(() -> LinearBottleneck.initialize(0, 2, 1, 1, 1), "inputs and bottleneck must be >= 1");
    assertMessage(() -> LinearBottleneck.initialize(3, 2, 0, 1, 1), "depthG and depthF must be >= 1");
    assertMessage(() -> net.train(Matrix.of(new double[][] {{1, 2}}), y, 0.1, 1, true), "x must have 3 columns");
    assertMessage(() -> net.train(x, Matrix.ofRowMajor(1, 1, new double[] {1}), 0.1, 1, true), "y must be 2x1");
    assertMessage(() -> net.train(x, y, 0, 1, true), "learningRate must be");
    assertMessage(() -> net.train(x, y, 0.1, -1, true), "steps must be >= 0");
    assertMessage(() -> net.predict(Matrix.of(new double[][] {{1, Double.NaN, 3}})), "x: row 0, column 1 is NaN");
    assertEquals(net.predict(x), net.train(x, y, 0.1, 0, false).predict(x), "zero steps change nothing");
    Matrix a = net.readout();
    Matrix g = net.embedding();
    assertMessage(() -> LinearBottleneck.start(g, g, 1, 1), "readout must be a column");
    assertMessage(() -> LinearBottleneck.start(Matrix.ofRowMajor(3, 1, new double[3]), g, 1, 1), "embedding must have d = 3 rows");
    assertMessage(() -> LinearBottleneck.start(a, g, 1, 0), "depthG and depthF must be >= 1");
    assertMessage(() -> LinearBottleneck.start(Matrix.ofRowMajor(2, 1, new double[] {1, Double.NaN}), g, 1, 1), "readout: row 1, column 0 is NaN");
    LinearBottleneck copy = LinearBottleneck.start(a, g, 1, 1);
    assertEquals(net.train(x, y, 0.1, 5, true).predict(x), copy.train(x, y, 0.1, 5, true).predict(x),
        "a network started from another's initial maps trains identically");
  }
}
