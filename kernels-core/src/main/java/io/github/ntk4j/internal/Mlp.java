package io.github.ntk4j.internal;

import io.github.ntk4j.layers.AbRelu;
import io.github.ntk4j.layers.Activation;
import io.github.ntk4j.layers.Dense;
import io.github.ntk4j.layers.Layer;
import io.github.ntk4j.layers.Parameterization;
import io.github.ntk4j.layers.Serial;
import java.util.ArrayList;
import java.util.List;

/**
 * An architecture read as the MLP of the adaptive limits (shared/math/adaptive-limits.md §1):
 * serial(dense¹, φ¹, dense², …, φ^L, dense^{L+1}) in the NTK parameterization, with an identity
 * inserted between two consecutive Dense layers. Hidden layers are numbered l = 1..L; the activation
 * of hidden layer l is chain stage 2l − 1 and its pre-activation variance is
 * {@code variances[2l − 1]} of {@link Chain#variances}.
 */
public final class Mlp {
  /** The NNGP chain with identities inserted. */
  public final Chain chain;
  /** Number of hidden layers L. */
  public final int hidden;
  /** σwˡ for l = 1..L+1 (index 0 unused). */
  public final double[] weightStd;
  /** σbˡ for l = 1..L+1 (index 0 unused). */
  public final double[] biasStd;
  /** φˡ for l = 1..L (index 0 unused). */
  public final Activation[] activations;
  /** The input dimension d. */
  public final int inputDim;

  private Mlp(Chain chain, double[] weightStd, double[] biasStd, Activation[] activations, int inputDim) {
    this.chain = chain;
    this.hidden = activations.length - 1;
    this.weightStd = weightStd;
    this.biasStd = biasStd;
    this.activations = activations;
    this.inputDim = inputDim;
  }

  /**
   * Reads {@code architecture} for inputs of dimension {@code inputDim}.
   *
   * @param what the computation, first word of error messages
   * @throws IllegalArgumentException naming the layer when the architecture does not end with a
   *     Dense layer or uses the standard parameterization
   */
  public static Mlp of(Layer architecture, int inputDim, String what) {
    List<Layer> flat = new ArrayList<>();
    Chain.flatten(architecture, flat);
    if (flat.isEmpty() || !(flat.get(flat.size() - 1) instanceof Dense)) {
      throw new IllegalArgumentException(
          what + ": the architecture must end with a dense layer (the readout), but " + architecture + " ends with "
              + (flat.isEmpty() ? "nothing" : flat.get(flat.size() - 1)));
    }
    List<Layer> normalized = new ArrayList<>();
    List<Double> w = new ArrayList<>(List.of(0.0));
    List<Double> b = new ArrayList<>(List.of(0.0));
    List<Activation> acts = new ArrayList<>();
    acts.add(null);
    Layer previous = null;
    for (int l = 0; l < flat.size(); l++) {
      Layer x = flat.get(l);
      if (x instanceof Dense d) {
        if (d.parameterization() != Parameterization.NTK) {
          throw new IllegalArgumentException(
              what + ": layer " + (l + 1) + " " + d + " uses the standard parameterization; the adaptive"
                  + " neural-tangent limits are defined for the NTK parameterization only");
        }
        if (previous instanceof Dense) {
          AbRelu identity = new AbRelu(1, 1);
          normalized.add(identity);
          acts.add(identity);
        }
        w.add(d.weightStd());
        b.add(d.biasStd());
      } else if (x instanceof Activation a) {
        if (!(previous instanceof Dense)) {
          throw new IllegalArgumentException(
              what + ": layer " + (l + 1) + " " + a + " follows " + previous + "; the adaptive limits need an MLP"
                  + " with one activation after each hidden dense layer");
        }
        acts.add(a);
      } else {
        throw new IllegalArgumentException(
            what + ": layer " + (l + 1) + " " + x + " is not supported: the adaptive limits are defined for MLPs of"
                + " dense layers and activations");
      }
      normalized.add(x);
      previous = x;
    }
    Chain chain = Chain.compile(new Serial(normalized), inputDim);
    return new Mlp(chain, toArray(w), toArray(b), acts.toArray(new Activation[0]), inputDim);
  }

  /** Chain stage of the activation of hidden layer l (1-based). */
  public static int stage(int l) {
    return 2 * l - 1;
  }

  /**
   * The layer kernels on M points (shared/math/adaptive-limits.md §2), each row-major M×M: Σˡ and
   * Ṫˡ for the hidden layers l = 1..L (index 0 unused) and the output NNGP Σ^{L+1}.
   */
  public record LayerKernels(int m, double[][] sigma, double[][] derivative, double[] output) {}

  /** Per-thread scratch of {@link #layerKernels}. */
  private record Scratch(Chain.Workspace workspace, Chain.Trace trace) {}

  /** Computes {@link LayerKernels} of the rows of {@code x} (row-major m×d) on {@code threads} threads. */
  public LayerKernels layerKernels(double[] x, int m, int threads) {
    double[][] sigma = new double[hidden + 1][];
    double[][] derivative = new double[hidden + 1][];
    for (int l = 1; l <= hidden; l++) {
      sigma[l] = new double[m * m];
      derivative[l] = new double[m * m];
    }
    double[] output = new double[m * m];
    CpuEngine.RowSink<Scratch> sink =
        new CpuEngine.RowSink<>() {
          private double[][] v1;
          private double[][] v2;

          @Override
          public void start(double[][] variances1, double[][] variances2) {
            v1 = variances1;
            v2 = variances2;
          }

          @Override
          public Scratch workspace(int tile) {
            return new Scratch(new Chain.Workspace(tile), new Chain.Trace(chain, tile));
          }

          @Override
          public void beginTile(int i0, int i1, int j0, int w, Scratch ws) {}

          @Override
          public boolean row(int i, int js, int len, double[] sg, double[] sine, Scratch ws) {
            Chain.Trace trace = ws.trace();
            chain.entries(sg, sine, null, v1, i, v2, js, len, ws.workspace(), trace);
            boolean finite = true;
            for (int l = 1; l <= hidden; l++) {
              System.arraycopy(trace.sigma[stage(l)], 0, sigma[l], i * m + js, len);
              System.arraycopy(trace.derivative[stage(l)], 0, derivative[l], i * m + js, len);
            }
            for (int k = 0; k < len; k++) {
              output[i * m + js + k] = sg[k];
              finite &= Double.isFinite(sg[k]);
            }
            return finite;
          }
        };
    CpuEngine.forEachRow(chain, x, m, x, m, inputDim, threads, 128, (done, all) -> {}, sink, "layer kernel");
    return new LayerKernels(m, sigma, derivative, output);
  }

  private static double[] toArray(List<Double> v) {
    double[] a = new double[v.size()];
    for (int i = 0; i < a.length; i++) {
      a[i] = v.get(i);
    }
    return a;
  }
}
