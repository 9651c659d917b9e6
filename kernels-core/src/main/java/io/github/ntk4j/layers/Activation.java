package io.github.ntk4j.layers;

import io.github.ntk4j.internal.Angles;

/**
 * An elementwise nonlinearity φ, described by its dual maps.
 *
 * <p>Let (u, v) be a centred Gaussian pair with covariance [[q1, Σ], [Σ, q2]]. The layer maps the
 * NNGP Σ to T(Σ; q1, q2) = E[φ(u)φ(v)] and the NTK Θ to Ṫ(Σ; q1, q2)·Θ with
 * Ṫ = E[φ'(u)φ'(v)] (arXiv 1711.00165, arXiv 1806.07572; shared/math/kernels.md §1.5). An
 * activation must directly follow a {@link Dense} layer, whose output is Gaussian.
 */
public sealed interface Activation extends Layer
    permits Relu, AbRelu, Erf, LeakyRelu, Abs, Identity, Gelu, Sin, Cos, Exp, Gaussian, Rbf, Sign, Step, Monomial,
        Elementwise {

  /**
   * Applies the dual maps to a block of kernel entries that share the first point.
   *
   * <p>For k in [0, length): with Σ = {@code covariance[k]}, s = {@code sine[k]} and
   * q2 = {@code variances2[offset + k]}, sets {@code covariance[k]} to T(Σ; q1, q2) and multiplies
   * {@code ntk[k]} by Ṫ(Σ; q1, q2). The caller supplies s = √max(q1·q2 − Σ², 0), computed as
   * accurately as it can (see shared/math/kernels.md §4): closed forms take the angle
   * θ = atan2(s, Σ) from it instead of recomputing it from rounded values.
   *
   * @param covariance Σ of each entry on entry; T on return (modified)
   * @param sine s of each entry (not modified)
   * @param ntk Θ of each entry on entry; Ṫ·Θ on return (modified); may be {@code null} when only
   *     the NNGP is needed
   * @param variance1 q1, the variance of the first point entering this layer (not modified)
   * @param variances2 the variances of the second points (not modified)
   * @param offset index in {@code variances2} of the variance of entry 0
   * @param length number of entries
   */
  void applyToEntries(
      double[] covariance,
      double[] sine,
      double[] ntk,
      double variance1,
      double[] variances2,
      int offset,
      int length);

  /**
   * φ(x), the activation itself, as a finite-width network applies it.
   *
   * @param x a pre-activation
   * @return φ(x)
   */
  double apply(double x);

  /**
   * φ'(x), the derivative backpropagation uses (at a kink, the right derivative: relu'(0) = 0 is the
   * left one; see each layer).
   *
   * @param x a pre-activation
   * @return φ'(x)
   */
  double derivative(double x);

  /**
   * T(q; q, q): the variance of φ(u) for u ~ N(0, q), q ≥ 0.
   *
   * @param variance q ≥ 0
   * @return T(q; q, q)
   */
  double dualOfVariance(double variance);

  /**
   * Ṫ(q; q, q) = E[φ'(u)²] for u ~ N(0, q), q ≥ 0.
   *
   * @param variance q ≥ 0
   * @return Ṫ(q; q, q)
   */
  double dualDerivativeOfVariance(double variance);

  /**
   * s' = √max(T(q1)·T(q2) − T(Σ)², 0), the sine of the layer's output pair. Callers use it where
   * that determinant has lost digits to cancellation (the output pair is nearly collinear); an
   * activation with a cancellation-free form overrides it. The default evaluates the determinant of
   * the outputs with compensated arithmetic: exact (0) for identical points, accurate to about
   * √ε relative otherwise.
   *
   * @param covariance Σ of the input pair
   * @param sine s of the input pair
   * @param outVariance1 T(q1; q1, q1)
   * @param outVariance2 T(q2; q2, q2)
   * @param outCovariance T(Σ; q1, q2)
   * @return s' ≥ 0
   */
  default double outputSine(
      double covariance, double sine, double outVariance1, double outVariance2, double outCovariance) {
    return Angles.sine(outVariance1, outVariance2, outCovariance);
  }

  /**
   * T(Σ; q1, q2) = E[φ(u)φ(v)]; see {@link #applyToEntries}.
   *
   * @param covariance Σ, with Σ² ≤ q1·q2
   * @param variance1 q1 ≥ 0
   * @param variance2 q2 ≥ 0
   * @return T(Σ; q1, q2)
   */
  default double dual(double covariance, double variance1, double variance2) {
    double[] c = {covariance};
    double[] s = {Angles.sine(variance1, variance2, covariance)};
    applyToEntries(c, s, null, variance1, new double[] {variance2}, 0, 1);
    return c[0];
  }

  /**
   * Ṫ(Σ; q1, q2) = E[φ'(u)φ'(v)]; see {@link #applyToEntries}.
   *
   * @param covariance Σ, with Σ² ≤ q1·q2
   * @param variance1 q1 ≥ 0
   * @param variance2 q2 ≥ 0
   * @return Ṫ(Σ; q1, q2)
   */
  default double dualDerivative(double covariance, double variance1, double variance2) {
    double[] c = {covariance};
    double[] s = {Angles.sine(variance1, variance2, covariance)};
    double[] t = {1.0};
    applyToEntries(c, s, t, variance1, new double[] {variance2}, 0, 1);
    return t[0];
  }
}
