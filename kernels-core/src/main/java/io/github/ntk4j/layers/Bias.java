package io.github.ntk4j.layers;

/**
 * A trained bias alone, with no weights: h' = h + σb·b with b standard normal per feature, so
 * Σ' = Σ + σb² and, the bias being trained (NTK parameterization), Θ' = Θ + σb². It keeps a Gaussian
 * input Gaussian. String form {@code bias(biasStd)}.
 *
 * @param biasStd σb ≥ 0
 */
public record Bias(double biasStd) implements Layer {

  /**
   * Validates σb.
   *
   * @param biasStd σb ≥ 0
   * @throws IllegalArgumentException when a value is out of its range, naming it
   */
  public Bias {
    biasStd = Numbers.requireNonNegative("bias", "biasStd", biasStd);
  }

  @Override
  public String toString() {
    return "bias(" + Numbers.format(biasStd) + ")";
  }
}
