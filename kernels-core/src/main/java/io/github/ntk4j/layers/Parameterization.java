package io.github.ntk4j.layers;

/**
 * How a {@link Dense} layer scales its weights (arXiv 2001.07301; shared/math/kernels.md §1.3–1.4).
 */
public enum Parameterization {
  /**
   * h = (σw/√N)·W·x + σb·b with W, b ~ N(0, 1) (neural-tangents' default). The NTK is
   * Θ' = Σ' + σw²·Θ and does not depend on widths.
   */
  NTK,
  /**
   * h = W·x + b with W ~ N(0, σw²/N), b ~ N(0, σb²). Same NNGP; the NTK is
   * Θ' = N·Σ + σw²·Θ + β, N the finite input width (d for the first layer, the previous Dense
   * layer's width otherwise) and β = 1 when the bias is trained.
   */
  STANDARD
}
