package io.github.ntk4j.layers;

import java.util.List;
import java.util.Objects;

/**
 * Fan-out into branches and fan-in of their outputs (neural-tangents'
 * {@code serial(FanOut(n), parallel(b1, …, bn), FanInSum() | FanInConcat())} for fully-connected
 * layers; arXiv 1912.02803). Every branch sees the same input, with independent parameters, so the
 * kernels of the branches combine as
 *
 * <pre>
 *   fanin=sum:     Σ' = Σ_b Σ_b,        Θ' = Σ_b Θ_b
 *   fanin=concat:  Σ' = (1/n)·Σ_b Σ_b,  Θ' = (1/n)·Σ_b Θ_b    (n branches of equal width)
 * </pre>
 *
 * A residual block is {@code parallel(identity(), serial(dense(…), relu(), dense(…)), fanin=sum)}. The
 * output of a sum of branches that all end Gaussian (dense, scale, bias, layernorm or identity of a
 * Gaussian input) is Gaussian, so an activation may follow it; after a concatenation, or a sum with a
 * non-Gaussian branch, the next layer must be dense. The per-entry fused path is kept: the branches
 * run one after the other on the same entries. String form {@code parallel(b1, b2, …, fanin=sum)} or
 * {@code fanin=concat}.
 *
 * @param branches the branches, at least one (copied)
 * @param fanIn how the outputs are combined
 */
public record Parallel(List<Layer> branches, FanIn fanIn) implements Layer {

  /** How branch outputs are combined. */
  public enum FanIn {
    /** Elementwise sum of the outputs (FanInSum). */
    SUM,
    /** Concatenation of the features (FanInConcat along the feature axis). */
    CONCAT
  }

  /**
   * Validates and copies the branches.
   *
   * @param branches the branches, at least one (copied)
   * @param fanIn how the outputs are combined
   * @throws IllegalArgumentException when a value is out of its range, naming it
   */
  public Parallel {
    Objects.requireNonNull(fanIn, "fanIn");
    Objects.requireNonNull(branches, "branches");
    if (branches.isEmpty()) {
      throw new IllegalArgumentException("parallel: needs at least one branch");
    }
    branches = List.copyOf(branches);
  }

  @Override
  public String toString() {
    StringBuilder sb = new StringBuilder("parallel(");
    for (Layer b : branches) {
      sb.append(b).append(", ");
    }
    return sb.append("fanin=").append(fanIn == FanIn.SUM ? "sum" : "concat").append(')').toString();
  }
}
