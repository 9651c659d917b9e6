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

  /** {@code dense(weightStd, 0)}: a Dense layer without bias, NTK parameterization. */
  public static Dense dense(double weightStd) {
    return new Dense(weightStd, 0);
  }

  /** {@code dense(weightStd, biasStd)} in the NTK parameterization. */
  public static Dense dense(double weightStd, double biasStd) {
    return new Dense(weightStd, biasStd);
  }

  /** The rectifier max(x, 0). */
  public static Relu relu() {
    return new Relu();
  }

  /** a·min(x, 0) + b·max(x, 0). */
  public static AbRelu abrelu(double a, double b) {
    return new AbRelu(a, b);
  }

  /** erf(x). */
  public static Erf erf() {
    return new Erf();
  }

  /** a·erf(b·x) + c. */
  public static Erf erf(double a, double b, double c) {
    return new Erf(a, b, c);
  }

  /** α·min(x, 0) + max(x, 0). */
  public static LeakyRelu leakyRelu(double alpha) {
    return new LeakyRelu(alpha);
  }

  /** |x|. */
  public static Abs abs() {
    return new Abs();
  }

  /** x. */
  public static Identity identity() {
    return new Identity();
  }

  /** x·Φ(x), the exact GELU. */
  public static Gelu gelu() {
    return new Gelu();
  }

  /** a·sin(b·x + c). */
  public static Sin sin(double a, double b, double c) {
    return new Sin(a, b, c);
  }

  /** a·cos(b·x + c). */
  public static Cos cos(double a, double b, double c) {
    return new Cos(a, b, c);
  }

  /** a·e^{b·x}. */
  public static Exp exp(double a, double b) {
    return new Exp(a, b);
  }

  /** a·e^{b·x²}. */
  public static Gaussian gaussian(double a, double b) {
    return new Gaussian(a, b);
  }

  /** √2·sin(√(2γ)·x + π/4): the RBF kernel after a Dense layer. */
  public static Rbf rbf(double gamma) {
    return new Rbf(gamma);
  }

  /** sign(x). */
  public static Sign sign() {
    return new Sign();
  }

  /** 1 for x &gt; 0, else 0. */
  public static Step step() {
    return new Step();
  }

  /** x^k, 0 ≤ k ≤ 5. */
  public static Monomial monomial(int k) {
    return new Monomial(k);
  }

  /** Any activation φ with derivative φ', by Gauss–Hermite quadrature (order 25; see {@link Elementwise}). */
  public static Elementwise elementwise(
      String name, java.util.function.DoubleUnaryOperator function, java.util.function.DoubleUnaryOperator derivative) {
    return Elementwise.of(name, function, derivative);
  }

  /** A fixed multiplier c of the signal. */
  public static Scale scale(double c) {
    return new Scale(c);
  }

  /** A trained bias of std σb, without weights. */
  public static Bias bias(double biasStd) {
    return new Bias(biasStd);
  }

  /** Layer normalization over the features of the previous dense layer. */
  public static LayerNorm layerNorm() {
    return new LayerNorm();
  }

  /** The branches side by side, their outputs summed (a residual block has an identity() branch). */
  public static Parallel parallelSum(Layer... branches) {
    return new Parallel(List.of(branches), Parallel.FanIn.SUM);
  }

  /** The branches side by side, their features concatenated. */
  public static Parallel parallelConcat(Layer... branches) {
    return new Parallel(List.of(branches), Parallel.FanIn.CONCAT);
  }

  /** The layers in sequence. */
  public static Serial serial(Layer... layers) {
    return new Serial(List.of(layers));
  }
}
