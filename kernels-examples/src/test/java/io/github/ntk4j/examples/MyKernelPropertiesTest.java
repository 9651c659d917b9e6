package io.github.ntk4j.examples;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.ntk4j.Kernels;
import io.github.ntk4j.Matrix;
import io.github.ntk4j.empirical.MonteCarlo;
import io.github.ntk4j.empirical.MonteCarloEstimate;
import io.github.ntk4j.layers.Architectures;
import io.github.ntk4j.layers.Layer;
import io.github.ntk4j.testing.CheckResult;
import io.github.ntk4j.testing.Generators;
import io.github.ntk4j.testing.KernelChecks;
import java.util.SplittableRandom;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * How a user writes property tests with {@code io.github.ntk4j.testing} in plain JUnit 5
 * (docs/property-testing.md quotes this class): seeded cases from a {@code @MethodSource}, the seed
 * in every failure message, and checks that report the worst entry.
 */
class MyKernelPropertiesTest {
  // snippet:properties
  static LongStream seeds() {
    return LongStream.range(0, 25);
  }

  /** My property: on any generated architecture and awkward inputs, the NTK is symmetric PSD. */
  @ParameterizedTest(name = "seed {0}")
  @MethodSource("seeds")
  void ntkIsSymmetricPositiveSemidefinite(long seed) {
    SplittableRandom r = new SplittableRandom(seed);
    Layer arch = Generators.architecture(r, true);
    Matrix x = Generators.inputs(r, 2 + r.nextInt(15), 1 + r.nextInt(6)); // zero, duplicate, negated rows
    Matrix k = Kernels.ntk(arch, x, null);
    CheckResult psd = KernelChecks.positiveSemidefinite(k, 1e-10);
    assertTrue(psd.passed(), () -> "seed " + seed + ", " + arch + ": " + psd);
  }
  // end-snippet

  /** My property: a one-hidden-layer ReLU network's NTK is what finite networks average to. */
  @Test
  void ntkMatchesFiniteNetworks() {
    Layer arch = Architectures.parse("serial(dense(1.5, 0.1), relu(), dense(1.2, 0.05))");
    Matrix x = Generators.genericInputs(new SplittableRandom(7), 6, 4);
    MonteCarloEstimate mc = MonteCarlo.kernels(arch, x, null, 512, 1, 32, 7, 2);
    KernelChecks.monteCarloAgreement(Kernels.ntk(arch, x, null), mc.ntk(), mc.ntkStandardError(), 5, 2.0 / 512).orThrow();
  }
}
