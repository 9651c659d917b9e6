package io.github.ntk4j;

import java.util.Collections;
import java.util.EnumMap;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * The kernels computed for one pair of input sets, with their provenance. Immutable.
 *
 * <p>Entry (i, j) of each matrix is k(x1ᵢ, x2ⱼ): rows follow the first input set, columns the
 * second.
 */
public final class KernelResult {
  private final Map<KernelKind, Matrix> kernels;
  private final Provenance provenance;

  /**
   * A result.
   *
   * @param kernels the computed kernels; copied
   * @param provenance where they came from
   */
  public KernelResult(Map<KernelKind, Matrix> kernels, Provenance provenance) {
    this.kernels = Collections.unmodifiableMap(new EnumMap<>(kernels));
    this.provenance = Objects.requireNonNull(provenance, "provenance");
  }

  /**
   * The kinds present in this result.
   *
   * @return the kinds, a non-empty unmodifiable set
   */
  public Set<KernelKind> kinds() {
    return kernels.keySet();
  }

  /**
   * The kernel of the given kind.
   *
   * @param kind the kind
   * @return the n1×n2 kernel matrix
   * @throws IllegalStateException if it was not requested
   */
  public Matrix get(KernelKind kind) {
    Matrix m = kernels.get(kind);
    if (m == null) {
      throw new IllegalStateException(
          kind.cliName() + " was not requested; this result holds " + kernels.keySet());
    }
    return m;
  }

  /**
   * The NNGP kernel; see {@link #get}.
   *
   * @return the n1×n2 NNGP matrix
   */
  public Matrix nngp() {
    return get(KernelKind.NNGP);
  }

  /**
   * The neural tangent kernel; see {@link #get}.
   *
   * @return the n1×n2 NTK matrix
   */
  public Matrix ntk() {
    return get(KernelKind.NTK);
  }

  /**
   * Where this result came from.
   *
   * @return the provenance
   */
  public Provenance provenance() {
    return provenance;
  }

  @Override
  public String toString() {
    return "KernelResult" + kernels.keySet() + " of " + provenance.architecture();
  }
}
