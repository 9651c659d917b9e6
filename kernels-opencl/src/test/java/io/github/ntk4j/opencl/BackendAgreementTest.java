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
import io.github.ntk4j.NumericalException;
import io.github.ntk4j.Precision;
import io.github.ntk4j.layers.Architectures;
import io.github.ntk4j.layers.Layer;
import io.github.ntk4j.testing.Generators;
import io.github.ntk4j.testing.KernelChecks;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/** The OpenCL backend computes the CPU backend's kernels, on generated architectures and awkward inputs. */
class BackendAgreementTest {
  private static final ComputeOptions CPU = ComputeOptions.defaults().withBackend(Backend.CPU).withThreads(2);
  /**
   * Float64 agreement. The device's Gram product follows the CPU's order of operations bit for bit;
   * what remains are the device's atan/atan2, within an ulp or two of Java's.
   */
  private static final double TOLERANCE = 1e-12;
  private static final Set<KernelKind> BOTH = EnumSet.allOf(KernelKind.class);
  private static OpenClContext small;

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
    return IntStream.range(0, 40).mapToObj(i -> 1000L + i);
  }

  @ParameterizedTest(name = "seed {0}")
  @MethodSource("seeds")
  void deviceChainsAgreeWithTheCpuInFloat64(long seed) {
    SplittableRandom r = new SplittableRandom(seed);
    Layer net = Generators.architecture(r, r.nextBoolean(), Devices.DEVICE_ACTIVATIONS);
    int d = 1 + r.nextInt(r.nextBoolean() ? 5 : 40);
    Matrix x1 = Generators.inputs(r, 1 + r.nextInt(45), d);
    Matrix x2 = r.nextBoolean() ? null : Generators.inputs(r, 1 + r.nextInt(37), d);
    KernelResult device = small.compute(net, x1, x2, BOTH, CPU);
    assertTrue(device.provenance().backend().contains("chain on the device"), device.provenance().backend());
    compare(seed, net, x1, x2, device, TOLERANCE);
  }

  @ParameterizedTest(name = "seed {0}")
  @MethodSource("seeds")
  void everyLayerAgreesWithTheCpuThroughTheHostChain(long seed) {
    SplittableRandom r = new SplittableRandom(seed);
    Layer net = Generators.architecture(r, r.nextBoolean(), Set.copyOf(Generators.activationNames()));
    int d = 1 + r.nextInt(20);
    Matrix x1 = Generators.inputs(r, 1 + r.nextInt(40), d);
    Matrix x2 = r.nextBoolean() ? null : Generators.inputs(r, 1 + r.nextInt(30), d);
    KernelResult cpu;
    try {
      cpu = Kernels.compute(net, x1, x2, BOTH, CPU);
    } catch (NumericalException overflow) {
      // Kernels that overflow on the CPU must overflow here too, never come back as numbers.
      assertThrows(NumericalException.class, () -> small.compute(net, x1, x2, BOTH, CPU), "seed " + seed);
      return;
    }
    KernelResult device = small.compute(net, x1, x2, BOTH, CPU);
    assertTrue(device.provenance().backend().contains("chain on 2 CPU threads")
        || device.provenance().backend().contains("chain on the device"), device.provenance().backend());
    compare(seed, net, x1, x2, device, TOLERANCE);
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {
      "serial(dense(1.3, 0.2), relu(), dense(0.9, 0.1), layernorm(), erf(0.7, 1.4, 0), dense(1, 0))",
      "serial(dense(1.1, 0.3), parallel(serial(relu(), dense(1.2)), serial(abs(), dense(0.8, 0.4)), fanin=sum),"
          + " leakyrelu(0.1), dense(1, 0.2))",
      "serial(dense(1.2, 0.1), parallel(serial(relu(), dense(1.2, 0)), dense(1, 0), fanin=concat), dense(1.1, 0.2),"
          + " scale(1.7), abrelu(-0.4, 1.3), dense(2, 0.5), bias(0.3))",
      "serial(dense(1.4, 0.3, width=7, parameterization=standard), relu(), dense(1.1, 0.2, parameterization=standard))",
      "serial(dense(1, 0), parallel(parallel(serial(relu(), dense(1, 0)), dense(1, 0), fanin=sum), dense(1, 0), fanin=sum), relu(), dense(1, 0))"})
  void structuralLayersAgree(String spec) {
    Layer net = Architectures.parse(spec);
    SplittableRandom r = new SplittableRandom(spec.hashCode());
    Matrix x = Generators.inputs(r, 37, 11);
    KernelResult device = small.compute(net, x, null, BOTH, CPU);
    assertTrue(device.provenance().backend().contains("chain on the device"), device.provenance().backend());
    compare(spec.hashCode(), net, x, null, device, TOLERANCE);
  }

  @Test
  void oneRowAndOneColumnAndAllZeroRowsWork() {
    Layer net = Architectures.parse("serial(dense(1.5, 0.1), relu(), dense(1.5, 0.1))");
    Matrix one = Matrix.of(new double[][] {{0.3, -1.2, 2.0}});
    compare(1, net, one, null, small.compute(net, one, null, BOTH, CPU), 1e-12);
    Matrix zeros = Matrix.of(new double[5][3]);
    compare(2, net, zeros, one, small.compute(net, zeros, one, BOTH, CPU), 1e-12);
  }

  @Test
  void duplicateAndNegatedRowsKeepCorrelationsOfExactlyPlusAndMinusOne() {
    Layer net = Architectures.parse("serial(dense(1.2, 0), relu(), dense(1.2, 0), relu(), dense(1, 0))");
    SplittableRandom r = new SplittableRandom(7);
    double[] row = new double[50];
    for (int k = 0; k < row.length; k++) {
      row[k] = Generators.gaussian(r);
    }
    double[][] x = new double[3][];
    x[0] = row.clone();
    x[1] = row.clone();
    x[2] = new double[50];
    for (int k = 0; k < 50; k++) {
      x[2][k] = -3 * row[k];
    }
    Matrix m = Matrix.of(x);
    KernelResult device = small.compute(net, m, m, BOTH, CPU);
    // A duplicate's kernel equals the diagonal exactly on the CPU; the device agrees to rounding.
    compare(3, net, m, m, device, 1e-13);
  }

  @ParameterizedTest(name = "seed {0}")
  @ValueSource(longs = {11, 12, 13, 14, 15, 16})
  void float32AgreesWithFloat64WithinTheDocumentedTolerance(long seed) {
    SplittableRandom r = new SplittableRandom(seed);
    Layer net = Generators.architecture(r, false, Devices.DEVICE_ACTIVATIONS);
    Matrix x = Generators.genericInputs(r, 33, 1 + r.nextInt(60));
    KernelResult single = small.compute(net, x, null, BOTH, CPU.withPrecision(Precision.FLOAT32));
    assertEquals(Precision.FLOAT32, single.provenance().precision());
    KernelResult reference = Kernels.compute(net, x, null, BOTH, CPU);
    String where = "seed " + seed + ", " + net;
    KernelChecks.agreement(where + " NNGP", reference.nngp(), single.nngp(), 2e-4, 1e-3).orThrow();
    KernelChecks.agreement(where + " NTK", reference.ntk(), single.ntk(), 2e-4, 1e-3).orThrow();
  }

  @Test
  void theBackendOptionRoutesToTheDevice() {
    Layer net = Architectures.parse("serial(dense(1, 0), relu(), dense(1, 0))");
    Matrix x = Generators.genericInputs(new SplittableRandom(5), 20, 6);
    KernelResult r = Kernels.compute(net, x, null, BOTH, CPU.withBackend(Backend.OPENCL));
    assertTrue(r.provenance().backend().startsWith("opencl ("), r.provenance().backend());
    compare(5, net, x, null, r, 1e-12);
  }

  private static void compare(long seed, Layer net, Matrix x1, Matrix x2, KernelResult device, double tolerance) {
    KernelResult cpu = Kernels.compute(net, x1, x2, BOTH, CPU);
    String where = "seed " + seed + ", " + net + ", " + x1.rows() + "x" + (x2 == null ? x1.rows() : x2.rows())
        + " d=" + x1.cols();
    for (KernelKind k : List.of(KernelKind.NNGP, KernelKind.NTK)) {
      KernelChecks.agreement(where + " " + k, cpu.get(k), device.get(k), tolerance).orThrow();
    }
  }
}
