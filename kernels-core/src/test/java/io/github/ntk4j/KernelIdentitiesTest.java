package io.github.ntk4j;

import io.github.ntk4j.testing.CheckResult;
import io.github.ntk4j.testing.Generators;
import io.github.ntk4j.testing.KernelChecks;
import static io.github.ntk4j.TestSupport.both;
import static io.github.ntk4j.TestSupport.maxRelativeError;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.ntk4j.layers.AbRelu;
import io.github.ntk4j.layers.Architectures;
import io.github.ntk4j.layers.Dense;
import io.github.ntk4j.layers.Layer;
import io.github.ntk4j.layers.Layers;
import io.github.ntk4j.layers.Relu;
import io.github.ntk4j.layers.Serial;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.LongStream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Identities every kernel must satisfy, each checked on 60 generated cases. The seed is the test's
 * parameter and appears in every failure message; rerun one case with
 * {@code -Dtest='KernelIdentitiesTest#name'} and the seed from the report.
 */
class KernelIdentitiesTest {
  static LongStream seeds() {
    return LongStream.range(0, 60);
  }

  /** Fails with the seed and the check's report unless it passed. */
  private static void assertPasses(CheckResult result, String where) {
    assertTrue(result.passed(), () -> where + ": " + result);
  }

  private static Matrix inputs(SplittableRandom r) {
    return Generators.inputs(r, 2 + r.nextInt(20), 1 + r.nextInt(9));
  }

  @ParameterizedTest(name = "seed {0}")
  @MethodSource("seeds")
  void symmetricPathEqualsGeneralPath(long seed) {
    SplittableRandom r = new SplittableRandom(seed);
    Layer arch = Generators.architecture(r, true);
    Matrix x = inputs(r);
    // x2 = null takes the half-triangle path with diagonal formulas; a copy takes the general path.
    KernelResult sym = both(arch, x, null);
    KernelResult gen = both(arch, x, Matrix.ofRowMajor(x.rows(), x.cols(), x.toRowMajorArray()));
    String where = "seed=" + seed + " arch=" + arch;
    assertTrue(maxRelativeError(sym.nngp(), gen.nngp(), 1e-13) < 1e-13, where);
    assertTrue(maxRelativeError(sym.ntk(), gen.ntk(), 1e-13) < 1e-13, where);
    assertEquals(sym.ntk(), sym.ntk().transpose(), where);
  }

  @ParameterizedTest(name = "seed {0}")
  @MethodSource("seeds")
  void swappingInputSetsTransposes(long seed) {
    SplittableRandom r = new SplittableRandom(seed);
    Layer arch = Generators.architecture(r, true);
    int d = 1 + r.nextInt(9);
    Matrix x1 = Generators.inputs(r, 1 + r.nextInt(15), d);
    Matrix x2 = Generators.inputs(r, 1 + r.nextInt(15), d);
    KernelResult a = both(arch, x1, x2);
    KernelResult b = both(arch, x2, x1);
    String where = "seed=" + seed + " arch=" + arch;
    assertPasses(KernelChecks.transposeConsistency(a.nngp(), b.nngp(), 1e-14), where);
    assertPasses(KernelChecks.transposeConsistency(a.ntk(), b.ntk(), 1e-14), where);
  }

  @ParameterizedTest(name = "seed {0}")
  @MethodSource("seeds")
  void blocksOfAJointKernelAreTheCrossKernel(long seed) {
    SplittableRandom r = new SplittableRandom(seed);
    Layer arch = Generators.architecture(r, true);
    int d = 1 + r.nextInt(6);
    Matrix x1 = Generators.inputs(r, 1 + r.nextInt(8), d);
    Matrix x2 = Generators.inputs(r, 1 + r.nextInt(8), d);
    double[][] joint = new double[x1.rows() + x2.rows()][];
    for (int i = 0; i < x1.rows(); i++) {
      joint[i] = x1.row(i);
    }
    for (int i = 0; i < x2.rows(); i++) {
      joint[x1.rows() + i] = x2.row(i);
    }
    Matrix full = both(arch, Matrix.of(joint), null).ntk();
    Matrix cross = both(arch, x1, x2).ntk();
    double[][] block = new double[x1.rows()][x2.rows()];
    for (int i = 0; i < x1.rows(); i++) {
      for (int j = 0; j < x2.rows(); j++) {
        block[i][j] = full.get(i, x1.rows() + j);
      }
    }
    assertTrue(maxRelativeError(cross, Matrix.of(block), 1e-13) < 1e-13, "seed=" + seed + " arch=" + arch);
  }

  @ParameterizedTest(name = "seed {0}")
  @MethodSource("seeds")
  void kernelsArePositiveSemidefinite(long seed) {
    SplittableRandom r = new SplittableRandom(seed);
    Layer arch = Generators.architecture(r, true);
    Matrix x = inputs(r);
    KernelResult k = both(arch, x, null);
    // Duplicate and zero rows make the kernels singular; eigenvalues down to -1e-10 of the largest are rounding.
    assertPasses(KernelChecks.positiveSemidefinite(k.nngp(), 1e-10), "NNGP, seed=" + seed + " arch=" + arch);
    assertPasses(KernelChecks.positiveSemidefinite(k.ntk(), 1e-10), "NTK, seed=" + seed + " arch=" + arch);
    assertPasses(KernelChecks.symmetry(k.ntk(), 0), "NTK, seed=" + seed + " arch=" + arch);
  }

  @ParameterizedTest(name = "seed {0}")
  @MethodSource("seeds")
  void reluIsAbreluZeroOne(long seed) {
    SplittableRandom r = new SplittableRandom(seed);
    Dense d1 = Generators.dense(r);
    Dense d2 = Generators.dense(r);
    Dense d3 = Generators.dense(r);
    Matrix x = inputs(r);
    assertPasses(KernelChecks.equivalentArchitectures(Layers.serial(d1, new Relu(), d2, new Relu(), d3),
        Layers.serial(d1, new AbRelu(0, 1), d2, new AbRelu(0, 1), d3), x, null, 1e-14), "seed=" + seed);
  }

  @ParameterizedTest(name = "seed {0}")
  @MethodSource("seeds")
  void abreluOfEqualSlopesIsALinearMap(long seed) {
    SplittableRandom r = new SplittableRandom(seed);
    Dense d1 = Generators.dense(r);
    Dense d2 = Generators.dense(r);
    double c = 0.2 + 2 * r.nextDouble();
    Matrix x = inputs(r);
    // abrelu(c, c) is x -> c*x: the same as folding c into the next layer's weight std, and for c = 1
    // the same as no activation at all.
    KernelResult linear = both(Layers.serial(d1, new AbRelu(c, c), d2), x, null);
    KernelResult folded = both(Layers.serial(d1, Layers.dense(c * d2.weightStd(), d2.biasStd())), x, null);
    String where = "seed=" + seed + " c=" + c;
    assertTrue(maxRelativeError(linear.nngp(), folded.nngp(), 1e-13) < 1e-13, where);
    KernelResult identity = both(Layers.serial(d1, new AbRelu(1, 1), d2), x, null);
    KernelResult none = both(Layers.serial(d1, d2), x, null);
    assertTrue(maxRelativeError(identity.nngp(), none.nngp(), 1e-14) < 1e-14, where);
    assertTrue(maxRelativeError(identity.ntk(), none.ntk(), 1e-14) < 1e-14, where);
  }

  @ParameterizedTest(name = "seed {0}")
  @MethodSource("seeds")
  void scalingTheLastDenseLayerScalesBothKernels(long seed) {
    SplittableRandom r = new SplittableRandom(seed);
    Serial prefix = (Serial) Generators.architecture(r, true);
    Dense last = Generators.dense(r);
    double c = 0.3 + 3 * r.nextDouble();
    Matrix x = inputs(r);
    List<Layer> a = new ArrayList<>(prefix.layers());
    a.add(last);
    List<Layer> b = new ArrayList<>(prefix.layers());
    b.add(Layers.dense(c * last.weightStd(), c * last.biasStd()));
    // Σ' = c²(σw²Σ + σb²) and Θ' = Σ' + c²σw²Θ = c²·(the unscaled Θ').
    assertPasses(KernelChecks.denseScaling(new Serial(a), c, x, 1e-13), "seed=" + seed + " c=" + c);
    // And by this test's own construction of the scaled network, entry by entry.
    KernelResult scaled = both(new Serial(b), x, null);
    KernelResult base = both(new Serial(a), x, null);
    for (int i = 0; i < x.rows(); i++) {
      for (int j = 0; j < x.rows(); j++) {
        assertEquals(c * c * base.ntk().get(i, j), scaled.ntk().get(i, j), 1e-13 * base.ntk().maxAbs() * c * c, "seed=" + seed);
      }
    }
  }

  @ParameterizedTest(name = "seed {0}")
  @MethodSource("seeds")
  void biaslessPiecewiseLinearNetworksArePositivelyHomogeneous(long seed) {
    SplittableRandom r = new SplittableRandom(seed);
    List<Layer> layers = new ArrayList<>();
    layers.add(Layers.dense(0.5 + r.nextDouble()));
    for (int h = 0; h < 1 + r.nextInt(4); h++) {
      layers.add(r.nextBoolean() ? new Relu() : new AbRelu(r.nextDouble() - 0.5, 1 + r.nextDouble()));
      layers.add(Layers.dense(0.5 + r.nextDouble()));
    }
    Layer arch = new Serial(layers);
    int d = 1 + r.nextInt(6);
    Matrix x1 = Generators.inputs(r, 1 + r.nextInt(10), d);
    Matrix x2 = Generators.inputs(r, 1 + r.nextInt(10), d);
    double c = 0.01 + 50 * r.nextDouble();
    Matrix cx1 = Matrix.ofRowMajor(x1.rows(), d, scale(x1, c));
    KernelResult base = both(arch, x1, x2);
    KernelResult scaled = both(arch, cx1, x2);
    String where = "seed=" + seed + " c=" + c + " arch=" + arch;
    assertTrue(maxRelativeError(scaled.nngp(), Matrix.ofRowMajor(x1.rows(), x2.rows(), scale(base.nngp(), c)), 1e-13) < 1e-12, where);
    assertTrue(maxRelativeError(scaled.ntk(), Matrix.ofRowMajor(x1.rows(), x2.rows(), scale(base.ntk(), c)), 1e-13) < 1e-12, where);
  }

  @ParameterizedTest(name = "seed {0}")
  @MethodSource("seeds")
  void serialIsAssociative(long seed) {
    SplittableRandom r = new SplittableRandom(seed);
    Serial arch = (Serial) Generators.architecture(r, true);
    List<Layer> l = arch.layers();
    int cut = 1 + r.nextInt(l.size() - 1 + 1) - 1;
    cut = Math.max(1, Math.min(cut, l.size() - 1 < 1 ? 1 : l.size() - 1));
    Layer left = new Serial(List.of(new Serial(l.subList(0, cut)), new Serial(l.subList(cut, l.size()))));
    Layer right = l.size() > cut ? new Serial(List.of(l.get(0), new Serial(l.subList(1, l.size())))) : arch;
    Matrix x = inputs(r);
    KernelResult a = both(arch, x, null);
    KernelResult b = both(left, x, null);
    KernelResult c = both(right, x, null);
    String where = "seed=" + seed + " arch=" + arch;
    assertEquals(a.ntk(), b.ntk(), where);
    assertEquals(a.ntk(), c.ntk(), where);
    assertEquals(a.nngp(), b.nngp(), where);
    if (l.size() >= 3) {
      assertPasses(KernelChecks.serialAssociativity(l.get(0), new Serial(l.subList(1, l.size() - 1)), l.get(l.size() - 1), x, 0),
          where);
    }
  }

  @ParameterizedTest(name = "seed {0}")
  @MethodSource("seeds")
  void architectureStringsParseBackToEqualValues(long seed) {
    SplittableRandom r = new SplittableRandom(seed);
    Layer arch = Generators.architecture(r, true);
    if (r.nextBoolean()) {
      arch = new Serial(List.of(arch, Generators.dense(r)));
    }
    assertPasses(KernelChecks.stringRoundTrip(arch), "seed=" + seed);
    String s = arch.toString();
    Layer back = Architectures.parse(s);
    assertEquals(arch, back, "seed=" + seed + " string=" + s);
    assertEquals(s, back.toString(), "seed=" + seed);
    // Whitespace is ignored.
    assertEquals(arch, Architectures.parse(" " + s.replace(",", " ,\t").replace("(", "( ")), "seed=" + seed);
  }

  @ParameterizedTest(name = "seed {0}")
  @MethodSource("seeds")
  void resultsDoNotDependOnThreadsOrTiles(long seed) {
    SplittableRandom r = new SplittableRandom(seed);
    Layer arch = Generators.architecture(r, true);
    Matrix x = Generators.inputs(r, 30 + r.nextInt(60), 1 + r.nextInt(12));
    boolean symmetric = r.nextBoolean();
    Matrix x2 = symmetric ? null : Generators.inputs(r, 20 + r.nextInt(50), x.cols());
    Precision p = r.nextInt(4) == 0 ? Precision.FLOAT32 : Precision.FLOAT64;
    ComputeOptions base = new ComputeOptions(1, p, Backend.CPU, 256);
    KernelResult ref = both(arch, x, x2, base);
    for (int threads : new int[] {2, 3, 8}) {
      for (int tile : new int[] {16, 17, 64}) {
        KernelResult k = both(arch, x, x2, base.withThreads(threads).withTileSize(tile));
        String where = "seed=" + seed + " threads=" + threads + " tile=" + tile + " " + p;
        assertArrayEquals(ref.ntk().toRowMajorArray(), k.ntk().toRowMajorArray(), where);
        assertArrayEquals(ref.nngp().toRowMajorArray(), k.nngp().toRowMajorArray(), where);
      }
    }
    // The same through the kit: tolerance 0 demands identical results.
    assertPasses(KernelChecks.backendsAgree(arch, x, x2, base, base.withThreads(4).withTileSize(33), 0, 0), "seed=" + seed);
  }

  @ParameterizedTest(name = "seed {0}")
  @MethodSource("seeds")
  void float32StaysWithinItsDocumentedTolerance(long seed) {
    SplittableRandom r = new SplittableRandom(seed);
    Layer arch = Generators.architecture(r, true);
    // Generic inputs: near-collinear pairs amplify float32's rounding of the inputs themselves by
    // about 1/(1 − ρ²), which no implementation avoids (docs/precision.md).
    Matrix x = Generators.genericInputs(r, 5 + r.nextInt(30), 1 + r.nextInt(50));
    KernelResult f32 = both(arch, x, null, ComputeOptions.defaults().withPrecision(Precision.FLOAT32));
    // docs/precision.md: about 1e-6 relative per layer on random data; up to 4 hidden layers here.
    // Entries far below the kernel's scale carry the absolute error of the Gram product, hence the floor.
    String where = "seed=" + seed + " arch=" + arch;
    assertPasses(KernelChecks.backendsAgree(arch, x, null, ComputeOptions.defaults(),
        ComputeOptions.defaults().withPrecision(Precision.FLOAT32), 1e-4, 1e-3), where);
    for (double v : f32.ntk().toRowMajorArray()) {
      assertEquals(v, (double) (float) v, "float32 results are float values; " + where);
    }
  }

  private static double[] scale(Matrix m, double c) {
    double[] a = m.toRowMajorArray();
    for (int i = 0; i < a.length; i++) {
      a[i] *= c;
    }
    return a;
  }
}
