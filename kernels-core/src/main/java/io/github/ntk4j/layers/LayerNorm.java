package io.github.ntk4j.layers;

/**
 * Layer normalization over the features of a fully-connected layer (Ba, Kiros and Hinton, arXiv
 * 1607.06450; neural-tangents' {@code LayerNorm} for dense layers): z = (h − mean(h))/std(h) over
 * the features. As the width grows the mean over features of a centred Gaussian layer tends to 0 and
 * the variance to q, so
 *
 * <pre>
 *   Σ' = Σ/√(q1·q2),   Θ' = Θ/√(q1·q2),   q' = 1
 * </pre>
 *
 * (the gradient through the normalization statistics is O(1/width)). It must directly follow a
 * layer with centred Gaussian output (dense, scale or bias): after an activation the features have a
 * non-zero mean and this map would be wrong, so that is refused. A point whose variance is 0 at
 * this layer (a zero input with no biases before it) cannot be normalized and gives an error naming
 * the layer. String form {@code layernorm()}.
 */
public record LayerNorm() implements Layer {
  @Override
  public String toString() {
    return "layernorm()";
  }
}
