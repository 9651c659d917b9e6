package io.github.ntk4j.layers;

import java.util.List;
import java.util.stream.Collectors;

/**
 * Layers applied one after the other (neural-tangents' {@code stax.serial}). Nesting is kept as
 * written, so the string form reads back exactly; the kernels of {@code serial(serial(a, b), c)}
 * and {@code serial(a, serial(b, c))} are identical.
 *
 * @param layers the layers, first applied first; at least one
 */
public record Serial(List<Layer> layers) implements Layer {

  /**
   * Validates and copies the list.
   *
   * @param layers the layers, first applied first; at least one
   * @throws IllegalArgumentException when a value is out of its range, naming it
   */
  public Serial {
    if (layers == null || layers.isEmpty()) {
      throw new IllegalArgumentException("serial: expected at least one layer");
    }
    layers = List.copyOf(layers);
  }

  @Override
  public String toString() {
    return layers.stream().map(Layer::toString).collect(Collectors.joining(", ", "serial(", ")"));
  }
}
