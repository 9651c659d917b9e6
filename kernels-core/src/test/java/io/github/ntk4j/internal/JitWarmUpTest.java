package io.github.ntk4j.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.github.ntk4j.layers.Architectures;
import io.github.ntk4j.layers.Layer;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The early warm-up (Kernels.warmUp): started before the inputs exist, stopped by the next kernel,
 * never leaves a thread behind and changes no bit.
 */
class JitWarmUpTest {
  private static boolean warmUpThreadAlive() {
    for (Thread t : Thread.getAllStackTraces().keySet()) {
      if (t.getName().equals("ntk4j-warm-up") && t.isAlive()) {
        return true;
      }
    }
    return false;
  }

  @Test
  void theNextKernelStopsAnEarlyWarmUpAndGetsTheSameBits() {
    assumeTrue(Runtime.getRuntime().availableProcessors() >= 2, "the warm-up needs a second core");
    Layer arch = Architectures.parse("serial(dense(1.5, 0.05), relu(), dense(1.2, 0.1), erf(), dense(1.0))");
    int n = 300; // far below the size at which a kernel warms up by itself
    int d = 7;
    double[] x = new double[n * d];
    SplittableRandom r = new SplittableRandom(23);
    for (int i = 0; i < x.length; i++) {
      x[i] = r.nextGaussian();
    }
    Chain chain = Chain.compile(arch, d);
    CpuEngine.Output plain = CpuEngine.compute(chain, x, n, null, n, d, true, true, 1, 64, false, (c, t) -> {});

    JitWarmUp.rearm();
    int before = JitWarmUp.starts();
    JitWarmUp.ahead(arch, true, true, false, 2);
    assertEquals(before + 1, JitWarmUp.starts(), "an early warm-up starts on two threads");
    JitWarmUp.ahead(arch, true, true, false, 2);
    assertEquals(before + 1, JitWarmUp.starts(), "only once per process");
    CpuEngine.Output warmed = CpuEngine.compute(chain, x, n, null, n, d, true, true, 2, 64, false, (c, t) -> {});
    assertFalse(warmUpThreadAlive(), "the kernel stopped and joined the warm-up");
    for (Thread t : Thread.getAllStackTraces().keySet()) {
      if (t.getName().equals("ntk4j-native-load")) {
        try {
          t.join(60_000); // the library load ends by itself; the kernel waited for it if it used it
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
        assertFalse(t.isAlive(), "the native-load thread ends once the library is loaded");
      }
    }
    assertArrayEquals(plain.nngp(), warmed.nngp(), "seed 23: NNGP with and without the early warm-up");
    assertArrayEquals(plain.ntk(), warmed.ntk(), "seed 23: NTK with and without the early warm-up");
  }

  @Test
  void oneThreadOrADisabledWarmUpStartsNothing() {
    Layer arch = Architectures.parse("serial(dense(1.0), relu(), dense(1.0))");
    JitWarmUp.rearm();
    int before = JitWarmUp.starts();
    JitWarmUp.ahead(arch, false, true, false, 1);
    assertEquals(before, JitWarmUp.starts(), "one thread leaves no idle core to warm on");
    String old = System.getProperty("ntk4j.noWarmUp");
    System.setProperty("ntk4j.noWarmUp", "true");
    try {
      JitWarmUp.ahead(arch, false, true, false, 4);
      assertEquals(before, JitWarmUp.starts(), "-Dntk4j.noWarmUp=true turns it off");
    } finally {
      if (old == null) {
        System.clearProperty("ntk4j.noWarmUp");
      } else {
        System.setProperty("ntk4j.noWarmUp", old);
      }
    }
  }

  @Test
  void aStreamedKernelAlsoStopsIt() {
    assumeTrue(Runtime.getRuntime().availableProcessors() >= 2, "the warm-up needs a second core");
    Layer arch = Architectures.parse("serial(dense(1.3, 0.1), relu(), dense(1.0))");
    JitWarmUp.rearm();
    JitWarmUp.ahead(arch, false, true, false, 2);
    double[] x = {1, 2, 3, -1, 0.5, 2, 0, 1, -2};
    Chain chain = Chain.compile(arch, 3);
    CpuEngine.stream(chain, x, 3, null, 3, 3, true, 2, 64, false, (c, t) -> {}, (i0, m, j0, w, v, diag) -> {});
    assertFalse(warmUpThreadAlive(), "the streamed kernel stopped and joined the warm-up");
  }
}
