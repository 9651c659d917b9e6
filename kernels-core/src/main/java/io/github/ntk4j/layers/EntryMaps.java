package io.github.ntk4j.layers;

/** Diagonal maps computed by the same operations as an entry with Σ = q1 = q2 = q and s = 0. */
final class EntryMaps {
  private EntryMaps() {}

  /** T(q; q, q) through {@link Activation#applyToEntries}, so duplicates agree bit for bit. */
  static double diagonal(Activation a, double q) {
    double[] c = {q};
    a.applyToEntries(c, new double[1], null, q, new double[] {q}, 0, 1);
    return c[0];
  }

  /** Ṫ(q; q, q) through {@link Activation#applyToEntries}. */
  static double diagonalDerivative(Activation a, double q) {
    double[] c = {q};
    double[] t = {1.0};
    a.applyToEntries(c, new double[1], t, q, new double[] {q}, 0, 1);
    return t[0];
  }
}
