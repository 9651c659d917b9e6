package io.github.ntk4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.ntk4j.layers.Architectures;
import io.github.ntk4j.layers.Layer;
import java.util.EnumSet;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Bad input gets a clear error that names the problem, never a wrong number. */
class ErrorsTest {
  private static final Matrix X = Matrix.of(new double[][] {{1, 2}, {3, 4}});

  private static String message(Runnable r) {
    return assertThrows(IllegalArgumentException.class, r::run).getMessage();
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "relu()|is first, but an activation needs a Dense layer",
        "serial(relu(), dense(1))|is first",
        "serial(dense(1), relu(), erf())|follows relu(); an activation must directly follow a Dense layer",
        "serial(dense(1, 0, parameterization=standard), relu(), dense(1, 0, parameterization=standard))|needs the width of the Dense layer before it",
      })
  void architecturesWithoutAKernelAreRejected(String spec, String expected) {
    Layer arch = Architectures.parse(spec);
    String m = message(() -> Kernels.ntk(arch, X, null));
    assertTrue(m.contains(expected), m);
  }

  @Test
  void inputsMustBeFiniteAndShapesMustAgree() {
    Layer arch = Architectures.parse("serial(dense(1), relu(), dense(1))");
    Matrix nan = Matrix.of(new double[][] {{1, 2}, {3, Double.NaN}});
    assertEquals("x1: row 1, column 1 is NaN; inputs must be finite numbers", message(() -> Kernels.ntk(arch, nan, null)));
    Matrix inf = Matrix.of(new double[][] {{Double.NEGATIVE_INFINITY, 2}});
    assertTrue(message(() -> Kernels.ntk(arch, X, inf)).startsWith("x2: row 0, column 0 is -Infinity"));
    Matrix three = Matrix.of(new double[][] {{1, 2, 3}});
    assertTrue(message(() -> Kernels.ntk(arch, X, three)).contains("x2: has 3 columns but x1 has 2"));
    assertTrue(message(() -> Kernels.compute(arch, X, null, Set.of())).contains("kinds"));
  }

  @Test
  void overflowingNormsAreReportedNotReturnedAsInfinity() {
    Layer arch = Architectures.parse("serial(dense(1), relu(), dense(1))");
    Matrix huge = Matrix.of(new double[][] {{1e200, 1e200}, {1, 1}});
    assertTrue(message(() -> Kernels.ntk(arch, huge, null)).contains("x1: row 0 has a squared norm"));
  }

  @Test
  void kernelsThatOverflowRaiseANumericalException() {
    StringBuilder deep = new StringBuilder("serial(dense(1000)");
    for (int i = 0; i < 60; i++) {
      deep.append(", relu(), dense(1000)");
    }
    Layer arch = Architectures.parse(deep.append(")").toString());
    NumericalException e = assertThrows(NumericalException.class, () -> Kernels.ntk(arch, X, null));
    assertTrue(e.getMessage().contains("not finite"), e.getMessage());
  }

  @Test
  void aKernelLargerThanTheHeapIsRefusedUpFront() {
    // Two 40000 x 40000 kernels = 25.6 GB, more than any heap the test JVM gets by default.
    long max = Runtime.getRuntime().maxMemory();
    org.junit.jupiter.api.Assumptions.assumeTrue(max < 25_000_000_000L, "heap too large for this check");
    Matrix x = Matrix.ofRowMajor(40000, 1, new double[40000]);
    String m = message(() -> Kernels.compute(Architectures.parse("dense(1)"), x, null, EnumSet.allOf(KernelKind.class)));
    assertTrue(m.contains("40000x40000 kernel needs about 25.6 GB"), m);
    assertTrue(m.contains("-Xmx"), m);
  }

  @Test
  void theOpenClBackendFailsClearlyWhenAbsent() {
    Layer arch = Architectures.parse("dense(1)");
    BackendUnavailableException e =
        assertThrows(
            BackendUnavailableException.class,
            () -> Kernels.compute(arch, X, null, EnumSet.of(KernelKind.NTK), ComputeOptions.defaults().withBackend(Backend.OPENCL)));
    assertTrue(e.getMessage().startsWith("opencl:"), e.getMessage());
  }

  @Test
  void optionsValidateTheirValues() {
    assertThrows(IllegalArgumentException.class, () -> ComputeOptions.defaults().withThreads(0));
    assertThrows(IllegalArgumentException.class, () -> ComputeOptions.defaults().withTileSize(8));
    assertThrows(IllegalStateException.class, () -> Kernels.compute(Architectures.parse("dense(1)"), X, null, EnumSet.of(KernelKind.NNGP)).ntk());
    assertThrows(IllegalArgumentException.class, () -> KernelKind.fromName("sign"));
    assertEquals(KernelKind.NTK, KernelKind.fromName(" NTK "));
  }

  @Test
  void warmUpNamesItsBadArguments() {
    Layer arch = Architectures.parse("serial(dense(1), relu(), dense(1))");
    String m = message(() -> Kernels.warmUp(arch, EnumSet.noneOf(KernelKind.class), ComputeOptions.defaults()));
    assertTrue(m.contains("kinds"), m);
    NullPointerException e = assertThrows(NullPointerException.class,
        () -> Kernels.warmUp(null, EnumSet.of(KernelKind.NTK), ComputeOptions.defaults()));
    assertEquals("architecture", e.getMessage());
  }
}
