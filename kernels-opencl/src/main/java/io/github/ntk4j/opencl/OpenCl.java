package io.github.ntk4j.opencl;

import io.github.ntk4j.opencl.internal.ClRuntime;
import java.util.List;
import java.util.Optional;

/**
 * What OpenCL offers on this machine, probed once per JVM (platforms and devices do not change
 * while it runs).
 */
public final class OpenCl {
  private OpenCl() {}

  /**
   * Why OpenCL cannot be used here (no library, no platform, no device), or empty when it can.
   *
   * @return the reason, or empty
   */
  public static Optional<String> unavailableReason() {
    return Optional.ofNullable(ClRuntime.get().unavailableReason());
  }

  /**
   * Every device of every platform, in driver order; empty when OpenCL is unusable.
   *
   * @return the devices
   */
  public static List<DeviceInfo> devices() {
    return ClRuntime.get().infos();
  }
}
