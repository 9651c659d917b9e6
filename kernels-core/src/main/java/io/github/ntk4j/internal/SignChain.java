package io.github.ntk4j.internal;

import io.github.ntk4j.layers.Activation;
import io.github.ntk4j.layers.Layer;

/**
 * An MLP compiled for the batch-size-1 SignSGD kernel (shared/math/adaptive-limits.md §4):
 * serial(dense¹, φ¹, dense², …, φ^L, dense^{L+1}) in the NTK parameterization, with an identity
 * inserted between two consecutive Dense layers.
 *
 * <p>Per entry (a, b) it runs the NNGP chain with a {@link Chain.Trace} (Σˡ, sˡ, Ṫˡ at every hidden
 * layer), then the backward covariances Πˡ_ab and the sum over parameter groups
 *
 * <pre>
 *   K[a][b] = (σw¹/√d)·B¹·Σ_k x_{a,k}·sign x_{b,k} + Σ_{l=2}^{L+1} σwˡ·Bˡ·F^{l−1} + Σ_{l=1}^{L+1} σbˡ·Bˡ
 *   Bˡ = Gˡ·√(2/π)·Πˡ_ab/√Πˡ_bb  (B^{L+1} = 1),   Π^L = σw^{L+1}²,   Πˡ = σw^{l+1}²·Ṫ^{l+1}·Π^{l+1}
 * </pre>
 */
public final class SignChain {
  private static final double ROOT_TWO_OVER_PI = Math.sqrt(2 / Math.PI);

  private final Chain chain;
  private final int hidden;
  private final double[] weightStd;
  private final double[] biasStd;
  private final Activation[] activations;
  /** Closed forms of hidden layer l = 1..L (index 0 unused). */
  private final SignDuals[] duals;

  private SignChain(Mlp mlp, SignDuals[] duals) {
    this.chain = mlp.chain;
    this.hidden = mlp.hidden;
    this.weightStd = mlp.weightStd;
    this.biasStd = mlp.biasStd;
    this.activations = mlp.activations;
    this.duals = duals;
  }

  /**
   * Compiles {@code architecture} for inputs of dimension {@code inputDim}.
   *
   * @throws IllegalArgumentException naming the layer when the architecture is not an MLP ending in a
   *     Dense layer, uses the standard parameterization, or has an activation without closed forms
   */
  public static SignChain compile(Layer architecture, int inputDim) {
    Mlp mlp = Mlp.of(architecture, inputDim, "sign-ntk");
    SignDuals[] duals = new SignDuals[mlp.hidden + 1];
    for (int l = 1; l <= mlp.hidden; l++) {
      Activation a = mlp.activations[l];
      duals[l] =
          SignDuals.of(a)
              .orElseThrow(
                  () ->
                      new IllegalArgumentException(
                          "sign-ntk: layer " + a + " has no closed-form SignSGD kernel (closed forms exist for"
                              + " relu, abrelu, leakyrelu, abs, identity and erf(a, b, 0)); use the Monte Carlo simulator"
                              + " (AdaptiveLimit.simulate) with a small epsilon instead"));
    }
    return new SignChain(mlp, duals);
  }

  /** The NNGP chain with identities inserted. */
  public Chain chain() {
    return chain;
  }

  /** Number of hidden layers L. */
  public int hidden() {
    return hidden;
  }

  private static int stage(int l) {
    return Mlp.stage(l);
  }

  /**
   * Πˡ_bb of every point, l = 1..L, from the per-point variances {@code v} of {@link Chain#variances}.
   *
   * @return {@code pi[l][j]} (row 0 unused)
   */
  double[][] backwardDiagonal(double[][] v) {
    int n = v[0].length;
    double[][] pi = new double[hidden + 1][];
    for (int l = hidden; l >= 1; l--) {
      double w2 = weightStd[l + 1] * weightStd[l + 1];
      double[] p = new double[n];
      for (int j = 0; j < n; j++) {
        p[j] = l == hidden ? w2 : w2 * activations[l + 1].dualDerivativeOfVariance(v[stage(l + 1)][j]) * pi[l + 1][j];
      }
      pi[l] = p;
    }
    return pi;
  }

  /**
   * The kernel entries K[i][j0 + k], k in [0, len), from a traced chain run.
   *
   * @param trace the trace of {@link Chain#entries} for the block (not modified)
   * @param inputSign x_i·sign(x_j) for each entry, at {@code inputSign[signOffset + k]} (not modified)
   * @param v1 per-point variances of the first set
   * @param v2 per-point variances of the second set
   * @param pi2 {@link #backwardDiagonal} of the second set
   * @param out receives the entries at {@code out[outOffset + k]} (modified)
   * @param piAb scratch of length L + 1
   */
  void entries(
      Chain.Trace trace, double[] inputSign, int signOffset, double[][] v1, int i, double[][] v2, int j0, int len,
      double[][] pi2, double[] out, int outOffset, double[] piAb, int inputDim) {
    double inputScale = weightStd[1] / Math.sqrt(inputDim);
    double w2Readout = weightStd[hidden + 1] * weightStd[hidden + 1];
    for (int k = 0; k < len; k++) {
      int j = j0 + k;
      // Backward: Π^L = σw^{L+1}², Πˡ = σw^{l+1}²·Ṫ^{l+1}·Π^{l+1}.
      for (int l = hidden; l >= 1; l--) {
        piAb[l] = l == hidden ? w2Readout : weightStd[l + 1] * weightStd[l + 1] * trace.derivative[stage(l + 1)][k] * piAb[l + 1];
      }
      double input = 0;
      double weights = 0;
      double biases = 0;
      double fPrevious = 0;
      for (int l = 1; l <= hidden + 1; l++) {
        double bl;
        if (l <= hidden) {
          int st = stage(l);
          double sg = trace.sigma[st][k];
          double sn = trace.sine[st][k];
          double qa = v1[st][i];
          double qb = v2[st][j];
          double piB = pi2[l][j];
          bl = piB == 0 ? 0 : duals[l].g(sg, sn, qa, qb) * ROOT_TWO_OVER_PI * piAb[l] / Math.sqrt(piB);
          if (l == 1) {
            input = inputScale * bl * inputSign[signOffset + k];
          } else {
            weights += weightStd[l] * bl * fPrevious;
          }
          fPrevious = duals[l].f(sg, sn, qa, qb);
        } else {
          bl = 1;
          if (l == 1) {
            input = inputScale * inputSign[signOffset + k];
          } else {
            weights += weightStd[l] * fPrevious;
          }
        }
        biases += biasStd[l] * bl;
      }
      out[outOffset + k] = input + weights + biases;
    }
  }

  /**
   * The n1×n2 kernel K[i][j] of the rows of {@code x1} (moving) and {@code x2} (stepped on), both
   * row-major with d columns, on {@code threads} threads; the result is allocated only after the
   * engine has checked that it fits in the heap.
   */
  public double[] compute(
      double[] x1, int n1, double[] x2, int n2, int d, int threads, int tileSize, CpuEngine.Progress progress) {
    double[] signT = new double[n2 * d];
    for (int j = 0; j < n2; j++) {
      for (int c = 0; c < d; c++) {
        signT[c * n2 + j] = Math.signum(x2[j * d + c]);
      }
    }
    Sink sink = new Sink(x1, n1, n2, d, signT);
    CpuEngine.forEachRow(chain, x1, n1, x2, n2, d, threads, tileSize, progress, sink, "sign-ntk");
    return sink.out;
  }

  private final class Sink implements CpuEngine.RowSink<Sink.Scratch> {
    private final double[] x1;
    private final int n1;
    private final int n2;
    private final int d;
    private final double[] signT;
    private double[] out;
    private double[][] v1;
    private double[][] v2;
    private double[][] pi2;

    Sink(double[] x1, int n1, int n2, int d, double[] signT) {
      this.x1 = x1;
      this.n1 = n1;
      this.n2 = n2;
      this.d = d;
      this.signT = signT;
    }

    final class Scratch {
      final double[] products;
      final Chain.Workspace workspace;
      final Chain.Trace trace;
      final double[] piAb = new double[hidden + 2];
      int i0;
      int j0;
      int w;

      Scratch(int tile) {
        products = new double[tile * tile];
        workspace = new Chain.Workspace(tile);
        trace = new Chain.Trace(chain, tile);
      }
    }

    @Override
    public void start(double[][] variances1, double[][] variances2) {
      this.v1 = variances1;
      this.v2 = variances2;
      this.pi2 = backwardDiagonal(variances2);
      this.out = new double[n1 * n2];
    }

    @Override
    public Scratch workspace(int tile) {
      return new Scratch(tile);
    }

    @Override
    public void beginTile(int i0, int i1, int j0, int w, Scratch s) {
      Gram.tile(x1, d, signT, n2, i0, i1, j0, w, s.products);
      s.i0 = i0;
      s.j0 = j0;
      s.w = w;
    }

    @Override
    public boolean row(int i, int js, int len, double[] sigma, double[] sine, Scratch s) {
      chain.entries(sigma, sine, null, v1, i, v2, js, len, s.workspace, s.trace);
      int row = i * n2 + js;
      entries(s.trace, s.products, (i - s.i0) * s.w + (js - s.j0), v1, i, v2, js, len, pi2, out, row, s.piAb, d);
      boolean finite = true;
      for (int k = 0; k < len; k++) {
        finite &= Double.isFinite(out[row + k]);
      }
      return finite;
    }
  }
}
