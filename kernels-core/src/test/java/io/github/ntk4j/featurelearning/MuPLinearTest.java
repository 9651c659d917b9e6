package io.github.ntk4j.featurelearning;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.ntk4j.Matrix;
import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/**
 * The μP linear limit against independent routes (shared/math/feature-learning.md §1.3): the exact
 * overlap identity of a finite network, its n^(-1/2) convergence to the limit, f₀ = 0, and feature
 * learning. Every failure message starts with the seed.
 */
class MuPLinearTest {
  static final MuPLinearOptions OPTIONS = MuPLinearOptions.of(1.0, 0.5, 1.0);

  /** The regression problem of the math notes: d = 5, k = 2, 20 points, targets (sin x₁, x₂x₃). */
  record Problem(Matrix x, Matrix y) {
    static Problem of(long seed) {
      SplittableRandom r = new SplittableRandom(seed);
      double[][] x = new double[20][5];
      double[][] y = new double[20][2];
      for (int i = 0; i < 20; i++) {
        for (int j = 0; j < 5; j++) {
          x[i][j] = r.nextGaussian();
        }
        y[i][0] = Math.sin(x[i][0]);
        y[i][1] = x[i][1] * x[i][2];
      }
      return new Problem(Matrix.of(x), Matrix.of(y));
    }
  }

  static int[] cyclic(int steps, int n) {
    int[] order = new int[steps];
    for (int s = 0; s < steps; s++) {
      order[s] = s % n;
    }
    return order;
  }

  @ParameterizedTest(name = "seed {0}")
  @ValueSource(longs = {1, 2, 3})
  void theLimitStartsAtZeroOutput(long seed) {
    Problem p = Problem.of(seed);
    Matrix f = MuPLinear.limit(5, 2, new MuPLinearOptions(1.3, 0.7, 2.0, 1.0, 1.0)).predict(p.x());
    assertEquals(0.0, f.maxAbs(), "seed " + seed + ": V₀·U₀ = 0, so f₀ = 0 exactly");
  }

  /**
   * The Q-model of §1.2, written out in d + k dimensions: f = α(V·Q·(U·x + α_b·b₁) + α_b2·b₂) with
   * Q = ΩᵀΩ/n, trained by ΔU = −ηα·Vᵀδxᵀ, ΔV = −ηα·δ·(Ux + α_b b₁)ᵀ, Δb₁ = −ηαα_b·Vᵀδ, Δb₂ = −ηαα_b2·δ.
   */
  static double[][] qModel(Problem p, double[] omega, int n, MuPLinearOptions o, double eta, int[] order) {
    int d = 5;
    int k = 2;
    int h = d + k;
    double[][] q = new double[h][h];
    for (int a = 0; a < h; a++) {
      for (int b = 0; b < h; b++) {
        double s = 0;
        for (int i = 0; i < n; i++) {
          s += omega[i * h + a] * omega[i * h + b];
        }
        q[a][b] = s / n;
      }
    }
    double[][] u = new double[h][d];
    double[][] v = new double[k][h];
    double[] b1 = new double[h];
    double[] b2 = new double[k];
    for (int j = 0; j < d; j++) {
      u[j][j] = o.sigmaU();
    }
    for (int c = 0; c < k; c++) {
      v[c][d + c] = o.sigmaV();
    }
    for (int idx : order) {
      double[] x = p.x().row(idx);
      double[] hid = new double[h];
      for (int a = 0; a < h; a++) {
        hid[a] = o.biasMultiplier() * b1[a];
        for (int j = 0; j < d; j++) {
          hid[a] += u[a][j] * x[j];
        }
      }
      double[] delta = new double[k];
      for (int c = 0; c < k; c++) {
        double s = o.outputBiasMultiplier() * b2[c];
        for (int a = 0; a < h; a++) {
          for (int b = 0; b < h; b++) {
            s += v[c][a] * q[a][b] * hid[b];
          }
        }
        delta[c] = o.alpha() * s - p.y().get(idx, c);
      }
      double g = -eta * o.alpha();
      double[] back = new double[h];
      for (int a = 0; a < h; a++) {
        for (int c = 0; c < k; c++) {
          back[a] += v[c][a] * delta[c];
        }
      }
      for (int a = 0; a < h; a++) {
        for (int j = 0; j < d; j++) {
          u[a][j] += g * back[a] * x[j];
        }
        b1[a] += g * o.biasMultiplier() * back[a];
      }
      for (int c = 0; c < k; c++) {
        for (int a = 0; a < h; a++) {
          v[c][a] += g * delta[c] * hid[a];
        }
        b2[c] += g * o.outputBiasMultiplier() * delta[c];
      }
    }
    // Outputs on the training points.
    double[][] f = new double[p.x().rows()][k];
    for (int i = 0; i < f.length; i++) {
      double[] x = p.x().row(i);
      double[] hid = new double[h];
      for (int a = 0; a < h; a++) {
        hid[a] = o.biasMultiplier() * b1[a];
        for (int j = 0; j < d; j++) {
          hid[a] += u[a][j] * x[j];
        }
      }
      for (int c = 0; c < k; c++) {
        double s = o.outputBiasMultiplier() * b2[c];
        for (int a = 0; a < h; a++) {
          for (int b = 0; b < h; b++) {
            s += v[c][a] * q[a][b] * hid[b];
          }
        }
        f[i][c] = o.alpha() * s;
      }
    }
    return f;
  }

  @ParameterizedTest(name = "seed {0}")
  @ValueSource(longs = {11, 12})
  void aFiniteNetworkIsTheLimitWithTheOverlapInsertedAtEveryStep(long seed) {
    Problem p = Problem.of(seed);
    MuPLinearOptions o = new MuPLinearOptions(1.0, 0.5, 1.0, 1.0, 1.0);
    int[] order = cyclic(200, 20);
    MuPLinear finite = MuPLinear.finiteWidth(5, 2, 64, seed, o);
    Matrix fn = finite.sgd(p.x(), p.y(), 0.05, order).predict(p.x());
    double[][] expected = qModel(p, finite.omega(), 64, o, 0.05, order);
    for (int i = 0; i < 20; i++) {
      for (int c = 0; c < 2; c++) {
        assertEquals(expected[i][c], fn.get(i, c), 1e-12 * (1 + Math.abs(expected[i][c])), "seed " + seed + " point " + i);
      }
    }
  }

  @Test
  void finiteNetworksConvergeToTheLimitLikeTheInverseSquareRootOfTheWidth() {
    int[] widths = {16, 256, 4096};
    double[] published = {0.071, 0.022, 0.0052}; // feature-learning.md §1.3, mean over 8 seeds
    double[] error = new double[widths.length];
    int[] order = cyclic(200, 20);
    for (long seed = 0; seed < 8; seed++) {
      Problem p = Problem.of(seed);
      Matrix limit = MuPLinear.limit(5, 2, OPTIONS).sgd(p.x(), p.y(), 0.05, order).predict(p.x());
      for (int w = 0; w < widths.length; w++) {
        Matrix fn = MuPLinear.finiteWidth(5, 2, widths[w], 1000 + seed, OPTIONS).sgd(p.x(), p.y(), 0.05, order).predict(p.x());
        double max = 0;
        for (int i = 0; i < 20; i++) {
          for (int c = 0; c < 2; c++) {
            max = Math.max(max, Math.abs(fn.get(i, c) - limit.get(i, c)));
          }
        }
        error[w] += max / 8;
      }
    }
    double slope = Math.log(error[2] / error[0]) / Math.log((double) widths[2] / widths[0]);
    String msg = "errors " + java.util.Arrays.toString(error) + ", slope " + slope;
    System.out.println("muP linear, mean max |f_n - f_inf| at n = 16, 256, 4096: " + msg);
    assertTrue(slope > -0.75 && slope < -0.3, msg);
    for (int w = 0; w < widths.length; w++) {
      // Same protocol, other random draws: within a factor 3 of the notes' figures.
      assertTrue(error[w] > published[w] / 3 && error[w] < published[w] * 3, msg);
    }
  }

  @Test
  void theLimitLearnsFeaturesWhereTheNtkLimitWouldNot() {
    Problem p = Problem.of(5);
    MuPLinear before = MuPLinear.limit(5, 2, OPTIONS);
    MuPLinear after = before.sgd(p.x(), p.y(), 0.05, cyclic(200, 20));
    Matrix k0 = before.featureKernel(p.x());
    Matrix k1 = after.featureKernel(p.x());
    double change = 0;
    for (int i = 0; i < 20; i++) {
      for (int j = 0; j < 20; j++) {
        change = Math.max(change, Math.abs(k1.get(i, j) - k0.get(i, j)));
      }
    }
    assertTrue(change > 1e-2 * k0.maxAbs(), "feature kernel moved by " + change + " of " + k0.maxAbs());
    // Training reduced the loss.
    assertTrue(loss(after.predict(p.x()), p.y()) < 0.5 * loss(before.predict(p.x()), p.y()));
  }

  private static double loss(Matrix f, Matrix y) {
    double s = 0;
    for (int i = 0; i < f.rows(); i++) {
      for (int c = 0; c < f.cols(); c++) {
        double e = f.get(i, c) - y.get(i, c);
        s += e * e;
      }
    }
    return s;
  }

  @Test
  void badInputIsRefusedWithTheProblemNamed() {
    Problem p = Problem.of(1);
    MuPLinear net = MuPLinear.limit(5, 2, OPTIONS);
    assertThrows(IllegalArgumentException.class, () -> new MuPLinearOptions(-1, 1, 1, 0, 0));
    assertThrows(IllegalArgumentException.class, () -> MuPLinear.finiteWidth(5, 2, 0, 1, OPTIONS));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> net.predict(Matrix.of(new double[][] {{1, 2}})));
    assertTrue(e.getMessage().contains("5 columns"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> net.sgd(p.x(), p.y(), 0.1, new int[] {0, 20}));
    assertTrue(e.getMessage().contains("order[1] = 20"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> net.sgd(p.x(), p.y(), Double.NaN, new int[] {0}));
    assertTrue(e.getMessage().contains("learningRate"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> net.predict(Matrix.of(new double[][] {{1, 2, Double.NaN, 4, 5}})));
    assertTrue(e.getMessage().contains("row 0, column 2"), e.getMessage());
    double[][] nanTarget = p.y().toArray();
    nanTarget[3][1] = Double.NaN;
    e = assertThrows(IllegalArgumentException.class, () -> net.sgd(p.x(), Matrix.of(nanTarget), 0.1, new int[] {0}));
    assertTrue(e.getMessage().contains("y: row 3, column 1"), e.getMessage());
  }
}
