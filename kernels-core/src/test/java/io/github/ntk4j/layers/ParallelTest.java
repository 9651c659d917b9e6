package io.github.ntk4j.layers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.ntk4j.KernelKind;
import io.github.ntk4j.KernelResult;
import io.github.ntk4j.Kernels;
import io.github.ntk4j.Matrix;
import io.github.ntk4j.empirical.FiniteNetwork;
import io.github.ntk4j.empirical.MonteCarlo;
import io.github.ntk4j.empirical.MonteCarloEstimate;
import io.github.ntk4j.testing.Generators;
import io.github.ntk4j.testing.KernelChecks;
import java.util.EnumSet;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** parallel(..., fanin=sum|concat): exact identities, finite networks, and the structural rules. */
class ParallelTest {
  static final Matrix X =
      Matrix.of(new double[][] {{1.0, -2.0, 0.5}, {0.3, 0.8, -1.1}, {-1.0, -1.0, 2.0}, {0, 0, 0}, {2.0, -4.0, 1.0}});

  static void same(String a, String b) {
    KernelChecks.equivalentArchitectures(Architectures.parse(a), Architectures.parse(b), X, null, 1e-13).orThrow();
  }

  @Test
  void fanInIdentitiesHoldExactly() {
    String a = "serial(relu(), dense(0.9, 0.2), erf(), dense(1.1, 0.1))";
    same("serial(dense(1.2, 0.3), parallel(" + a + ", fanin=sum))", "serial(dense(1.2, 0.3), " + a + ")");
    same("serial(dense(1.2, 0.3), parallel(" + a + ", " + a + ", fanin=concat))", "serial(dense(1.2, 0.3), " + a + ")");
    // Two dense branches summed are one dense layer with the variances added.
    same("serial(dense(1.2, 0.3), relu(), parallel(dense(0.6, 0.3), dense(0.8, 0.4)), relu(), dense(1.0))",
        "serial(dense(1.2, 0.3), relu(), dense(1.0, 0.5), relu(), dense(1.0))");
    // Nested parallels.
    same("serial(dense(1.2, 0.3), parallel(parallel(" + a + ", fanin=sum), identity(), fanin=sum))",
        "serial(dense(1.2, 0.3), parallel(" + a + ", identity(), fanin=sum))");
  }

  @Test
  void residualAndConcatenatedNetworksMatchFiniteWidthNetworks() {
    for (String arch :
        List.of(
            "serial(dense(1.2, 0.2), parallel(identity(), serial(relu(), dense(0.9, 0.1)), fanin=sum), relu(), dense(1.0, 0.1))",
            "serial(dense(1.1, 0.1), parallel(serial(erf(), dense(1.0)), serial(relu(), dense(1.3, 0.2)), fanin=concat), dense(0.9, 0.2))")) {
      Layer net = Architectures.parse(arch);
      MonteCarloEstimate mc = MonteCarlo.kernels(net, X, null, 512, 1, 64, 13, 2);
      KernelChecks.monteCarloAgreement(Kernels.nngp(net, X, null), mc.nngp(), mc.nngpStandardError(), 5, 0.03).orThrow();
      KernelChecks.monteCarloAgreement(Kernels.ntk(net, X, null), mc.ntk(), mc.ntkStandardError(), 5, 0.03).orThrow();
    }
  }

  @Test
  void gradientsThroughBranchesMatchFiniteDifferences() {
    for (String arch :
        List.of(
            "serial(dense(1.2, 0.2), parallel(identity(), serial(relu(), dense(0.9, 0.1)), fanin=sum), gelu(), dense(1.0, 0.1))",
            "serial(dense(1.1, 0.1), parallel(serial(erf(), dense(1.0)), serial(sin(), dense(1.3, 0.2)), fanin=concat), dense(0.9, 0.2))")) {
      FiniteNetwork f = FiniteNetwork.sample(Architectures.parse(arch), 3, 5, 1, 9);
      double[] x = X.row(2);
      double[] g = f.parameterGradient(x, 0);
      double[] theta = f.parameters();
      for (int p = 0; p < theta.length; p += 2) {
        double[] up = theta.clone();
        double[] down = theta.clone();
        up[p] += 1e-6;
        down[p] -= 1e-6;
        double fd = (f.withParameters(up).apply(Matrix.of(new double[][] {x})).get(0, 0)
            - f.withParameters(down).apply(Matrix.of(new double[][] {x})).get(0, 0)) / 2e-6;
        assertEquals(fd, g[p], 1e-6 * (1 + Math.abs(fd)), arch + " parameter " + p);
      }
    }
  }

  static LongStream seeds() {
    return LongStream.range(0, 30);
  }

  @ParameterizedTest(name = "seed {0}")
  @MethodSource("seeds")
  void generatedResidualNetworksKeepTheKernelIdentities(long seed) {
    SplittableRandom r = new SplittableRandom(seed);
    Layer inner = Generators.architecture(r, false);
    Layer net = Layers.serial(Generators.dense(r), r.nextBoolean() ? Layers.parallelSum(Layers.identity(), inner)
        : Layers.parallelConcat(inner, Generators.architecture(r, false)), Generators.dense(r));
    Matrix x = AllLayersPropertiesTest.moderate(Generators.inputs(r, 2 + r.nextInt(8), 1 + r.nextInt(5)));
    KernelResult sym = Kernels.compute(net, x, null, EnumSet.allOf(KernelKind.class));
    KernelResult gen = Kernels.compute(net, x, Matrix.ofRowMajor(x.rows(), x.cols(), x.toRowMajorArray()), EnumSet.allOf(KernelKind.class));
    KernelChecks.agreement("NNGP paths, seed " + seed + " " + net, sym.nngp(), gen.nngp(), 1e-11).orThrow();
    KernelChecks.agreement("NTK paths, seed " + seed + " " + net, sym.ntk(), gen.ntk(), 1e-11).orThrow();
    KernelChecks.positiveSemidefinite(sym.nngp(), 1e-9).orThrow();
    KernelChecks.stringRoundTrip(net).orThrow();
  }

  @Test
  void rulesAndStringsAreEnforced() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> Kernels.nngp(Architectures.parse("serial(dense(1), parallel(dense(1), dense(1), fanin=concat), relu(), dense(1))"), X, null));
    assertTrue(e.getMessage().contains("relu()"), e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> Architectures.parse("parallel(dense(1), fanin=max)"));
    assertThrows(IllegalArgumentException.class, () -> Architectures.parse("parallel()"));
    assertThrows(IllegalArgumentException.class, () -> Architectures.parse("parallel(fanin=sum, dense(1))"));
    assertEquals(Parallel.FanIn.SUM, ((Parallel) Architectures.parse("parallel(dense(1))")).fanIn());
    IllegalArgumentException widths = assertThrows(IllegalArgumentException.class,
        () -> FiniteNetwork.sample(Architectures.parse("serial(parallel(identity(), dense(1.0)), dense(1.0))"), 3, 8, 1, 1));
    assertTrue(widths.getMessage().contains("different widths"), widths.getMessage());
    IllegalArgumentException last = assertThrows(IllegalArgumentException.class,
        () -> FiniteNetwork.sample(Architectures.parse("serial(dense(1.0), parallel(dense(1.0), dense(1.0)))"), 3, 8, 1, 1));
    assertTrue(last.getMessage().contains("after the last parallel"), last.getMessage());
  }
}
