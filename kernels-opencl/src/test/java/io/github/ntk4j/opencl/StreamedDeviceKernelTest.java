package io.github.ntk4j.opencl;

import static org.junit.jupiter.api.Assertions.assertEquals;
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
import io.github.ntk4j.Provenance;
import io.github.ntk4j.io.MatrixFiles;
import io.github.ntk4j.layers.Architectures;
import io.github.ntk4j.layers.Layer;
import io.github.ntk4j.testing.Generators;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.CancellationException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Kernels streamed from the device to .npy tile by tile are the device's in-memory kernels, bit for
 * bit, on both device routes (the fused chain, and the host chain on device Gram blocks), or no file
 * at all. Every failure message starts with the seed.
 */
class StreamedDeviceKernelTest {
  private static OpenClContext small;

  @TempDir Path dir;

  @BeforeAll
  static void open() {
    small = Devices.openWithSmallTiles();
  }

  @AfterAll
  static void close() {
    if (small != null) {
      small.close();
    }
  }

  static Stream<Long> seeds() {
    return IntStream.range(0, 20).mapToObj(i -> 7000L + i);
  }

  @ParameterizedTest(name = "seed {0}")
  @MethodSource("seeds")
  void theStreamedFileHoldsExactlyTheDevicesInMemoryKernel(long seed) throws IOException {
    SplittableRandom r = new SplittableRandom(seed);
    boolean fused = r.nextBoolean();
    Layer net = Generators.architecture(r, r.nextBoolean(),
        fused ? Devices.DEVICE_ACTIVATIONS : Set.copyOf(Generators.activationNames()));
    int d = 1 + r.nextInt(20);
    Matrix x1 = Generators.inputs(r, 1 + r.nextInt(60), d);
    Matrix x2 = r.nextBoolean() ? null : Generators.inputs(r, 1 + r.nextInt(45), d);
    KernelKind kind = r.nextBoolean() ? KernelKind.NTK : KernelKind.NNGP;
    Precision precision = r.nextInt(3) == 0 || !small.supportsFloat64() ? Precision.FLOAT32 : Precision.FLOAT64;
    ComputeOptions options = ComputeOptions.defaults().withPrecision(precision).withThreads(1 + r.nextInt(2))
        .withTileSize(16 + r.nextInt(30));
    String label = "seed " + seed + ", " + net + ", " + kind + ", " + precision;
    Path out = dir.resolve("k.npy");
    Matrix expected;
    try {
      expected = small.compute(net, x1, x2, EnumSet.of(kind), options).get(kind);
    } catch (NumericalException e) {
      assertThrows(NumericalException.class, () -> small.writeNpy(net, x1, x2, kind, out, options, ProgressListener.none()),
          label);
      assertNoFiles();
      return;
    }
    AtomicLong last = new AtomicLong();
    Provenance p = small.writeNpy(net, x1, x2, kind, out, options, (done, total) -> last.set(total - done));
    assertEquals(0, last.get(), label + ": progress reaches the total");
    assertTrue(p.backend().startsWith("opencl") && p.backend().contains("streamed"), p.backend());
    assertEquals(expected, MatrixFiles.read(out), label);
  }

  @Test
  void kernelsWriteNpyRoutesToTheDevice() throws IOException {
    Layer net = Architectures.parse("serial(dense(1.5, 0.05), relu(), dense(1.5, 0.05), relu(), dense(1.5, 0.05))");
    Matrix x = Generators.inputs(new SplittableRandom(3), 70, 9);
    ComputeOptions options = ComputeOptions.defaults().withBackend(Backend.OPENCL);
    Path out = dir.resolve("k.npy");
    Provenance p = Kernels.writeNpy(net, x, null, KernelKind.NTK, out, options, ProgressListener.none());
    assertTrue(p.backend().startsWith("opencl"), p.backend());
    assertEquals(Kernels.compute(net, x, null, EnumSet.of(KernelKind.NTK), options).ntk(), MatrixFiles.read(out));
  }

  @Test
  void aNonFiniteEntryOrACancellationOrABadPathLeavesNoFile() throws IOException {
    Layer overflowing = Architectures.parse("serial(dense(1.0e150, 0), relu(), dense(1.0e150, 0))");
    Matrix x = Generators.genericInputs(new SplittableRandom(1), 40, 3);
    ComputeOptions options = ComputeOptions.defaults();
    NumericalException e = assertThrows(NumericalException.class, () -> small.writeNpy(overflowing, x, null,
        KernelKind.NTK, dir.resolve("k.npy"), options, ProgressListener.none()));
    assertTrue(e.getMessage().contains("not finite"), e.getMessage());
    assertNoFiles();
    Layer net = Architectures.parse("serial(dense(1.5, 0.1), relu(), dense(1.5, 0.1))");
    try {
      assertThrows(CancellationException.class, () -> small.writeNpy(net, x, null, KernelKind.NTK,
          dir.resolve("k.npy"), options, (done, total) -> Thread.currentThread().interrupt()));
    } finally {
      Thread.interrupted();
    }
    assertNoFiles();
    IllegalArgumentException csv = assertThrows(IllegalArgumentException.class, () -> small.writeNpy(net, x, null,
        KernelKind.NTK, dir.resolve("k.csv"), options, ProgressListener.none()));
    assertTrue(csv.getMessage().contains(".npy"), csv.getMessage());
    assertNoFiles();
  }

  private void assertNoFiles() throws IOException {
    try (Stream<Path> files = Files.list(dir)) {
      assertEquals(0, files.count(), "no partial or temporary file is left");
    }
  }
}
