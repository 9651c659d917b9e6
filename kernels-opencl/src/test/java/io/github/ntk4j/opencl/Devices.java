package io.github.ntk4j.opencl;

import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Whether these tests can reach an OpenCL device. Without one they skip with the reason, except when
 * {@code NTK4J_REQUIRE_OPENCL=1} (set by .ci/run once PoCL is installed): then a missing device is a
 * failure, so that CI cannot pass by skipping.
 */
final class Devices {
  private Devices() {}

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
