package io.github.ntk4j.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.ntk4j.Backend;
import io.github.ntk4j.ComputeOptions;
import io.github.ntk4j.KernelKind;
import io.github.ntk4j.Kernels;
import io.github.ntk4j.Matrix;
import io.github.ntk4j.NumericalException;
import io.github.ntk4j.Precision;
import io.github.ntk4j.ProgressListener;
import io.github.ntk4j.io.MatrixFiles;
import io.github.ntk4j.layers.Architectures;
import io.github.ntk4j.layers.Layer;
import io.github.ntk4j.testing.Generators;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CancellationException;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * K(X, X) held in bands and handed over band by band ({@link CpuEngine#computeBands}, {@link
 * NpyBandFile}) is the in-memory kernel bit for bit, each band is final when handed over, and a
 * failure leaves no file.
 */
class BandedKernelTest {
  @TempDir Path dir;

  static Stream<Long> seeds() {
    return IntStream.range(0, 24).mapToObj(i -> 900L + i);
  }

  /** Up to 700 points, so that several bands of 256 rows (the storage) and of tiles (the hand-over) occur. */
  @ParameterizedTest(name = "seed {0}")
  @MethodSource("seeds")
  void theFileHoldsExactlyTheInMemoryKernel(long seed) throws IOException {
    SplittableRandom r = new SplittableRandom(seed);
    Layer net = Generators.architecture(r, r.nextBoolean());
    int d = 1 + r.nextInt(12);
    int n = r.nextInt(4) == 0 ? 1 + r.nextInt(40) : 200 + r.nextInt(500);
    Matrix x = Generators.inputs(r, n, d);
    KernelKind kind = r.nextBoolean() ? KernelKind.NTK : KernelKind.NNGP;
    Precision precision = r.nextInt(3) == 0 ? Precision.FLOAT32 : Precision.FLOAT64;
    ComputeOptions options = ComputeOptions.defaults().withBackend(Backend.CPU).withPrecision(precision)
        .withThreads(1 + r.nextInt(3)).withTileSize(16 + r.nextInt(300));
    Path out = dir.resolve("k.npy");
    Matrix expected;
    try {
      expected = Kernels.compute(net, x, null, EnumSet.of(kind), options.withTileSize(128).withThreads(2)).get(kind);
    } catch (NumericalException e) {
      assertThrows(NumericalException.class,
          () -> NpyBandFile.write(net, x, kind, out, options, ProgressListener.none()), "seed " + seed);
      assertNoFiles();
      return;
    }
    NpyBandFile.write(net, x, kind, out, options, ProgressListener.none());
    assertEquals(expected, MatrixFiles.read(out), "seed " + seed + ", n " + n + ", " + net + ", " + options);
  }

  /**
   * Every band is handed over once, in full, and already holds its final values then: read back at
   * hand-over (upper part from the band, lower part down the columns of the rows above), its rows are
   * those of the finished kernel.
   */
  @ParameterizedTest(name = "seed {0}")
  @MethodSource("seeds")
  void eachBandIsFinalWhenHandedOver(long seed) {
    SplittableRandom r = new SplittableRandom(seed);
    Layer net = Architectures.parse("serial(dense(1.5, 0.1), relu(), dense(1.2, 0.05), erf(), dense(1.5, 0.1))");
    int d = 1 + r.nextInt(9);
    int n = 100 + r.nextInt(600);
    Matrix x = Generators.inputs(r, n, d);
    boolean ntk = r.nextBoolean();
    int threads = 2 + r.nextInt(2);
    int tile = 16 << r.nextInt(3);
    Matrix expected = Kernels.compute(net, x, null, EnumSet.of(ntk ? KernelKind.NTK : KernelKind.NNGP),
        ComputeOptions.defaults().withBackend(Backend.CPU)).get(ntk ? KernelKind.NTK : KernelKind.NNGP);
    boolean[] seen = new boolean[n];
    List<String> problems = new ArrayList<>();
    CpuEngine.computeBands(Chain.compile(net, d), MatrixBridge.data(x), n, d, ntk, threads, tile, false,
        (done, all) -> {}, (r0, r1, data, rowStart) -> {
          // Bands are handed over on the workers, several at a time: the checks' own state is locked.
          synchronized (seen) {
            for (int i = r0; i < r1; i++) {
              if (seen[i]) {
                problems.add("row " + i + " handed over twice");
              }
              seen[i] = true;
              for (int j = 0; j < n; j++) {
                double v = j >= i ? data[rowStart[i] + j] : data[rowStart[j] + i];
                if (Double.doubleToLongBits(v) != Double.doubleToLongBits(expected.get(i, j))) {
                  problems.add("(" + i + ", " + j + ") is " + v + " at hand-over, " + expected.get(i, j) + " in the end");
                  return;
                }
              }
            }
          }
        });
    for (int i = 0; i < n; i++) {
      if (!seen[i]) {
        problems.add("row " + i + " never handed over");
      }
    }
    assertTrue(problems.isEmpty(), "seed " + seed + " (n " + n + ", tile " + tile + ", threads " + threads + "): "
        + problems.subList(0, Math.min(5, problems.size())));
  }

  @Test
  void aNonFiniteEntryACancellationOrAFailedWriteLeavesNoFile() throws IOException {
    Layer overflowing = Architectures.parse("serial(dense(1.0e150, 0), relu(), dense(1.0e150, 0))");
    Matrix x = Generators.genericInputs(new SplittableRandom(1), 300, 3);
    ComputeOptions options = ComputeOptions.defaults().withBackend(Backend.CPU).withTileSize(16);
    NumericalException e = assertThrows(NumericalException.class, () -> NpyBandFile.write(overflowing, x,
        KernelKind.NTK, dir.resolve("k.npy"), options, ProgressListener.none()));
    assertTrue(e.getMessage().contains("not finite"), e.getMessage());
    assertNoFiles();
    Layer net = Architectures.parse("serial(dense(1.5, 0.1), relu(), dense(1.5, 0.1))");
    Thread caller = Thread.currentThread();
    for (int threads = 1; threads <= 2; threads++) {
      try {
        // Interrupting the caller: with two threads it is waiting for the workers, not computing.
        ComputeOptions o = options.withThreads(threads);
        java.util.concurrent.atomic.AtomicBoolean once = new java.util.concurrent.atomic.AtomicBoolean();
        assertThrows(CancellationException.class, () -> NpyBandFile.write(net, x, KernelKind.NTK,
            dir.resolve("k.npy"), o, (done, total) -> {
              if (once.compareAndSet(false, true)) {
                caller.interrupt(); // once: a worker still finishing its tile must not interrupt the next test
              }
            }));
      } finally {
        Thread.interrupted();
      }
      assertNoFiles();
    }
    // What the band sink throws reaches the caller, after the workers have stopped.
    RuntimeException failure = new java.io.UncheckedIOException(new IOException("disk full"));
    RuntimeException thrown = assertThrows(RuntimeException.class, () -> CpuEngine.computeBands(
        Chain.compile(net, 3), MatrixBridge.data(x), 300, 3, true, 2, 16, false, (done, all) -> {},
        (r0, r1, data, rowStart) -> {
          if (r0 > 100) {
            throw failure;
          }
        }));
    assertSame(failure, thrown);
    // A write stopped by an interrupt (a file channel closes on it; the workers are interrupted when the
    // caller is) is a cancellation.
    try {
      assertThrows(CancellationException.class, () -> CpuEngine.computeBands(
          Chain.compile(net, 3), MatrixBridge.data(x), 300, 3, true, 2, 16, false, (done, all) -> {},
          (r0, r1, data, rowStart) -> {
            Thread.currentThread().interrupt();
            throw new java.io.UncheckedIOException(new java.nio.channels.ClosedByInterruptException());
          }));
    } finally {
      Thread.interrupted();
    }
  }

  /**
   * A cancelled kernel returns only once its workers have stopped: here one of them is in a slow band
   * write (that no interrupt stops) when the caller is interrupted, and that write has ended when
   * the CancellationException arrives, so nothing is still writing to a file the caller deletes.
   */
  @Test
  void aCancelledKernelReturnsOnlyOnceItsWorkersHaveStopped() {
    Layer net = Architectures.parse("serial(dense(1.5, 0.1), relu(), dense(1.5, 0.1))");
    Matrix x = Generators.genericInputs(new SplittableRandom(3), 300, 3);
    Thread caller = Thread.currentThread();
    java.util.concurrent.atomic.AtomicBoolean writeEnded = new java.util.concurrent.atomic.AtomicBoolean();
    boolean interruptKept;
    try {
      assertThrows(CancellationException.class, () -> CpuEngine.computeBands(
          Chain.compile(net, 3), MatrixBridge.data(x), 300, 3, true, 2, 16, false, (done, all) -> {},
          (r0, r1, data, rowStart) -> {
            if (r0 == 0) {
              caller.interrupt();
              long until = System.nanoTime() + 300_000_000L;
              while (System.nanoTime() < until) {
                Thread.onSpinWait();
              }
              writeEnded.set(true);
            }
          }));
      interruptKept = Thread.currentThread().isInterrupted();
    } finally {
      Thread.interrupted();
    }
    assertTrue(writeEnded.get(), "the caller returned while a worker was still writing");
    assertTrue(interruptKept, "the caller's interrupt is set again");
  }

  @Test
  void aFileWithARowBandMissingIsNotCommitted() throws IOException {
    Path out = dir.resolve("k.npy");
    try (NpyBandFile file = new NpyBandFile(out, 3, false)) {
      int[] rowStart = {0, 3, 6}; // one band of three rows, three columns each
      double[] data = {1, 2, 3, 0, 4, 5, 0, 0, 6};
      file.rows(0, 2, data, rowStart);
      IOException e = assertThrows(IOException.class, file::commit);
      assertTrue(e.getMessage().contains("2 of 3 rows"), e.getMessage());
    }
    assertNoFiles();
  }

  private void assertNoFiles() throws IOException {
    try (Stream<Path> files = Files.list(dir)) {
      assertEquals(List.of(), files.toList(), "no file, temporary or not, is left");
    }
  }
}
