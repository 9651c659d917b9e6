package io.github.ntk4j;

import java.util.Locale;

/** Which kernel of an infinitely wide network to compute. */
public enum KernelKind {
  /**
   * The neural network Gaussian process kernel K(x, x') = E[f(x) f(x')] of the network's output at
   * initialization (arXiv 1711.00165, arXiv 1804.11271).
   */
  NNGP("nngp"),
  /**
   * The neural tangent kernel Θ(x, x') = Σ_θ ∂f(x)/∂θ · ∂f(x')/∂θ in the infinite-width limit
   * (arXiv 1806.07572).
   */
  NTK("ntk");

  private final String cliName;

  KernelKind(String cliName) {
    this.cliName = cliName;
  }

  /**
   * The name used on the command line and in files: {@code nngp} or {@code ntk}.
   *
   * @return {@code nngp} or {@code ntk}
   */
  public String cliName() {
    return cliName;
  }

  /**
   * The kind with the given command-line name (case-insensitive).
   *
   * @param name {@code nngp} or {@code ntk}, in any case
   * @return the kind
   * @throws IllegalArgumentException for an unknown name
   */
  public static KernelKind fromName(String name) {
    String n = name.trim().toLowerCase(Locale.ROOT);
    for (KernelKind k : values()) {
      if (k.cliName.equals(n)) {
        return k;
      }
    }
    throw new IllegalArgumentException(
        "kernel kind: unknown '" + name + "', expected one of nngp, ntk");
  }
}
