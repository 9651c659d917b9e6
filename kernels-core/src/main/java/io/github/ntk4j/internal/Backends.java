package io.github.ntk4j.internal;

import io.github.ntk4j.spi.KernelBackend;
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

  /** The installed backend called {@code name}, if any. */
  public static Optional<KernelBackend> find(String name) {
    return installed().stream().filter(b -> b.name().equals(name)).findFirst();
  }
}
