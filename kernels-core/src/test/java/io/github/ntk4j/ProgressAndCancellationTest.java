package io.github.ntk4j;

import io.github.ntk4j.testing.Generators;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.ntk4j.layers.Architectures;
import io.github.ntk4j.layers.Layer;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CancellationException;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ProgressAndCancellationTest {
  private static final Layer ARCH = Architectures.parse("serial(dense(1.5, 0.1), relu(), dense(1.2, 0.1))");
  private static final Matrix X = Generators.inputs(new SplittableRandom(1), 150, 5);
  private static final Matrix Y = Generators.inputs(new SplittableRandom(2), 70, 5);

  private static ComputeOptions options(int threads) {
    return ComputeOptions.defaults().withThreads(threads).withTileSize(16);
  }

  @ParameterizedTest(name = "threads={0}")
  @ValueSource(ints = {1, 2, 4})
  void progressIsMonotoneAndEndsAtTheTotal(int threads) {
    for (Matrix x2 : new Matrix[] {null, Y}) {
      List<long[]> calls = new ArrayList<>();
      KernelResult r = Kernels.compute(ARCH, X, x2, EnumSet.of(KernelKind.NTK), options(threads),
          (done, total) -> calls.add(new long[] {done, total}));
      long expectedTotal = x2 == null ? 150L * 151 / 2 : 150L * 70;
      assertTrue(calls.size() > 10, "one call per tile, got " + calls.size());
      for (int i = 1; i < calls.size(); i++) {
        assertTrue(calls.get(i)[0] > calls.get(i - 1)[0], "not increasing at call " + i);
      }
      long[] last = calls.get(calls.size() - 1);
      assertEquals(expectedTotal, last[1]);
      assertEquals(expectedTotal, last[0]);
      // Progress does not change the result.
      assertEquals(Kernels.compute(ARCH, X, x2, EnumSet.of(KernelKind.NTK), options(1)).ntk(), r.ntk());
    }
  }

  @ParameterizedTest(name = "threads={0}")
  @ValueSource(ints = {1, 2})
  void interruptingTheCallerCancels(int threads) throws InterruptedException {
    AtomicInteger callsAfterInterrupt = new AtomicInteger();
    Throwable[] thrown = new Throwable[1];
    boolean[] flagAfter = new boolean[1];
    Thread caller = new Thread(() -> {
      Thread self = Thread.currentThread();
      try {
        Kernels.compute(ARCH, X, null, EnumSet.of(KernelKind.NTK), options(threads), (done, total) -> {
          if (self.isInterrupted()) {
            callsAfterInterrupt.incrementAndGet();
          } else {
            self.interrupt();
          }
        });
      } catch (Throwable t) {
        thrown[0] = t;
      }
      flagAfter[0] = Thread.currentThread().isInterrupted();
    });
    caller.start();
    caller.join(60_000);
    assertTrue(thrown[0] instanceof CancellationException, "got " + thrown[0]);
    assertTrue(flagAfter[0], "the interrupt flag is set again");
    // Workers stop after the tile they are on: at most one more report per thread.
    assertTrue(callsAfterInterrupt.get() <= threads, "reports after the interrupt: " + callsAfterInterrupt.get());
  }

  @ParameterizedTest(name = "threads={0}")
  @ValueSource(ints = {1, 2})
  void anExceptionFromTheListenerStopsTheComputation(int threads) {
    IllegalStateException boom = new IllegalStateException("stop here");
    AtomicInteger calls = new AtomicInteger();
    IllegalStateException e = assertThrows(IllegalStateException.class, () ->
        Kernels.compute(ARCH, X, null, EnumSet.of(KernelKind.NTK), options(threads), (done, total) -> {
          calls.incrementAndGet();
          throw boom;
        }));
    assertSame(boom, e);
    assertTrue(calls.get() <= threads, "calls: " + calls.get());
  }
}
