package io.github.ntk4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.ntk4j.io.MatrixFiles;
import io.github.ntk4j.layers.Architectures;
import io.github.ntk4j.layers.Layer;
import io.github.ntk4j.testing.Generators;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.SplittableRandom;
import java.util.concurrent.CancellationException;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Kernels streamed to .npy tile by tile are the in-memory kernels, bit for bit, or no file at all. */
class StreamedKernelTest {
  @TempDir Path dir;

  static Stream<Long> seeds() {
    return IntStream.range(0, 24).mapToObj(i -> 500L + i);
  }

  @ParameterizedTest(name = "seed {0}")
  @MethodSource("seeds")
  void theStreamedFileHoldsExactlyTheInMemoryKernel(long seed) throws IOException {
    SplittableRandom r = new SplittableRandom(seed);
    Layer net = Generators.architecture(r, r.nextBoolean());
    int d = 1 + r.nextInt(12);
    Matrix x1 = Generators.inputs(r, 1 + r.nextInt(70), d);
    Matrix x2 = r.nextBoolean() ? null : Generators.inputs(r, 1 + r.nextInt(50), d);
    KernelKind kind = r.nextBoolean() ? KernelKind.NTK : KernelKind.NNGP;
    Precision precision = r.nextInt(3) == 0 ? Precision.FLOAT32 : Precision.FLOAT64;
    ComputeOptions options = ComputeOptions.defaults().withBackend(Backend.CPU).withPrecision(precision)
        .withThreads(1 + r.nextInt(3)).withTileSize(16 + r.nextInt(30));
    Matrix expected;
    try {
      expected = Kernels.compute(net, x1, x2, EnumSet.of(kind), options.withTileSize(128).withThreads(2)).get(kind);
    } catch (NumericalException e) {
      Path out = dir.resolve("k.npy");
      assertThrows(NumericalException.class,
          () -> Kernels.writeNpy(net, x1, x2, kind, out, options, ProgressListener.none()), "seed " + seed);
      assertNoFiles();
      return;
    }
    Path out = dir.resolve("k.npy");
    Provenance p = Kernels.writeNpy(net, x1, x2, kind, out, options, ProgressListener.none());
    assertEquals(precision, p.precision());
    assertEquals(expected, MatrixFiles.read(out), "seed " + seed + ", " + net + ", " + options);
  }

  @Test
  void aNonFiniteEntryOrACancellationLeavesNoFile() throws IOException {
    Layer overflowing = Architectures.parse("serial(dense(1.0e150, 0), relu(), dense(1.0e150, 0))");
    Matrix x = Generators.genericInputs(new SplittableRandom(1), 40, 3);
    ComputeOptions options = ComputeOptions.defaults().withBackend(Backend.CPU).withTileSize(16);
    NumericalException e = assertThrows(NumericalException.class, () -> Kernels.writeNpy(overflowing, x, null,
        KernelKind.NTK, dir.resolve("k.npy"), options, ProgressListener.none()));
    assertTrue(e.getMessage().contains("not finite"), e.getMessage());
    assertNoFiles();
    Layer net = Architectures.parse("serial(dense(1.5, 0.1), relu(), dense(1.5, 0.1))");
    try {
      assertThrows(CancellationException.class, () -> Kernels.writeNpy(net, x, null, KernelKind.NTK,
          dir.resolve("k.npy"), options.withThreads(1), (done, total) -> Thread.currentThread().interrupt()));
    } finally {
      Thread.interrupted();
    }
    assertNoFiles();
  }

  @Test
  void badRequestsAreRefusedBeforeAnyWork() throws IOException {
    Layer net = Architectures.parse("dense(1, 0)");
    Matrix x = Matrix.of(new double[][] {{1, 2}});
    IllegalArgumentException csv = assertThrows(IllegalArgumentException.class, () -> Kernels.writeNpy(net, x, null,
        KernelKind.NTK, dir.resolve("k.csv"), ComputeOptions.defaults(), ProgressListener.none()));
    assertTrue(csv.getMessage().contains(".npy"), csv.getMessage());
    // Without the kernels-opencl module (as in this module's tests) OPENCL says how to get it.
    BackendUnavailableException opencl = assertThrows(BackendUnavailableException.class, () -> Kernels.writeNpy(net, x,
        null, KernelKind.NTK, dir.resolve("k.npy"), ComputeOptions.defaults().withBackend(Backend.OPENCL),
        ProgressListener.none()));
    assertTrue(opencl.getMessage().contains("kernels-opencl"), opencl.getMessage());
    assertNoFiles();
  }

  private void assertNoFiles() throws IOException {
    try (Stream<Path> files = Files.list(dir)) {
      assertEquals(0, files.count(), "no partial or temporary file is left");
    }
  }
}
