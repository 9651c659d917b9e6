package io.github.ntk4j.internal;

import io.github.ntk4j.ComputeOptions;
import io.github.ntk4j.KernelKind;
import io.github.ntk4j.Matrix;
import io.github.ntk4j.ProgressListener;
import io.github.ntk4j.layers.Layer;
import io.github.ntk4j.spi.KernelBackend;
import java.util.EnumSet;
import java.util.Objects;
import java.util.Set;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The installed {@link KernelBackend}s, loaded once with {@link ServiceLoader}. */
public final class Backends {
  private static final Logger LOG = LoggerFactory.getLogger(Backends.class);
  private static final Lazy<List<KernelBackend>> INSTALLED = Lazy.of(Backends::load);

  private Backends() {}

  private static List<KernelBackend> load() {
    List<KernelBackend> out = new ArrayList<>();
    try {
      for (KernelBackend b : ServiceLoader.load(KernelBackend.class, Backends.class.getClassLoader())) {
        out.add(b);
      }
    } catch (ServiceConfigurationError e) {
      LOG.warn("a kernel backend could not be loaded: {}", e.getMessage());
    }
    return List.copyOf(out);
  }

  /** Every installed backend. */
  public static List<KernelBackend> installed() {
    return INSTALLED.get();
  }

  /**
   * The argument checks every backend's compute shares: nothing null (x2 may be), at least one kind,
   * finite inputs of equal width.
   *
   * @throws IllegalArgumentException naming the bad argument
   */
  public static void requireValidCall(
      Layer architecture, Matrix x1, Matrix x2, Set<KernelKind> kinds, ComputeOptions options,
      ProgressListener progress) {
    Objects.requireNonNull(progress, "progress");
    Objects.requireNonNull(architecture, "architecture");
    Objects.requireNonNull(x1, "x1");
    Objects.requireNonNull(kinds, "kinds");
    Objects.requireNonNull(options, "options");
    if (kinds.isEmpty()) {
      throw new IllegalArgumentException("kinds: expected at least one of " + EnumSet.allOf(KernelKind.class));
    }
    MatrixBridge.requireKernelInputs(x1, x2);
  }

  /**
   * The checks of a streamed kernel ({@code Kernels.writeNpy} and its backends): those of {@link
   * #requireValidCall} for one kind, and an output path ending in {@code .npy}.
   *
   * @throws IllegalArgumentException naming the bad argument
   */
  public static void requireValidStream(
      Layer architecture, Matrix x1, Matrix x2, KernelKind kind, java.nio.file.Path out, ComputeOptions options,
      ProgressListener progress) {
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(out, "out");
    requireValidCall(architecture, x1, x2, EnumSet.of(kind), options, progress);
    String name = out.getFileName() == null ? "" : out.getFileName().toString();
    if (!name.toLowerCase(java.util.Locale.ROOT).endsWith(".npy")) {
      throw new IllegalArgumentException("out: expected a .npy file, got " + out);
    }
  }

  /** The installed backend called {@code name}, if any. */
  public static Optional<KernelBackend> find(String name) {
    return installed().stream().filter(b -> b.name().equals(name)).findFirst();
  }
}
