package io.github.ntk4j.opencl.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.ntk4j.opencl.OpenClException;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Every way OpenCL can be missing becomes a reason, never an escaping error. */
class ProbeTest {
  @Test
  void aMissingOpenClLibraryIsAReasonWithWhatToInstall() {
    // JOCL's first use without libOpenCL throws UnsatisfiedLinkError...
    ClRuntime.Probe first = ClRuntime.probe(() -> {
      throw new UnsatisfiedLinkError("Could not initialize native OpenCL library");
    });
    assertTrue(first.devices().isEmpty());
    assertTrue(first.unavailableReason().contains("libOpenCL.so"), first.unavailableReason());
    assertTrue(first.unavailableReason().contains("ocl-icd-opencl-dev"), first.unavailableReason());
    // ... and every later use NoClassDefFoundError, which must not escape either.
    ClRuntime.Probe later = ClRuntime.probe(() -> {
      throw new NoClassDefFoundError("Could not initialize class org.jocl.CL");
    });
    assertTrue(later.unavailableReason().contains("could not be loaded"), later.unavailableReason());
  }

  @Test
  void noPlatformKeepsTheErrorCode() {
    ClRuntime.Probe p = ClRuntime.probe(() -> {
      throw new OpenClException("opencl: no OpenCL platform is installed", ClRuntime.PLATFORM_NOT_FOUND_KHR,
          "CL_PLATFORM_NOT_FOUND_KHR", null);
    });
    assertEquals(-1001, p.failure().errorCode());
    assertEquals("no OpenCL platform is installed", p.unavailableReason());
    assertEquals("CL_PLATFORM_NOT_FOUND_KHR", Cl.errorName(-1001));
  }

  @Test
  void platformsWithoutDevicesAreUnusable() {
    ClRuntime.Probe p = ClRuntime.probe(List::of);
    assertTrue(p.unavailableReason().contains("no devices"), p.unavailableReason());
  }

  @Test
  void theProbeOfThisJvmIsMadeOnce() {
    assertSame(ClRuntime.get(), ClRuntime.get());
  }

  @Test
  void aBufferLargerThanTheDeviceAllowsFailsWithTheCodeAndDevice() {
    ClRuntime.Probe p = ClRuntime.get();
    org.junit.jupiter.api.Assumptions.assumeTrue(p.failure() == null, () -> "no OpenCL device: " + p.unavailableReason());
    assertNull(p.failure());
    try (DeviceContext ctx = DeviceContext.open(p.devices().get(0), null, false);
        DeviceBuffers buf = new DeviceBuffers(ctx, true)) {
      long tooMany = ctx.info().maxAllocationBytes() / 8 * 4 + 1024;
      OpenClException e = assertThrows(OpenClException.class, () -> buf.reals(tooMany, "huge"));
      assertTrue(e.errorCode() < 0, e.getMessage());
      assertEquals(ctx.info().name(), e.device().orElseThrow());
      assertTrue(e.getMessage().contains("out of memory"), e.getMessage());
    }
  }
}
