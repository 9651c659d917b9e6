package io.github.ntk4j.layers;

/**
 * One layer of a fully-connected architecture, or a composition of layers.
 *
 * <p>Layers are immutable values: two layers with the same parameters are equal,
 * and {@link #toString()} is the canonical architecture string, which
 * {@link Architectures#parse(String)} reads back to an equal layer. Build layers with
 * {@link Layers}.
 *
 * <p>Kernels follow the NTK parameterization of neural-tangents (arXiv 1912.02803): the first
 * {@link Dense} layer sees the input kernel x·x'/d.
 */
public sealed interface Layer permits Dense, Activation, Serial, Scale, Bias, LayerNorm, Parallel {
  /** The canonical architecture string of this layer, e.g. {@code dense(1.5, 0.1)}. */
  @Override
  String toString();
}
