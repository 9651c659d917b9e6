package io.github.ntk4j.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.ntk4j.ComputeOptions;
import io.github.ntk4j.Kernels;
import io.github.ntk4j.Matrix;
import io.github.ntk4j.Precision;
import io.github.ntk4j.empirical.MonteCarlo;
import io.github.ntk4j.empirical.MonteCarloEstimate;
import io.github.ntk4j.layers.Activation;
import io.github.ntk4j.layers.Architectures;
import io.github.ntk4j.layers.Layer;
import io.github.ntk4j.layers.Serial;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The kit's checks pass on correct kernels and, above all, fail on deliberately wrong ones. */
class KernelChecksTest {
  static final Layer ARCH = Architectures.parse("serial(dense(1.4, 0.3), relu(), dense(1.1, 0.2), erf(), dense(0.8, 0.5))");

  static LongStream seeds() {
    return LongStream.range(0, 20).map(s -> 31 * s + 5);
  }

  private static Matrix perturb(Matrix m, int i, int j, double relative) {
    double[][] a = m.toArray();
    a[i][j] *= 1 + relative;
    return Matrix.of(a);
  }

  @ParameterizedTest(name = "seed {0}")
  @MethodSource("seeds")
  void aPerturbedEntryBreaksSymmetryAndTransposeConsistencyAtItsIndex(long seed) {
    SplittableRandom r = new SplittableRandom(seed);
    Matrix x = Generators.genericInputs(r, 3 + r.nextInt(8), 1 + r.nextInt(5));
    Matrix k = Kernels.ntk(ARCH, x, null);
    assertTrue(KernelChecks.symmetry(k, 0).passed(), "seed " + seed);
    int i = r.nextInt(k.rows());
    int j = (i + 1 + r.nextInt(k.rows() - 1)) % k.rows();
    CheckResult bad = KernelChecks.symmetry(perturb(k, i, j, 1e-9), 1e-12);
    assertFalse(bad.passed(), "seed " + seed + ": " + bad);
    assertEquals(Math.min(i, j), bad.row(), "seed " + seed);
    assertEquals(Math.max(i, j), bad.column(), "seed " + seed);
    Matrix x2 = Generators.genericInputs(r, 2 + r.nextInt(6), x.cols());
    Matrix k12 = Kernels.nngp(ARCH, x, x2);
    Matrix k21 = Kernels.nngp(ARCH, x2, x);
    assertTrue(KernelChecks.transposeConsistency(k12, k21, 1e-14).passed(), "seed " + seed);
    CheckResult t = KernelChecks.transposeConsistency(k12, perturb(k21, 1, 0, 1e-9), 1e-12);
    assertFalse(t.passed(), "seed " + seed);
    assertEquals(0, t.row());
    assertEquals(1, t.column());
  }

  @Test
  void aMatrixWithANegativeEigenvalueIsNotPositiveSemidefinite() {
    assertFalse(KernelChecks.positiveSemidefinite(Matrix.of(new double[][] {{1, 2}, {2, 1}}), 1e-10).passed());
    // A kernel with one entry pushed outside the Cauchy–Schwarz bound.
    Matrix k = Kernels.nngp(ARCH, Matrix.of(new double[][] {{1, 0, 0}, {0.99, 0.1, 0}, {0, 1, 0}}), null);
    assertTrue(KernelChecks.positiveSemidefinite(k, 1e-10).passed());
    double[][] a = k.toArray();
    a[0][1] = a[1][0] = 1.01 * Math.sqrt(a[0][0] * a[1][1]);
    CheckResult bad = KernelChecks.positiveSemidefinite(Matrix.of(a), 1e-10);
    assertFalse(bad.passed(), bad.toString());
    assertFalse(KernelChecks.positiveSemidefinite(perturb(k, 0, 1, 1e-6), 1e-10).passed(), "not symmetric");
  }

  @Test
  void swappedStandardDeviationsAreNotEquivalent() {
    Matrix x = Generators.genericInputs(new SplittableRandom(1), 6, 3);
    assertTrue(KernelChecks.equivalentArchitectures(Architectures.parse("serial(dense(1.2, 0.3), relu(), dense(1))"),
        Architectures.parse("serial(dense(1.2, 0.3), abrelu(0, 1), dense(1))"), x, null, 1e-14).passed());
    CheckResult swapped = KernelChecks.equivalentArchitectures(Architectures.parse("serial(dense(1.2, 0.3), relu(), dense(1))"),
        Architectures.parse("serial(dense(0.3, 1.2), relu(), dense(1))"), x, null, 1e-6);
    assertFalse(swapped.passed(), swapped.toString());
    AssertionError e = assertThrows(AssertionError.class, swapped::orThrow);
    assertTrue(e.getMessage().contains("FAILED"), e.getMessage());
  }

  @Test
  void theScalingLawHoldsForTheLastDenseLayerOnly() {
    Matrix x = Generators.genericInputs(new SplittableRandom(2), 5, 4);
    assertTrue(KernelChecks.denseScaling(ARCH, 1.7, x, 1e-13).passed());
    CheckResult notDense = KernelChecks.denseScaling(Architectures.parse("serial(dense(1.2), relu())"), 1.7, x, 1e-13);
    assertFalse(notDense.passed());
    assertTrue(notDense.detail().contains("not Dense"), notDense.detail());
  }

  @Test
  void float32DiffersFromFloat64ButWithinItsTolerance() {
    Matrix x = Generators.genericInputs(new SplittableRandom(3), 20, 7);
    ComputeOptions f64 = ComputeOptions.defaults();
    ComputeOptions f32 = f64.withPrecision(Precision.FLOAT32);
    assertFalse(KernelChecks.backendsAgree(ARCH, x, null, f64, f32, 0, 0).passed());
    assertTrue(KernelChecks.backendsAgree(ARCH, x, null, f64, f32, 1e-4, 1e-3).passed());
    assertTrue(KernelChecks.backendsAgree(ARCH, x, null, f64, f64.withThreads(1).withTileSize(16), 0, 0).passed());
  }

  @Test
  void monteCarloAgreementUsesTheStandardErrorAndCatchesAWrongKernel() {
    Matrix x = Generators.genericInputs(new SplittableRandom(4), 5, 3);
    MonteCarloEstimate mc = MonteCarlo.kernels(ARCH, x, null, 1024, 8, 32, 77, 2);
    Matrix ntk = Kernels.ntk(ARCH, x, null);
    assertTrue(KernelChecks.monteCarloAgreement(ntk, mc.ntk(), mc.ntkStandardError(), 5, 2.0 / 1024).passed());
    // A kernel 20% off (as a wrong σw would give) is far outside 5 standard errors.
    CheckResult wrong = KernelChecks.monteCarloAgreement(perturb(ntk, 2, 2, 0.2), mc.ntk(), mc.ntkStandardError(), 5, 2.0 / 1024);
    assertFalse(wrong.passed(), wrong.toString());
    assertEquals(2, wrong.row());
    Matrix wrongStd = Kernels.ntk(Architectures.parse("serial(dense(1.4, 0.3), relu(), dense(1.3, 0.2), erf(), dense(0.8, 0.5))"), x, null);
    assertFalse(KernelChecks.monteCarloAgreement(wrongStd, mc.ntk(), mc.ntkStandardError(), 5, 2.0 / 1024).passed());
  }

  @ParameterizedTest(name = "seed {0}")
  @MethodSource("seeds")
  void generatorsAreReproducibleAndRespectRestrictions(long seed) {
    assertEquals(Generators.architecture(new SplittableRandom(seed), true), Generators.architecture(new SplittableRandom(seed), true));
    assertEquals(Generators.inputs(new SplittableRandom(seed), 7, 3), Generators.inputs(new SplittableRandom(seed), 7, 3));
    Layer onlyRelu = Generators.architecture(new SplittableRandom(seed), false, Set.of("relu"));
    assertTrue(((Serial) onlyRelu).layers().stream().filter(l -> l instanceof Activation).allMatch(l -> l.toString().equals("relu()")),
        onlyRelu.toString());
    assertTrue(KernelChecks.stringRoundTrip(onlyRelu).passed());
    Generators.Shape s = Generators.shape(new SplittableRandom(seed), 9, 4);
    assertTrue(s.rows1() >= 1 && s.rows1() <= 9 && s.rows2() >= 1 && s.columns() >= 1 && s.columns() <= 4, s.toString());
    assertThrows(IllegalArgumentException.class, () -> Generators.architecture(new SplittableRandom(seed), true, Set.of("tanh")));
  }
}
