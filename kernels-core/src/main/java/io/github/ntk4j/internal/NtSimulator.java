package io.github.ntk4j.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * The Monte Carlo simulator of the neural-tangent limit of entrywise optimizers
 * (shared/math/adaptive-limits.md §5.2, λ = 0): every parameter group g is a grid of S_u × S_v
 * (row sample, column sample) pairs drawn from the exact limiting feature laws, each with its own
 * optimizer state, and
 *
 * <pre>
 *   gradient  G_{αβ} = c_g·Σ_b χ_b·U_{αb}·V_{βb}
 *   update    Δf_a   = −η_t·Σ_g c_g·mean_{α,β}[U_{αa}·Q_{αβ}·V_{βa}]   (input weights: sum over the d coordinates)
 * </pre>
 *
 * <p>Samples of a ket over the M points are L·g with L the lower semi-definite Cholesky factor of its
 * covariance and g standard normal, drawn point by point from a generator of its own. Training points
 * come first, so the samples, and the whole trajectory, of the training points do not change when
 * test points are added. Work is split into fixed chunks of rows and summed in a fixed order: the
 * result depends on the seed only, not on the thread count.
 */
public final class NtSimulator {
  private static final int CHUNK = 16;
  /** Pivots below this fraction of their diagonal count as dependent (shared/math §5.5). */
  public static final double JITTER = 1e-10;

  /** Optimizer settings: SGD (Q = g) or Adam (SignSGD when β1 = β2 = 0). */
  public record Rule(boolean sgd, double beta1, double beta2, double epsilon) {
    /**
     * Q of one parameter (pair) at a step, updating its Adam moments in place: g for SGD, else
     * [m/(1 − β1^{t+1})]/√(v/(1 − β2^{t+1}) + ε²) (0 when the root is 0).
     *
     * @param grad the scaled gradient
     * @param first first moments (modified at {@code e}; unused for SGD)
     * @param second second moments (modified at {@code e}; unused for SGD)
     * @param bc1 1 − β1^{t+1}
     * @param bc2 1 − β2^{t+1}
     */
    public double update(double grad, double[] first, double[] second, int e, double bc1, double bc2) {
      if (sgd) {
        return grad;
      }
      double m1 = beta1 * first[e] + (1 - beta1) * grad;
      double m2 = beta2 * second[e] + (1 - beta2) * grad * grad;
      first[e] = m1;
      second[e] = m2;
      double den = Math.sqrt(m2 / bc2 + epsilon * epsilon);
      return den == 0 ? 0 : (m1 / bc1) / den;
    }
  }

  /** Learning rate of each step. */
  public interface Rates {
    /** η_t. */
    double at(int step);
  }

  /** Batch of each step (validated indices into the training points). */
  public interface BatchSource {
    /** The sorted, distinct batch indices of step {@code step}. */
    int[] at(int step);
  }

  /** Called after each step of a replicate. */
  public interface StepListener {
    /** One more step done. */
    void stepDone();
  }

  private final Mlp mlp;
  private final int m;
  private final int d;
  private final double[] xT;
  private final Kets kets;

  /**
   * Prepares the simulator on M points.
   *
   * @param mlp the network
   * @param kernels its layer kernels on the M points (training points first)
   * @param x the points, row-major M×d (not modified)
   */
  public NtSimulator(Mlp mlp, Mlp.LayerKernels kernels, double[] x) {
    this.mlp = mlp;
    this.m = kernels.m();
    this.d = mlp.inputDim;
    this.xT = Gram.transpose(x, m, d);
    int hidden = mlp.hidden;
    double[][] sigmaRoot = new double[hidden + 1][];
    double[][] piRoot = new double[hidden + 1][];
    double[] pi = null;
    for (int l = hidden; l >= 1; l--) {
      double w2 = mlp.weightStd[l + 1] * mlp.weightStd[l + 1];
      double[] next = new double[m * m];
      for (int e = 0; e < next.length; e++) {
        next[e] = l == hidden ? w2 : w2 * kernels.derivative()[l + 1][e] * pi[e];
      }
      pi = next;
      piRoot[l] = LinearAlgebra.semidefiniteCholesky(pi, m, JITTER);
      sigmaRoot[l] = LinearAlgebra.semidefiniteCholesky(kernels.sigma()[l], m, JITTER);
    }
    kets = new Kets(mlp, m, sigmaRoot, piRoot);
  }

  /**
   * S samples over the M points of N(0, A) with A = root·rootᵀ ({@link
   * LinearAlgebra#semidefiniteCholesky}), row-major S×M, drawn point by point so that adding points
   * never changes the samples of earlier ones.
   */
  public static double[] correlated(double[] root, int m, int samples, SplittableRandom rng) {
    double[] g = new double[samples * m];
    for (int k = 0; k < m; k++) { // point by point: adding points never changes earlier ones
      for (int a = 0; a < samples; a++) {
        g[a * m + k] = rng.nextGaussian();
      }
    }
    return Products.timesTransposed(g, samples, m, root, m);
  }

  private List<Kets.Group> groups(int su, int sv, boolean adam, SplittableRandom rng) {
    return kets.groups(xT, su, sv, adam, false, rng);
  }

  /**
   * The empirical kernel of the samples that {@link #run} draws from {@code rng} (same draws):
   * K[a][b] = Σ_g c_g²·(mean_α U_{αa}U_{αb})·(mean_β V_{βa}V_{βb}) (input weights: sum over the d
   * coordinates). With Q = identity one step of {@link #run} is exactly −η·K·χ; for testing.
   */
  double[] empiricalKernel(int su, int sv, SplittableRandom rng) {
    double[] k = new double[m * m];
    for (Kets.Group g : groups(su, sv, false, rng)) {
      for (int a = 0; a < m; a++) {
        for (int b = 0; b < m; b++) {
          double uu = 0;
          for (int r = 0; r < g.rowsU; r++) {
            uu += g.u == null ? 1 : g.u[r * m + a] * g.u[r * m + b];
          }
          double vv = 0;
          for (int r = 0; r < g.rowsV; r++) {
            vv += g.v == null ? 1 : g.v[r * m + a] * g.v[r * m + b];
          }
          k[a * m + b] += g.c * g.c * weight(g) * uu * vv;
        }
      }
    }
    return k;
  }

  /**
   * One Monte Carlo replicate of the dynamics.
   *
   * @param f0 outputs at step 0 on the M points (not modified)
   * @param target targets of the n training points (the first n of the M points)
   * @param rule the optimizer
   * @param rates η_t
   * @param steps T
   * @param batches the batch of each step
   * @param mean whether χ is divided by the batch size
   * @param su row samples S_u
   * @param sv column samples S_v
   * @param rng this replicate's generator
   * @param threads worker threads
   * @param listener called after every step
   * @param recorded the steps to return, ascending, starting with 0
   * @return f[k][a] at step recorded[k], a in [0, M)
   * @throws CancellationException when the calling thread is interrupted
   */
  public double[][] run(
      double[] f0, double[] target, Rule rule, Rates rates, int steps, BatchSource batches, boolean mean, int su,
      int sv, SplittableRandom rng, int threads, StepListener listener, int[] recorded) {
    List<Kets.Group> gs = groups(su, sv, !rule.sgd(), rng);
    double[][] f = new double[recorded.length][];
    f[0] = f0.clone();
    int kept = 1;
    double[] cur = f0.clone();
    ExecutorService pool = threads > 1 ? Executors.newFixedThreadPool(threads, r -> {
      Thread t = new Thread(r, "ntk4j-simulator");
      t.setDaemon(true);
      return t;
    }) : null;
    try {
      for (int t = 0; t < steps; t++) {
        if (Thread.currentThread().isInterrupted()) {
          throw new CancellationException("simulation cancelled: the calling thread was interrupted");
        }
        int[] batch = batches.at(t);
        double[] chi = new double[batch.length];
        for (int k = 0; k < batch.length; k++) {
          chi[k] = cur[batch[k]] - target[batch[k]];
          if (mean) {
            chi[k] /= batch.length;
          }
        }
        double lr = rates.at(t);
        double[] next = cur.clone();
        if (lr != 0) {
          double[] delta = step(gs, batch, chi, t, rule, pool);
          for (int a = 0; a < m; a++) {
            next[a] -= lr * delta[a];
          }
        }
        for (double value : next) {
          if (!Double.isFinite(value)) {
            throw new io.github.ntk4j.NumericalException(
                "simulation: an output is not finite after step " + (t + 1) + "; lower the learning rate");
          }
        }
        cur = next;
        if (kept < recorded.length && recorded[kept] == t + 1) {
          f[kept++] = next;
        }
        listener.stepDone();
      }
    } finally {
      if (pool != null) {
        pool.shutdownNow();
      }
    }
    return f;
  }

  /** Σ_g c_g·(weight)·Σ_{α,β} U_{αa}·Q_{αβ}·V_{βa} for every point a, summed in a fixed order. */
  private double[] step(List<Kets.Group> gs, int[] batch, double[] chi, int t, Rule rule, ExecutorService pool) {
    int nb = batch.length;
    List<double[]> partials = new ArrayList<>();
    List<Runnable> tasks = new ArrayList<>();
    double bc1 = 1 - Math.pow(rule.beta1(), t + 1);
    double bc2 = 1 - Math.pow(rule.beta2(), t + 1);
    for (Kets.Group g : gs) {
      double[] uChi = new double[g.rowsU * nb];
      for (int a = 0; a < g.rowsU; a++) {
        for (int k = 0; k < nb; k++) {
          uChi[a * nb + k] = (g.u == null ? 1 : g.u[a * m + batch[k]]) * chi[k];
        }
      }
      double[] vBt = new double[nb * g.rowsV];
      for (int k = 0; k < nb; k++) {
        for (int b = 0; b < g.rowsV; b++) {
          vBt[k * g.rowsV + b] = g.v == null ? 1 : g.v[b * m + batch[k]];
        }
      }
      for (int a0 = 0; a0 < g.rowsU; a0 += CHUNK) {
        int from = a0;
        int to = Math.min(g.rowsU, a0 + CHUNK);
        double[] out = new double[m];
        partials.add(out);
        tasks.add(() -> chunk(g, from, to, uChi, nb, vBt, rule, bc1, bc2, out));
      }
    }
    runAll(tasks, pool);
    double[] delta = new double[m];
    int p = 0;
    for (Kets.Group g : gs) {
      double[] sum = new double[m];
      for (int a0 = 0; a0 < g.rowsU; a0 += CHUNK) {
        double[] part = partials.get(p++);
        for (int a = 0; a < m; a++) {
          sum[a] += part[a];
        }
      }
      double scale = g.c * weight(g);
      for (int a = 0; a < m; a++) {
        delta[a] += scale * sum[a];
      }
    }
    return delta;
  }

  /** 1/S_u·1/S_v, the mean over the sample pairs (input weights: summed over the coordinates). */
  private static double weight(Kets.Group g) {
    return 1.0 / g.rowsU / (g.input ? 1 : g.rowsV);
  }

  private void chunk(
      Kets.Group g, int a0, int a1, double[] uChi, int nb, double[] vBt, Rule rule, double bc1, double bc2, double[] out) {
    int rows = a1 - a0;
    int rv = g.rowsV;
    double[] q = new double[rows * rv];
    Gram.tile(uChi, nb, vBt, rv, a0, a1, 0, rv, q);
    double c = g.c;
    int base = a0 * rv;
    for (int e = 0; e < q.length; e++) {
      q[e] = rule.update(c * q[e], g.first, g.second, base + e, bc1, bc2);
    }
    // R = Q·V (rows × M), then Σ_α U_{αa}·R_{αa}.
    if (g.v == null) {
      for (int a = 0; a < rows; a++) {
        double r = q[a * rv];
        for (int k = 0; k < m; k++) {
          out[k] += (g.u == null ? 1 : g.u[(a0 + a) * m + k]) * r;
        }
      }
      return;
    }
    double[] r = new double[rows * m];
    Gram.tile(q, rv, g.v, m, 0, rows, 0, m, r);
    for (int a = 0; a < rows; a++) {
      for (int k = 0; k < m; k++) {
        out[k] += (g.u == null ? 1 : g.u[(a0 + a) * m + k]) * r[a * m + k];
      }
    }
  }

  private static void runAll(List<Runnable> tasks, ExecutorService pool) {
    if (pool == null || tasks.size() == 1) {
      tasks.forEach(Runnable::run);
      return;
    }
    List<Future<?>> fs = new ArrayList<>();
    for (Runnable r : tasks) {
      fs.add(pool.submit(r));
    }
    try {
      for (Future<?> f : fs) {
        f.get();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new CancellationException("simulation cancelled: the calling thread was interrupted");
    } catch (ExecutionException e) {
      throw Causes.unchecked(e.getCause());
    }
  }
}
