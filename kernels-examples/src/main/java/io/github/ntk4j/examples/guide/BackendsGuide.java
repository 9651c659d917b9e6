package io.github.ntk4j.examples.guide;

import io.github.ntk4j.ComputeOptions;
import io.github.ntk4j.KernelKind;
import io.github.ntk4j.KernelResult;
import io.github.ntk4j.Matrix;
import io.github.ntk4j.layers.Layer;
import io.github.ntk4j.opencl.DeviceSelector;
import io.github.ntk4j.opencl.OpenClContext;
import java.util.EnumSet;

/** docs/backends.md: computing on a chosen OpenCL device. */
public final class BackendsGuide {
  private BackendsGuide() {}

  /**
   * Runs the page's example on the first device whose name contains {@code deviceName}.
   *
   * @param net the architecture
   * @param x the inputs
   * @param deviceName part of the device's name, e.g. {@code A100}
   * @return both kernels of x with itself
   */
  public static KernelResult run(Layer net, Matrix x, String deviceName) {
    KernelResult r;
    // snippet:device
    try (OpenClContext gpu = OpenClContext.open(DeviceSelector.nameContains(deviceName))) {
      r = gpu.compute(net, x, null, EnumSet.allOf(KernelKind.class), ComputeOptions.defaults());
    }
    // end-snippet
    return r;
  }
}
