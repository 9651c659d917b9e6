package io.github.ntk4j.opencl;

import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Whether these tests can reach an OpenCL device. Without one they skip with the reason, except when
 * {@code NTK4J_REQUIRE_OPENCL=1} (set by .ci/run once PoCL is installed): then a missing device is a
 * failure, so that CI cannot pass by skipping.
 */
final class Devices {
  /** Activations with a device form: their chains run entirely on the device. */
  static final java.util.Set<String> DEVICE_ACTIVATIONS = java.util.Set.of("relu", "abrelu", "leakyrelu", "abs", "identity", "erf");

  private Devices() {}

  /**
   * The preferred device with tiles of 16, after {@link #require}: every test crosses tile edges,
   * with n rarely a multiple of 16 or of the 4x4 blocks.
   */
  static OpenClContext openWithSmallTiles() {
    require();
    return OpenClContext.open(DeviceSelector.preferred(), 16);
  }

  static void require() {
    String reason = OpenCl.unavailableReason().orElse(null);
    if (reason == null) {
      return;
    }
    if ("1".equals(System.getenv("NTK4J_REQUIRE_OPENCL"))) {
      fail("NTK4J_REQUIRE_OPENCL=1 but OpenCL is unusable: " + reason);
    }
    assumeTrue(false, "no OpenCL device: " + reason);
  }
}
