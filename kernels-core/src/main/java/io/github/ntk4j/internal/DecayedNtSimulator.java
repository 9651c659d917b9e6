package io.github.ntk4j.internal;

import io.github.ntk4j.layers.Activation;
import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.concurrent.CancellationException;

/**
 * The Monte Carlo simulator with decoupled weight decay λ &gt; 0 (AdamW; shared/math/adaptive-limits.md
 * §5.4, Tensor Programs IVb §2.10): the features are those of the decayed initialization ρ_t·θ₀,
 * ρ_t = (1 − λ)^t, so every ket is indexed by (time s, point a). The (T+1)·M pairs are treated as
 * virtual points whose covariances get a factor ρ_s·ρ_t at every Dense layer
 *
 * <pre>
 *   Σˡ_{(s,a),(t,b)} = ρ_s·ρ_t·(σwˡ²·T^{l−1} + σbˡ²),   T⁰ = x_a·x_b/d
 *   Π^L = ρ_s·ρ_t·σw^{L+1}²,   Πˡ = ρ_s·ρ_t·σw^{l+1}²·Ṫ^{l+1}·Π^{l+1}
 * </pre>
 *
 * and every (row, column) sample pair keeps, besides its Adam moments, the accumulated update
 * A ← (1 − λ)·A + η_t·Q_t. Outputs are f_{t+1}(a) = f^init_{t+1}(a) − Σ_g c_g·mean[U_{(t+1),a}·A·V_{(t+1),a}]
 * with the time-(t+1) kets (the input coordinates are not decayed). Cost: sampling O(L·((T+1)M)³),
 * so the number of virtual points is capped at {@link #MAX_VIRTUAL}. Single-threaded and
 * deterministic for a seed.
 */
public final class DecayedNtSimulator {
  /** The largest (T+1)·M accepted: the covariances are dense matrices of that order. */
  public static final int MAX_VIRTUAL = 3000;

  private final Mlp mlp;
  private final int m;
  private final int steps;
  private final int virtual;
  private final int d;
  private final double[] xT;
  private final Kets kets;
  private final double[] outputRoot;

  /**
   * Prepares the kets of T steps with decay λ on the M points {@code x} (row-major M×d, training
   * points first).
   *
   * @throws IllegalArgumentException when (T+1)·M exceeds {@link #MAX_VIRTUAL}
   */
  public DecayedNtSimulator(Mlp mlp, double[] x, int m, int steps, double lambda) {
    this.mlp = mlp;
    this.m = m;
    this.steps = steps;
    this.d = mlp.inputDim;
    long v = (long) (steps + 1) * m;
    if (v > MAX_VIRTUAL) {
      throw new IllegalArgumentException(
          "optimizer: weight decay needs kets at every step: (steps + 1)·points = " + v + " exceeds " + MAX_VIRTUAL
              + " (shared/math/adaptive-limits.md §5.4); use fewer steps or points, or weightDecay 0");
    }
    this.virtual = (int) v;
    this.xT = Gram.transpose(x, m, d);
    double[] rho = new double[virtual];
    for (int s = 0; s <= steps; s++) {
      Arrays.fill(rho, s * m, (s + 1) * m, Math.pow(1 - lambda, s));
    }
    double[] input = Products.timesTransposed(x, m, d, x, m);
    int hidden = mlp.hidden;
    double[][] sigma = new double[hidden + 2][];
    double[][] derivative = new double[hidden + 1][];
    double[] t = new double[virtual * virtual];
    for (int i = 0; i < virtual; i++) {
      for (int j = 0; j < virtual; j++) {
        t[i * virtual + j] = input[(i % m) * m + (j % m)] / d;
      }
    }
    for (int l = 1; l <= hidden + 1; l++) {
      double w2 = mlp.weightStd[l] * mlp.weightStd[l];
      double b2 = mlp.biasStd[l] * mlp.biasStd[l];
      double[] s = new double[virtual * virtual];
      for (int i = 0; i < virtual; i++) {
        for (int j = 0; j < virtual; j++) {
          s[i * virtual + j] = rho[i] * rho[j] * (w2 * t[i * virtual + j] + b2);
        }
      }
      sigma[l] = s;
      if (l <= hidden) {
        derivative[l] = new double[virtual * virtual];
        t = dualMaps(mlp.activations[l], s, derivative[l]);
      }
    }
    double[][] sigmaRoot = new double[hidden + 1][];
    double[][] piRoot = new double[hidden + 1][];
    double[] pi = null;
    for (int l = hidden; l >= 1; l--) {
      double w2 = mlp.weightStd[l + 1] * mlp.weightStd[l + 1];
      double[] next = new double[virtual * virtual];
      for (int i = 0; i < virtual; i++) {
        for (int j = 0; j < virtual; j++) {
          int e = i * virtual + j;
          next[e] = rho[i] * rho[j] * w2 * (l == hidden ? 1 : derivative[l + 1][e] * pi[e]);
        }
      }
      pi = next;
      piRoot[l] = LinearAlgebra.semidefiniteCholesky(pi, virtual, NtSimulator.JITTER);
      sigmaRoot[l] = LinearAlgebra.semidefiniteCholesky(sigma[l], virtual, NtSimulator.JITTER);
    }
    outputRoot = LinearAlgebra.semidefiniteCholesky(sigma[hidden + 1], virtual, NtSimulator.JITTER);
    kets = new Kets(mlp, virtual, sigmaRoot, piRoot);
  }

  /** T = E[φ(u)φ(v)] of every pair, and Ṫ into {@code derivative}, for the covariance {@code s}. */
  private double[] dualMaps(Activation act, double[] s, double[] derivative) {
    double[] out = s.clone();
    double[] q = new double[virtual];
    for (int i = 0; i < virtual; i++) {
      q[i] = s[i * virtual + i];
    }
    double[] sine = new double[virtual];
    double[] row = new double[virtual];
    double[] tdot = new double[virtual];
    for (int i = 0; i < virtual; i++) {
      System.arraycopy(s, i * virtual, row, 0, virtual);
      for (int j = 0; j < virtual; j++) {
        sine[j] = Angles.sine(q[i], q[j], row[j]);
      }
      Arrays.fill(tdot, 1.0);
      act.applyToEntries(row, sine, tdot, q[i], q, 0, virtual);
      System.arraycopy(row, 0, out, i * virtual, virtual);
      System.arraycopy(tdot, 0, derivative, i * virtual, virtual);
    }
    return out;
  }

  /** f^init on the virtual points: a joint draw from the decayed NNGP, index s·M + a. */
  public double[] sampleInitialOutputs(SplittableRandom rng) {
    return NtSimulator.correlated(outputRoot, virtual, 1, rng.split());
  }

  /**
   * One replicate.
   *
   * @param init f^init on the virtual points (index s·M + a), or null for centred outputs
   * @param recorded the steps to return, ascending, starting with 0
   * @return f[k][a] at step recorded[k]
   */
  public double[][] run(
      double[] init, double[] target, NtSimulator.Rule rule, NtSimulator.Rates rates, double lambda,
      NtSimulator.BatchSource batches, boolean mean, int su, int sv, SplittableRandom rng,
      NtSimulator.StepListener listener, int[] recorded) {
    // Kets over the virtual points (index s·M + a); the input coordinates (d × M) are not time-indexed.
    java.util.List<Kets.Group> groups = kets.groups(xT, su, sv, !rule.sgd(), true, rng);
    double[][] f = new double[steps + 1][m];
    for (int a = 0; a < m; a++) {
      f[0][a] = init == null ? 0 : init[a];
    }
    for (int t = 0; t < steps; t++) {
      if (Thread.currentThread().isInterrupted()) {
        throw new CancellationException("simulation cancelled: the calling thread was interrupted");
      }
      int[] batch = batches.at(t);
      int nb = batch.length;
      double[] chi = new double[nb];
      for (int k = 0; k < nb; k++) {
        chi[k] = f[t][batch[k]] - target[batch[k]];
        if (mean) {
          chi[k] /= nb;
        }
      }
      double lr = rates.at(t);
      double bc1 = 1 - Math.pow(rule.beta1(), t + 1);
      double bc2 = 1 - Math.pow(rule.beta2(), t + 1);
      double[] delta = new double[m];
      for (Kets.Group g : groups) {
        int rowsU = g.rowsU;
        int rowsV = g.rowsV;
        double[] u = g.u;
        double[] v = g.v;
        int vStride = g.input ? m : virtual;
        int vOffset = g.input ? 0 : t * m;
        double[] uChi = new double[rowsU * nb];
        for (int a = 0; a < rowsU; a++) {
          for (int k = 0; k < nb; k++) {
            uChi[a * nb + k] = (u == null ? 1 : u[a * virtual + t * m + batch[k]]) * chi[k];
          }
        }
        double[] vBt = new double[nb * rowsV];
        for (int k = 0; k < nb; k++) {
          for (int be = 0; be < rowsV; be++) {
            vBt[k * rowsV + be] = v == null ? 1 : v[be * vStride + vOffset + batch[k]];
          }
        }
        double[] q = new double[rowsU * rowsV];
        Gram.tile(uChi, nb, vBt, rowsV, 0, rowsU, 0, rowsV, q);
        double[] acc = g.accumulated;
        for (int e = 0; e < q.length; e++) {
          acc[e] = (1 - lambda) * acc[e] + lr * rule.update(g.c * q[e], g.first, g.second, e, bc1, bc2);
        }
        // Output at t + 1 with the time-(t+1) kets: Σ_α U_{α,(t+1,a)}·(A·V_{(t+1)})_{α,a}.
        double[] r = new double[rowsU * m];
        if (v == null) {
          for (int a = 0; a < rowsU; a++) {
            Arrays.fill(r, a * m, (a + 1) * m, acc[a]);
          }
        } else {
          Gram.tile(acc, rowsV, v, vStride, 0, rowsU, g.input ? 0 : (t + 1) * m, m, r);
        }
        double weight = g.c / rowsU / (g.input ? 1 : rowsV);
        for (int a = 0; a < rowsU; a++) {
          for (int k = 0; k < m; k++) {
            delta[k] += weight * (u == null ? 1 : u[a * virtual + (t + 1) * m + k]) * r[a * m + k];
          }
        }
      }
      for (int a = 0; a < m; a++) {
        f[t + 1][a] = (init == null ? 0 : init[(t + 1) * m + a]) - delta[a];
        if (!Double.isFinite(f[t + 1][a])) {
          throw new io.github.ntk4j.NumericalException(
              "simulation: an output is not finite after step " + (t + 1) + "; lower the learning rate");
        }
      }
      listener.stepDone();
    }
    double[][] kept = new double[recorded.length][];
    for (int k = 0; k < recorded.length; k++) {
      kept[k] = f[recorded[k]];
    }
    return kept;
  }
}
