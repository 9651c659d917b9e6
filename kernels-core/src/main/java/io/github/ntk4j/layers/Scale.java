package io.github.ntk4j.layers;

/**
 * A fixed (untrained) multiplier c of the signal: h' = c·h, so Σ' = c²·Σ and Θ' = c²·Θ. It keeps a
 * Gaussian input Gaussian, so an activation may follow it when one could follow its input. String
 * form {@code scale(c)}.
 *
 * @param factor c (finite)
 */
public record Scale(double factor) implements Layer {

  /**
   * Validates c.
   *
   * @param factor c (finite)
   * @throws IllegalArgumentException when a value is out of its range, naming it
   */
  public Scale {
    factor = Numbers.requireFinite("scale", "c", factor);
  }

  @Override
  public String toString() {
    return "scale(" + Numbers.format(factor) + ")";
  }
}
