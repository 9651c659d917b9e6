package io.github.ntk4j.layers;

import java.util.List;

/**
 * Static factories for layers, mirroring neural-tangents' {@code stax}.
 *
 * <pre>{@code
 * Layer net = Layers.serial(Layers.dense(1.5, 0.05), Layers.relu(), Layers.dense(1.5, 0.05));
 * }</pre>
 */
public final class Layers {
  private Layers() {}

  /**
   * {@code dense(weightStd, 0)}: a Dense layer without bias, NTK parameterization.
   *
   * @param weightStd σw ≥ 0
   * @return the layer
   */
  public static Dense dense(double weightStd) {
    return new Dense(weightStd, 0);
  }

  /**
   * {@code dense(weightStd, biasStd)} in the NTK parameterization.
   *
   * @param weightStd σw ≥ 0
   * @param biasStd σb ≥ 0
   * @return the layer
   */
  public static Dense dense(double weightStd, double biasStd) {
    return new Dense(weightStd, biasStd);
  }

  /**
   * The rectifier max(x, 0).
   *
   * @return the layer
   */
  public static Relu relu() {
    return new Relu();
  }

  /**
   * a·min(x, 0) + b·max(x, 0).
   *
   * @param a the slope for negative inputs
   * @param b the slope for positive inputs
   * @return the layer
   */
  public static AbRelu abrelu(double a, double b) {
    return new AbRelu(a, b);
  }

  /**
   * erf(x).
   *
   * @return the layer
   */
  public static Erf erf() {
    return new Erf();
  }

  /**
   * a·erf(b·x) + c.
   *
   * @param a the output scale
   * @param b the input scale
   * @param c the output shift
   * @return the layer
   */
  public static Erf erf(double a, double b, double c) {
    return new Erf(a, b, c);
  }

  /**
   * α·min(x, 0) + max(x, 0).
   *
   * @param alpha the slope α for negative inputs
   * @return the layer
   */
  public static LeakyRelu leakyRelu(double alpha) {
    return new LeakyRelu(alpha);
  }

  /**
   * |x|.
   *
   * @return the layer
   */
  public static Abs abs() {
    return new Abs();
  }

  /**
   * x.
   *
   * @return the layer
   */
  public static Identity identity() {
    return new Identity();
  }

  /**
   * x·Φ(x), the exact GELU.
   *
   * @return the layer
   */
  public static Gelu gelu() {
    return new Gelu();
  }

  /**
   * a·sin(b·x + c).
   *
   * @param a the amplitude
   * @param b the frequency
   * @param c the phase
   * @return the layer
   */
  public static Sin sin(double a, double b, double c) {
    return new Sin(a, b, c);
  }

  /**
   * a·cos(b·x + c).
   *
   * @param a the amplitude
   * @param b the frequency
   * @param c the phase
   * @return the layer
   */
  public static Cos cos(double a, double b, double c) {
    return new Cos(a, b, c);
  }

  /**
   * a·e^{b·x}.
   *
   * @param a the scale
   * @param b the rate
   * @return the layer
   */
  public static Exp exp(double a, double b) {
    return new Exp(a, b);
  }

  /**
   * a·e^{b·x²}.
   *
   * @param a the scale
   * @param b the rate (a negative b gives a bump)
   * @return the layer
   */
  public static Gaussian gaussian(double a, double b) {
    return new Gaussian(a, b);
  }

  /**
   * √2·sin(√(2γ)·x + π/4): the RBF kernel after a Dense layer.
   *
   * @param gamma γ &gt; 0
   * @return the layer
   */
  public static Rbf rbf(double gamma) {
    return new Rbf(gamma);
  }

  /**
   * sign(x).
   *
   * @return the layer
   */
  public static Sign sign() {
    return new Sign();
  }

  /**
   * 1 for x &gt; 0, else 0.
   *
   * @return the layer
   */
  public static Step step() {
    return new Step();
  }

  /**
   * x^k, 0 ≤ k ≤ 5.
   *
   * @param k the degree, 0 to 5
   * @return the layer
   */
  public static Monomial monomial(int k) {
    return new Monomial(k);
  }

  /**
   * Any activation φ with derivative φ', by Gauss–Hermite quadrature (order 25; see {@link Elementwise}).
   *
   * @param name the name used in the architecture's string
   * @param function φ
   * @param derivative φ'
   * @return the layer
   */
  public static Elementwise elementwise(
      String name, java.util.function.DoubleUnaryOperator function, java.util.function.DoubleUnaryOperator derivative) {
    return Elementwise.of(name, function, derivative);
  }

  /**
   * A fixed multiplier c of the signal.
   *
   * @param c the multiplier (finite)
   * @return the layer
   */
  public static Scale scale(double c) {
    return new Scale(c);
  }

  /**
   * A trained bias of std σb, without weights.
   *
   * @param biasStd σb ≥ 0
   * @return the layer
   */
  public static Bias bias(double biasStd) {
    return new Bias(biasStd);
  }

  /**
   * Layer normalization over the features of the previous dense layer.
   *
   * @return the layer
   */
  public static LayerNorm layerNorm() {
    return new LayerNorm();
  }

  /**
   * The branches side by side, their outputs summed (a residual block has an identity() branch).
   *
   * @param branches the branches, at least one
   * @return the layer
   */
  public static Parallel parallelSum(Layer... branches) {
    return new Parallel(List.of(branches), Parallel.FanIn.SUM);
  }

  /**
   * The branches side by side, their features concatenated.
   *
   * @param branches the branches, at least one
   * @return the layer
   */
  public static Parallel parallelConcat(Layer... branches) {
    return new Parallel(List.of(branches), Parallel.FanIn.CONCAT);
  }

  /**
   * The layers in sequence.
   *
   * @param layers the layers, first applied first; at least one
   * @return the layer
   */
  public static Serial serial(Layer... layers) {
    return new Serial(List.of(layers));
  }
}
