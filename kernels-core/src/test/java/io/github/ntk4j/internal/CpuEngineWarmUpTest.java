package io.github.ntk4j.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.github.ntk4j.layers.Architectures;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The JIT warm-up of the first large kernel (a synthetic kernel on another thread while the inputs are
 * prepared) changes no bit of the result and leaves no thread behind.
 */
class CpuEngineWarmUpTest {
  @Test
  void theWarmedUpKernelEqualsTheSingleThreadedOneBitForBit() {
    int n = 2048; // 2048² entries: the smallest kernel that warms up
    int d = 5;
    double[] x = new double[n * d];
    SplittableRandom r = new SplittableRandom(17);
    for (int i = 0; i < x.length; i++) {
      x[i] = r.nextGaussian();
    }
    Chain chain = Chain.compile(Architectures.parse("serial(dense(1.5, 0.05), relu(), dense(1.2, 0.1), erf(), dense(1.0))"), d);
    assumeTrue(Runtime.getRuntime().availableProcessors() >= 2, "the warm-up needs a second core");
    JitWarmUp.rearm();
    int before = JitWarmUp.starts();
    CpuEngine.Output warmed = CpuEngine.compute(chain, x, n, null, n, d, true, true, 2, 128, false, (c, t) -> {});
    assertEquals(before + 1, JitWarmUp.starts(), "the first large kernel on two threads warms up");
    // One thread never warms up (there is no idle core to warm on), nor does a second kernel.
    CpuEngine.Output plain = CpuEngine.compute(chain, x, n, null, n, d, true, true, 1, 128, false, (c, t) -> {});
    CpuEngine.compute(chain, x, n, null, n, d, false, true, 2, 128, false, (c, t) -> {});
    assertEquals(before + 1, JitWarmUp.starts(), "only once per process");
    assertArrayEquals(plain.nngp(), warmed.nngp(), "seed 17: NNGP with and without the warm-up");
    assertArrayEquals(plain.ntk(), warmed.ntk(), "seed 17: NTK with and without the warm-up");
    for (Thread t : Thread.getAllStackTraces().keySet()) {
      assertFalse(t.getName().equals("ntk4j-warm-up") && t.isAlive(), "the warm-up thread ended with the kernel");
    }
  }
}
