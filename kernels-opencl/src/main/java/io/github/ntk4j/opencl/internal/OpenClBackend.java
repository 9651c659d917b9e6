package io.github.ntk4j.opencl.internal;

import io.github.ntk4j.ComputeOptions;
import io.github.ntk4j.KernelKind;
import io.github.ntk4j.KernelResult;
import io.github.ntk4j.Matrix;
import io.github.ntk4j.ProgressListener;
import io.github.ntk4j.Provenance;
import java.io.IOException;
import java.nio.file.Path;
import io.github.ntk4j.layers.Layer;
import io.github.ntk4j.opencl.DeviceInfo;
import io.github.ntk4j.opencl.DeviceSelector;
import io.github.ntk4j.opencl.OpenClContext;
import io.github.ntk4j.opencl.OpenClException;
import io.github.ntk4j.spi.KernelBackend;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@link KernelBackend} this module provides: one shared device context on the preferred
 * device (as {@link OpenClContext} opens it), opened on first use and kept for the life of the JVM
 * (its native resources go with the process). Calls come validated from {@code Kernels.compute}, so
 * they go to the engine directly instead of through {@link OpenClContext#compute}, which validates
 * again for its own callers. A failure to open it is remembered, so it is reported once and not retried.
 */
public final class OpenClBackend implements KernelBackend {
  private static final Logger LOG = LoggerFactory.getLogger(OpenClBackend.class);
  private final Object lock = new Object();
  private DeviceContext shared;
  private OpenClException openFailure;

  /** Called by {@link java.util.ServiceLoader}. */
  public OpenClBackend() {}

  @Override
  public String name() {
    return "opencl";
  }

  @Override
  public Optional<String> unavailableReason() {
    return Optional.ofNullable(ClRuntime.get().unavailableReason());
  }

  @Override
  public List<String> describe() {
    List<String> out = new ArrayList<>();
    ClRuntime.Probe p = ClRuntime.get();
    if (p.unavailableReason() != null) {
      out.add("opencl  unavailable  " + p.unavailableReason() + "; --backend auto uses the cpu");
      return out;
    }
    Optional<DeviceInfo> pick = DeviceSelector.preferred().select(p.infos());
    out.add("opencl  usable       " + p.infos().size() + " device" + (p.infos().size() == 1 ? "" : "s")
        + "; --backend opencl and auto use " + pick.map(d -> "#" + d.index()).orElse("none"));
    for (DeviceInfo d : p.infos()) {
      out.add("  " + d);
    }
    return out;
  }

  @Override
  public KernelResult compute(
      Layer architecture, Matrix x1, Matrix x2, Set<KernelKind> kinds, ComputeOptions options,
      ProgressListener progress) {
    // Kernels.compute has validated the call; the shared device runs one computation at a time.
    DeviceContext device = context();
    synchronized (device) {
      return Engine.compute(device, OpenClContext.DEFAULT_MAX_TILE, architecture, x1, x2, kinds, options, progress);
    }
  }

  @Override
  public Provenance writeNpy(
      Layer architecture, Matrix x1, Matrix x2, KernelKind kind, Path out, ComputeOptions options,
      ProgressListener progress) throws IOException {
    DeviceContext device = context();
    synchronized (device) {
      return Engine.writeNpy(device, OpenClContext.DEFAULT_MAX_TILE, architecture, x1, x2, kind, out, options, progress);
    }
  }

  private DeviceContext context() {
    synchronized (lock) {
      if (openFailure != null) {
        throw openFailure;
      }
      if (shared == null) {
        try {
          shared = DeviceContext.open(DeviceSelector.preferred(), null, false);
          LOG.info("ntk4j OpenCL backend on {}", shared.info());
        } catch (OpenClException e) {
          openFailure = e;
          throw e;
        }
      }
      return shared;
    }
  }
}
