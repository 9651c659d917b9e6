package io.github.ntk4j.internal;

import io.github.ntk4j.layers.Activation;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * The limiting feature laws of an MLP on a set of points (shared/math/adaptive-limits.md §2), and the
 * parameter groups the simulators draw from them. Each hidden layer l has the lower semi-definite
 * Cholesky factors of Σˡ (forward) and Πˡ (backward) over the points; the points are the M data
 * points ({@link NtSimulator}) or the (T+1)·M time-indexed virtual points ({@link
 * DecayedNtSimulator}).
 */
final class Kets {
  private final Mlp mlp;
  private final int points;
  private final double[][] sigmaRoot;
  private final double[][] piRoot;

  /**
   * @param sigmaRoot factors of Σˡ, l = 1..L (index 0 unused), each points×points
   * @param piRoot factors of Πˡ, l = 1..L (index 0 unused)
   */
  Kets(Mlp mlp, int points, double[][] sigmaRoot, double[][] piRoot) {
    this.mlp = mlp;
    this.points = points;
    this.sigmaRoot = sigmaRoot;
    this.piRoot = piRoot;
  }

  /** Samples of uˡ = φ'(hˡ)⊙zˡ, row-major S×points. */
  double[] backward(int l, int samples, SplittableRandom rng) {
    double[] h = NtSimulator.correlated(sigmaRoot[l], points, samples, rng.split());
    double[] z = NtSimulator.correlated(piRoot[l], points, samples, rng.split());
    Activation act = mlp.activations[l];
    for (int i = 0; i < h.length; i++) {
      h[i] = act.derivative(h[i]) * z[i];
    }
    return h;
  }

  /** Samples of φ(hˡ), row-major S×points. */
  double[] forward(int l, int samples, SplittableRandom rng) {
    double[] h = NtSimulator.correlated(sigmaRoot[l], points, samples, rng.split());
    Activation act = mlp.activations[l];
    for (int i = 0; i < h.length; i++) {
      h[i] = act.apply(h[i]);
    }
    return h;
  }

  /**
   * One parameter group: scale c, row features U (rowsU × points, null for the constant 1), column
   * features V (rowsV × points, null for 1; for the input weights the d × M input coordinates, whose
   * rows have stride M and which are summed, not averaged), and the optimizer state of each pair.
   */
  static final class Group {
    final double c;
    final double[] u;
    final int rowsU;
    final double[] v;
    final int rowsV;
    final boolean input;
    final double[] first;
    final double[] second;
    final double[] accumulated;

    Group(double c, double[] u, int rowsU, double[] v, int rowsV, boolean input, boolean adam, boolean accumulate) {
      this.c = c;
      this.u = u;
      this.rowsU = rowsU;
      this.v = v;
      this.rowsV = rowsV;
      this.input = input;
      this.first = adam ? new double[rowsU * rowsV] : null;
      this.second = adam ? new double[rowsU * rowsV] : null;
      this.accumulated = accumulate ? new double[rowsU * rowsV] : null;
    }
  }

  /**
   * The groups of math §2, each drawn with its own generators split from {@code rng} in a fixed order
   * (input weights, hidden and readout weights, biases); groups with a zero scale are left out.
   *
   * @param inputT the d × M input coordinates (transposed inputs)
   * @param adam whether each pair keeps Adam moments
   * @param accumulate whether each pair keeps an accumulated update (weight decay)
   */
  List<Group> groups(double[] inputT, int su, int sv, boolean adam, boolean accumulate, SplittableRandom rng) {
    List<Group> gs = new ArrayList<>();
    int hidden = mlp.hidden;
    int d = mlp.inputDim;
    double[] w = mlp.weightStd;
    double[] b = mlp.biasStd;
    // Input weights W¹: U = u¹ (or 1 without hidden layers), V = the d input coordinates, summed.
    if (w[1] != 0) {
      double[] u = hidden >= 1 ? backward(1, su, rng.split()) : null;
      gs.add(new Group(w[1] / Math.sqrt(d), u, u == null ? 1 : su, inputT, d, true, adam, accumulate));
    }
    for (int l = 2; l <= hidden + 1; l++) {
      if (w[l] != 0) {
        double[] u = l <= hidden ? backward(l, su, rng.split()) : null;
        double[] v = forward(l - 1, sv, rng.split());
        gs.add(new Group(w[l], u, u == null ? 1 : su, v, sv, false, adam, accumulate));
      }
    }
    for (int l = 1; l <= hidden + 1; l++) {
      if (b[l] != 0) {
        double[] u = l <= hidden ? backward(l, su, rng.split()) : null;
        gs.add(new Group(b[l], u, u == null ? 1 : su, null, 1, false, adam, accumulate));
      }
    }
    return gs;
  }
}
