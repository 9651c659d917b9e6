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

  /** The layers in sequence. */
  public static Serial serial(Layer... layers) {
    return new Serial(List.of(layers));
  }
}
