package io.github.ntk4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.ntk4j.layers.Architectures;
import io.github.ntk4j.layers.Layer;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Kernels against values computed independently in 400-digit arithmetic by
 * src/test/resources/golden/generate_golden.py (textbook formulas, mpmath), and against the
 * published values of shared/math/kernels.md §6.
 */
class GoldenValuesTest {
  record Case(String name, String arch, Matrix x1, Matrix x2, Matrix nngp, Matrix ntk) {
    @Override
    public String toString() {
      return name;
    }
  }

  static Stream<Case> cases() throws IOException {
    List<Case> out = new ArrayList<>();
    try (BufferedReader r =
        new BufferedReader(
            new InputStreamReader(GoldenValuesTest.class.getResourceAsStream("/golden/golden.txt"), StandardCharsets.UTF_8))) {
      String line;
      String name = null;
      String arch = null;
      double[][] x1 = null;
      double[][] x2 = null;
      double[] nngp = null;
      double[] ntk = null;
      while ((line = r.readLine()) != null) {
        if (line.startsWith("#") || line.isBlank()) {
          continue;
        }
        String key = line.contains(" ") ? line.substring(0, line.indexOf(' ')) : line;
        String value = line.substring(key.length()).trim();
        switch (key) {
          case "case" -> name = value;
          case "arch" -> arch = value;
          case "x1" -> x1 = rows(value);
          case "x2" -> x2 = value.equals("-") ? null : rows(value);
          case "nngp" -> nngp = values(value);
          case "ntk" -> ntk = values(value);
          case "end" -> {
            int n2 = x2 == null ? x1.length : x2.length;
            out.add(new Case(name, arch, Matrix.of(x1), x2 == null ? null : Matrix.of(x2),
                Matrix.ofRowMajor(x1.length, n2, nngp), Matrix.ofRowMajor(x1.length, n2, ntk)));
          }
          default -> throw new IllegalStateException("golden.txt: unknown line " + line);
        }
      }
    }
    return out.stream();
  }

  private static double[][] rows(String s) {
    return Arrays.stream(s.split(";")).map(GoldenValuesTest::values).toArray(double[][]::new);
  }

  private static double[] values(String s) {
    return Arrays.stream(s.split(",")).mapToDouble(Double::parseDouble).toArray();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void matchesHighPrecisionReference(Case c) {
    Layer arch = Architectures.parse(c.arch());
    KernelResult r = TestSupport.both(arch, c.x1(), c.x2());
    // The reference is exact to the last bit. Float64 closed forms lose a few ulps per layer (1e-12
    // on every generic case here). The near-collinear cases (pairs within 1e-2 to 1e-9 of ±x) keep
    // about 11 digits: Θ there is the difference of terms of opposite sign, and the erf layer's output
    // angle comes from a compensated determinant. Entries that vanish exactly (a zero row with no
    // bias) are compared against 1e-14 of the largest entry.
    double tolerance = c.name().startsWith("near-collinear") ? 3e-11 : 1e-12;
    double nngpErr = TestSupport.maxRelativeError(r.nngp(), c.nngp(), 1e-14);
    double ntkErr = TestSupport.maxRelativeError(r.ntk(), c.ntk(), 1e-14);
    System.out.printf("golden %-24s NNGP %.1e  NTK %.1e%n", c.name(), nngpErr, ntkErr);
    assertTrue(nngpErr < tolerance, c.name() + ": NNGP relative error " + nngpErr);
    assertTrue(ntkErr < tolerance, c.name() + ": NTK relative error " + ntkErr);
  }

  @Test
  void matchesThePublishedValuesOfTheMathNotes() {
    // shared/math/kernels.md §6, architecture A on x1, x2, x3, entry (1,2) and (3,3), 12 digits.
    Matrix x = Matrix.of(new double[][] {{1.0, -2.0, 0.5}, {0.3, 0.8, -1.1}, {-1.0, -1.0, 2.0}});
    Layer a = Architectures.parse(
        "serial(dense(1.4, 0.3), relu(), dense(1.1, 0.2), relu(), dense(0.8, 0.5))");
    KernelResult r = TestSupport.both(a, x, null);
    assertEquals(0.944272000000, r.nngp().get(0, 0), 1e-12);
    assertEquals(0.419073578476, r.nngp().get(0, 1), 1e-12);
    assertEquals(0.411503488888, r.ntk().get(0, 1), 1e-12);
    assertEquals(2.60460800000, r.ntk().get(2, 2), 1e-11);
    Layer b = Architectures.parse("serial(dense(1.3, 0.2), erf(), dense(1.0, 0.1))");
    KernelResult rb = TestSupport.both(b, x, null);
    assertEquals(-0.500777660570, rb.nngp().get(1, 2), 1e-12);
    assertEquals(-1.15932609052, rb.ntk().get(1, 2), 1e-11);
  }
}
