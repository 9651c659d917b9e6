package io.github.ntk4j.layers;

/** Validation and canonical formatting of layer parameters. */
final class Numbers {
  private Numbers() {}

  /** Returns v with −0.0 turned into 0.0, or throws when v is not finite. */
  static double requireFinite(String layer, String name, double v) {
    if (!Double.isFinite(v)) {
      throw new IllegalArgumentException(layer + ": " + name + " must be finite, got " + v);
    }
    return v + 0.0;
  }

  /** Returns v with −0.0 turned into 0.0, or throws when v is negative or not finite. */
  static double requireNonNegative(String layer, String name, double v) {
    if (!(v >= 0) || !Double.isFinite(v)) {
      throw new IllegalArgumentException(
          layer + ": " + name + " must be a finite number >= 0, got " + v);
    }
    return v + 0.0;
  }

  /**
   * The shortest decimal string that reads back to exactly {@code v}, without a trailing ".0" for
   * integers ({@code 1.5}, {@code 2}, {@code 1.0E-5}).
   */
  static String format(double v) {
    String s = Double.toString(v);
    return s.endsWith(".0") ? s.substring(0, s.length() - 2) : s;
  }
}
