package io.github.ntk4j.layers;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.github.ntk4j.ComputeOptions;
import io.github.ntk4j.KernelKind;
import io.github.ntk4j.KernelResult;
import io.github.ntk4j.Kernels;
import io.github.ntk4j.Matrix;
import io.github.ntk4j.ProgressListener;
import io.github.ntk4j.testing.Generators;
import io.github.ntk4j.testing.KernelChecks;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.SplittableRandom;
import java.util.stream.LongStream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Kernel identities on generated architectures that mix every activation with a string form, on
 * awkward inputs (zero rows, duplicates, negations, scaled copies) rescaled to moderate norms: the
 * symmetric path (diagonal maps) agrees with the general path (entry maps), kernels are symmetric,
 * transposes agree, NNGPs are positive semi-definite, threads do not change results, and every
 * architecture parses back from its string.
 */
class AllLayersPropertiesTest {
  static LongStream seeds() {
    return LongStream.range(0, 60);
  }

  static Matrix moderate(Matrix x) {
    double m = Math.max(x.maxAbs(), 1e-300);
    double[] a = x.toRowMajorArray();
    for (int i = 0; i < a.length; i++) {
      a[i] /= m;
    }
    return Matrix.ofRowMajor(x.rows(), x.cols(), a);
  }

  @ParameterizedTest(name = "seed {0}")
  @MethodSource("seeds")
  void identitiesHoldForArchitecturesMixingAllLayers(long seed) {
    SplittableRandom r = new SplittableRandom(seed);
    Layer arch = Generators.architecture(r, true, new HashSet<>(Generators.activationNames()));
    Matrix x = moderate(Generators.inputs(r, 2 + r.nextInt(12), 1 + r.nextInt(6)));
    String where = "seed=" + seed + " arch=" + arch;
    KernelResult sym = Kernels.compute(arch, x, null, EnumSet.allOf(KernelKind.class));
    Matrix copy = Matrix.ofRowMajor(x.rows(), x.cols(), x.toRowMajorArray());
    KernelResult gen = Kernels.compute(arch, x, copy, EnumSet.allOf(KernelKind.class));
    KernelChecks.agreement("NNGP symmetric vs general path, " + where, sym.nngp(), gen.nngp(), 1e-11).orThrow();
    KernelChecks.agreement("NTK symmetric vs general path, " + where, sym.ntk(), gen.ntk(), 1e-11).orThrow();
    KernelChecks.symmetry(gen.nngp(), 1e-12).orThrow();
    KernelChecks.positiveSemidefinite(sym.nngp(), 1e-9).orThrow();
    KernelChecks.stringRoundTrip(arch).orThrow();
    KernelResult one =
        Kernels.compute(arch, x, copy, EnumSet.allOf(KernelKind.class), ComputeOptions.defaults().withThreads(1).withTileSize(16),
            ProgressListener.none());
    assertEquals(gen.ntk(), one.ntk(), where);
    assertEquals(gen.nngp(), one.nngp(), where);
  }
}
