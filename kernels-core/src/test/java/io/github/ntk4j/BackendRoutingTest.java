package io.github.ntk4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.ntk4j.layers.Architectures;
import io.github.ntk4j.layers.Layer;
import io.github.ntk4j.spi.KernelBackend;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** How Kernels.compute chooses among installed backends, with stand-in backends. */
class BackendRoutingTest {
  private static final Layer NET = Architectures.parse("serial(dense(1.5, 0.1), relu(), dense(1.5, 0.1))");
  private static final Matrix X = Matrix.of(new double[][] {{1, 2}, {3, -1}, {0, 1}});
  private static final Set<KernelKind> NTK = EnumSet.of(KernelKind.NTK);

  /** A stand-in "opencl" backend: usable or not, failing or answering with a marked result. */
  private static final class StandIn implements KernelBackend {
    final String reason;
    final boolean fails;
    final AtomicInteger calls = new AtomicInteger();

    StandIn(String reason, boolean fails) {
      this.reason = reason;
      this.fails = fails;
    }

    @Override
    public String name() {
      return "opencl";
    }

    @Override
    public Optional<String> unavailableReason() {
      return Optional.ofNullable(reason);
    }

    @Override
    public List<String> describe() {
      return List.of("stand-in");
    }

    @Override
    public KernelResult compute(
        Layer architecture, Matrix x1, Matrix x2, Set<KernelKind> kinds, ComputeOptions options,
        ProgressListener progress) {
      calls.incrementAndGet();
      if (fails) {
        throw new BackendUnavailableException("opencl: CL_OUT_OF_RESOURCES on the stand-in device");
      }
      return new KernelResult(Map.of(KernelKind.NTK, Matrix.of(new double[][] {{42}})),
          new Provenance(architecture.toString(), "stand-in", Precision.FLOAT64, "", "", ""));
    }
  }

  private static KernelResult route(List<KernelBackend> installed, Backend backend) {
    return Kernels.route(installed, NET, X, null, NTK, ComputeOptions.defaults().withBackend(backend),
        ProgressListener.none());
  }

  @Test
  void autoUsesAUsableBackend() {
    StandIn ok = new StandIn(null, false);
    assertEquals("stand-in", route(List.of(ok), Backend.AUTO).provenance().backend());
  }

  @Test
  void autoFallsBackToTheCpuWhenTheBackendIsUnusableOrFails() {
    StandIn unusable = new StandIn("no platform", false);
    KernelResult a = route(List.of(unusable), Backend.AUTO);
    assertTrue(a.provenance().backend().startsWith("cpu"), a.provenance().backend());
    assertEquals(0, unusable.calls.get(), "an unusable backend is not called");
    StandIn failing = new StandIn(null, true);
    KernelResult b = route(List.of(failing), Backend.AUTO);
    assertTrue(b.provenance().backend().startsWith("cpu"), b.provenance().backend());
    assertEquals(1, failing.calls.get());
    assertEquals(Kernels.compute(NET, X, null, NTK, ComputeOptions.defaults().withBackend(Backend.CPU)).ntk(), b.ntk());
  }

  @Test
  void anExplicitOpenClRequestPassesTheDeviceFailureOn() {
    StandIn failing = new StandIn(null, true);
    BackendUnavailableException e =
        assertThrows(BackendUnavailableException.class, () -> route(List.of(failing), Backend.OPENCL));
    assertTrue(e.getMessage().contains("CL_OUT_OF_RESOURCES"), e.getMessage());
    BackendUnavailableException none =
        assertThrows(BackendUnavailableException.class, () -> route(List.of(), Backend.OPENCL));
    assertTrue(none.getMessage().contains("io.github.ntk4j:kernels-opencl"), none.getMessage());
  }

  @Test
  void theCpuBackendNeverConsultsOthers() {
    StandIn ok = new StandIn(null, false);
    KernelResult r = route(List.of(ok), Backend.CPU);
    assertEquals(0, ok.calls.get());
    assertTrue(r.provenance().backend().startsWith("cpu"));
  }
}
