package io.github.ntk4j.opencl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.ntk4j.Backend;
import io.github.ntk4j.ComputeOptions;
import io.github.ntk4j.KernelKind;
import io.github.ntk4j.KernelResult;
import io.github.ntk4j.Kernels;
import io.github.ntk4j.Matrix;
import io.github.ntk4j.Precision;
import io.github.ntk4j.layers.Architectures;
import io.github.ntk4j.layers.Layer;
import io.github.ntk4j.testing.Generators;
import io.github.ntk4j.testing.KernelChecks;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** What the OpenCL backend does when the device fails, and its lifecycle. */
class FailureTest {
  private static final Layer NET = Architectures.parse("serial(dense(1.5, 0.1), relu(), dense(1.5, 0.1))");
  private static final Set<KernelKind> BOTH = EnumSet.allOf(KernelKind.class);
  private static final ComputeOptions CPU = ComputeOptions.defaults().withBackend(Backend.CPU);
  private final Matrix x = Generators.genericInputs(new SplittableRandom(3), 30, 7);

  @BeforeEach
  void device() {
    Devices.require();
  }

  @Test
  void aKernelSourceThatDoesNotBuildFailsWithTheBuildErrorCodeAndDevice() {
    try (OpenClContext broken = OpenClContext.open(DeviceSelector.preferred(), 64, "this is not OpenCL C", false)) {
      OpenClException e = assertThrows(OpenClException.class, () -> broken.compute(NET, x, null, BOTH, CPU));
      assertEquals(-11, e.errorCode(), e.getMessage());
      assertEquals("CL_BUILD_PROGRAM_FAILURE", e.errorName().orElseThrow());
      assertEquals(broken.device().name(), e.device().orElseThrow());
      assertTrue(e.getMessage().contains(broken.device().name()), e.getMessage());
      assertTrue(e.getMessage().contains("error"), "the build log is quoted: " + e.getMessage());
    }
  }

  @Test
  void aDeviceWithoutFp64ComputesInFloat32AndSaysSo() {
    try (OpenClContext noFp64 = OpenClContext.open(DeviceSelector.preferred(), 64, null, true)) {
      assertTrue(!noFp64.supportsFloat64());
      KernelResult r = noFp64.compute(NET, x, null, BOTH, CPU);
      assertEquals(Precision.FLOAT32, r.provenance().precision());
      assertTrue(r.provenance().backend().contains("float32: the device has no fp64"), r.provenance().backend());
      KernelResult reference = Kernels.compute(NET, x, null, BOTH, CPU);
      KernelChecks.agreement("NTK", reference.ntk(), r.ntk(), 2e-4, 1e-3).orThrow();
    }
  }

  @Test
  void aClosedContextRefusesWorkAndClosingTwiceIsHarmless() {
    OpenClContext c = OpenClContext.open(DeviceSelector.preferred(), 64);
    c.compute(NET, x, null, BOTH, CPU);
    c.close();
    c.close();
    IllegalStateException e = assertThrows(IllegalStateException.class, () -> c.compute(NET, x, null, BOTH, CPU));
    assertTrue(e.getMessage().contains("closed"), e.getMessage());
  }

  @Test
  void aSelectorThatChoosesNothingIsAnOpenClException() {
    OpenClException e = assertThrows(OpenClException.class,
        () -> OpenClContext.open(DeviceSelector.nameContains("no such device anywhere")));
    assertTrue(e.getMessage().contains("chose none"), e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> OpenClContext.open(DeviceSelector.preferred(), 8));
    assertThrows(IllegalArgumentException.class, () -> DeviceSelector.index(-1));
  }

  @Test
  void severalThreadsCanShareOneContext() throws Exception {
    KernelResult reference = Kernels.compute(NET, x, null, BOTH, CPU);
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try (OpenClContext c = OpenClContext.open(DeviceSelector.preferred(), 16)) {
      List<Future<KernelResult>> results = new ArrayList<>();
      for (int t = 0; t < 8; t++) {
        results.add(pool.submit(() -> c.compute(NET, x, null, BOTH, CPU)));
      }
      for (Future<KernelResult> f : results) {
        KernelChecks.agreement("NTK", reference.ntk(), f.get().ntk(), 1e-12).orThrow();
      }
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void progressReachesTheTotalAndInterruptionCancels() {
    Matrix big = Generators.genericInputs(new SplittableRandom(4), 100, 5);
    AtomicLong last = new AtomicLong();
    AtomicLong total = new AtomicLong();
    try (OpenClContext c = OpenClContext.open(DeviceSelector.preferred(), 16)) {
      c.compute(NET, big, null, BOTH, CPU, (done, all) -> {
        assertTrue(done > last.get(), "progress increases");
        last.set(done);
        total.set(all);
      });
      assertEquals(100L * 101 / 2, total.get());
      assertEquals(total.get(), last.get());
      try {
        assertThrows(CancellationException.class, () -> c.compute(NET, big, null, BOTH, CPU,
            (done, all) -> Thread.currentThread().interrupt()));
        assertTrue(Thread.currentThread().isInterrupted(), "the interrupt flag stays set");
      } finally {
        Thread.interrupted();
      }
    }
  }

  @Test
  void theDeviceListIsProbedOnceAndDescribesEachDevice() {
    assertEquals(OpenCl.devices(), OpenCl.devices());
    for (DeviceInfo d : OpenCl.devices()) {
      assertTrue(d.toString().contains(d.name()));
      assertTrue(d.globalMemoryBytes() > 0 && d.maxAllocationBytes() > 0, d.toString());
    }
  }
}
