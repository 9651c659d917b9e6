package io.github.ntk4j;

import io.github.ntk4j.testing.Generators;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.ntk4j.layers.Architectures;
import io.github.ntk4j.layers.Layer;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** Inputs that break naive implementations. */
class EdgeCasesTest {
  private static final Layer DEEP =
      Architectures.parse("serial(dense(1.5, 0.1), relu(), dense(1.5, 0.1), erf(), dense(1.2, 0.2), abrelu(-0.3, 1), dense(1, 0.1))");

  @Test
  void duplicatedAndNegatedRowsInTheSecondSetGiveTheDiagonalExactly() {
    SplittableRandom r = new SplittableRandom(3);
    double[][] x = new double[6][7];
    for (double[] row : x) {
      for (int k = 0; k < row.length; k++) {
        row[k] = Generators.gaussian(r) * 3.7;
      }
    }
    double[][] y = {x[2].clone(), x[4].clone()};
    KernelResult self = TestSupport.both(DEEP, Matrix.of(x), null);
    KernelResult cross = TestSupport.both(DEEP, Matrix.of(x), Matrix.of(y));
    // The general path reproduces the diagonal chain bit for bit for a duplicated row.
    assertEquals(self.ntk().get(2, 2), cross.ntk().get(2, 0), 0.0);
    assertEquals(self.nngp().get(4, 4), cross.nngp().get(4, 1), 0.0);
    assertEquals(self.ntk().get(4, 4), cross.ntk().get(4, 1), 0.0);
    // A negated row has correlation exactly -1: the first ReLU then gives Ṫ = 0 exactly.
    Layer relu = Architectures.parse("serial(dense(1.3), relu())");
    double[] neg = x[1].clone();
    for (int k = 0; k < neg.length; k++) {
      neg[k] = -neg[k];
    }
    KernelResult n = TestSupport.both(relu, Matrix.of(new double[][] {x[1]}), Matrix.of(new double[][] {neg}));
    assertEquals(0.0, n.ntk().get(0, 0), 0.0);
    assertEquals(0.0, n.nngp().get(0, 0), 0.0);
  }

  @Test
  void zeroRowsGiveFiniteKernels() {
    Matrix x = Matrix.of(new double[][] {{0, 0, 0}, {1, -2, 0.5}, {0, 0, 0}});
    KernelResult k = TestSupport.both(DEEP, x, null);
    for (double v : k.ntk().toRowMajorArray()) {
      assertTrue(Double.isFinite(v));
    }
    // Both zero rows are the same point.
    assertEquals(k.ntk().get(0, 0), k.ntk().get(0, 2), 0.0);
    Layer biasless = Architectures.parse("serial(dense(2.0), abrelu(-0.5, 1.0), dense(1.0))");
    KernelResult b = TestSupport.both(biasless, x, null);
    assertEquals(0.0, b.ntk().get(0, 1), 0.0);
    assertEquals(0.0, b.nngp().get(2, 2), 0.0);
  }

  @Test
  void oneRowAndOneColumnWork() {
    Matrix one = Matrix.of(new double[][] {{0.7}});
    KernelResult k = TestSupport.both(DEEP, one, null);
    assertEquals(1, k.ntk().rows());
    assertEquals(1, k.ntk().cols());
    assertTrue(k.ntk().get(0, 0) > 0);
  }

  @Test
  void largeSymmetricInputsCrossManyTiles() {
    SplittableRandom r = new SplittableRandom(11);
    Matrix x = Generators.inputs(r, 301, 13);
    ComputeOptions small = ComputeOptions.defaults().withTileSize(32);
    KernelResult tiled = TestSupport.both(DEEP, x, null, small);
    KernelResult one = TestSupport.both(DEEP, x, null, ComputeOptions.defaults().withTileSize(4096).withThreads(1));
    assertEquals(one.ntk(), tiled.ntk());
    assertEquals(tiled.ntk(), tiled.ntk().transpose());
  }

  @Test
  void askingForOneKernelGivesTheSameValuesAsAskingForBoth() {
    Matrix x = Generators.inputs(new SplittableRandom(5), 40, 6);
    KernelResult both = TestSupport.both(DEEP, x, null);
    assertEquals(both.ntk(), Kernels.ntk(DEEP, x, null));
    assertEquals(both.nngp(), Kernels.nngp(DEEP, x, null));
    assertEquals(java.util.Set.of(KernelKind.NTK), Kernels.compute(DEEP, x, null, java.util.EnumSet.of(KernelKind.NTK)).kinds());
  }

  @Test
  void resultsCarryProvenance() {
    KernelResult k = TestSupport.both(DEEP, Matrix.of(new double[][] {{1, 2}}), null);
    Provenance p = k.provenance();
    assertEquals(DEEP.toString(), p.architecture());
    assertEquals(Precision.FLOAT64, p.precision());
    assertTrue(p.backend().startsWith("cpu"), p.backend());
    assertEquals(System.getProperty("java.version"), p.javaVersion());
    assertTrue(p.libraryVersion().matches("\\d+\\.\\d+\\.\\d+.*"), p.libraryVersion());
  }

  @Test
  void dualMapsArePublicAndAgreeWithTheirBlockForm() {
    var relu = new io.github.ntk4j.layers.Relu();
    // ReLU arc-cosine kernel at a right angle: Σ = 0, q1 = q2 = 1: T = 1/(2π), Ṫ = 1/4.
    assertEquals(1 / (2 * Math.PI), relu.dual(0, 1, 1), 1e-17);
    assertEquals(0.25, relu.dualDerivative(0, 1, 1), 1e-17);
    assertEquals(relu.dualOfVariance(3.0), relu.dual(3.0, 3.0, 3.0), 0.0);
    var erf = new io.github.ntk4j.layers.Erf();
    // erf: T(q; q, q) = (2/π)·asin(2q/(1+2q))
    assertEquals(2 / Math.PI * Math.asin(2 * 0.8 / (1 + 1.6)), erf.dualOfVariance(0.8), 1e-15);
  }
}
