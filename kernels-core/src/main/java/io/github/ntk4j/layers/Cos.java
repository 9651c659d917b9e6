package io.github.ntk4j.layers;

/**
 * φ(x) = a·cos(b·x + c) (shared/math/kernels.md §2.4; neural-tangents' {@code Cos}). With
 * d∓ = q1 + q2 ∓ 2Σ and φ₀ the phase (c + Math.PI / 2):
 *
 * <pre>
 *   T = (a²/2)·(e^{−b²·d₋/2} − e^{−b²·d₊/2}·cos 2φ₀),   Ṫ = (a²b²/2)·(e^{−b²·d₋/2} + e^{−b²·d₊/2}·cos 2φ₀)
 *   T(q; q, q) = (a²/2)·(1 − e^{−2b²q}·cos 2φ₀)
 * </pre>
 *
 * String form {@code cos(a, b, c)}; {@code cos()} is {@code cos(1, 1, 0)}.
 *
 * @param a amplitude (finite)
 * @param b frequency (finite)
 * @param c phase (finite)
 */
public record Cos(double a, double b, double c) implements Activation {

  /**
   * Validates the parameters.
   *
   * @param a amplitude (finite)
   * @param b frequency (finite)
   * @param c phase (finite)
   * @throws IllegalArgumentException when a value is out of its range, naming it
   */
  public Cos {
    a = Numbers.requireFinite("cos", "a", a);
    b = Numbers.requireFinite("cos", "b", b);
    c = Numbers.requireFinite("cos", "c", c);
  }

  private double phase() {
    return c + Math.PI / 2;
  }

  @Override
  public void applyToEntries(
      double[] covariance, double[] sine, double[] ntk, double variance1, double[] variances2, int offset, int length) {
    Trigonometric.applyToEntries(a, b, phase(), covariance, sine, ntk, variance1, variances2, offset, length);
  }

  @Override
  public double dualOfVariance(double variance) {
    return EntryMaps.diagonal(this, variance);
  }

  @Override
  public double dualDerivativeOfVariance(double variance) {
    return EntryMaps.diagonalDerivative(this, variance);
  }

  /** a·cos(b·x + c). */
  @Override
  public double apply(double x) {
    return a * Math.cos(b * x + c);
  }

  /** The derivative of a·cos(b·x + c). */
  @Override
  public double derivative(double x) {
    return -a * b * Math.sin(b * x + c);
  }

  @Override
  public String toString() {
    return "cos(" + Numbers.format(a) + ", " + Numbers.format(b) + ", " + Numbers.format(c) + ")";
  }
}
