package io.github.ntk4j.predict;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.ntk4j.KernelKind;
import io.github.ntk4j.Matrix;
import io.github.ntk4j.layers.Architectures;
import io.github.ntk4j.layers.Layer;
import io.github.ntk4j.testing.Generators;
import java.util.EnumSet;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * An ensemble fitted with one training kernel predicts exactly as the two-kernel one for that kind,
 * and refuses, before computing anything, what needs the kernel it does not hold.
 */
class OneKindEnsembleTest {
  static final Layer NET = Architectures.parse("serial(dense(1.5, 0.05), relu(), dense(1.2, 0.1), erf(), dense(1.0, 0.05))");

  @Test
  void aOneKindEnsemblePredictsAsTheTwoKindOneForItsKind() {
    SplittableRandom r = new SplittableRandom(23);
    Matrix x = Generators.standardNormal(r, 30, 4);
    Matrix y = Generators.standardNormal(r, 30, 2);
    Matrix tx = Generators.standardNormal(r, 7, 4);
    PredictOptions o = PredictOptions.defaults().withDiagReg(1e-4);
    InfiniteEnsemble both = InfiniteEnsemble.fit(NET, x, y, o);
    for (KernelKind kind : KernelKind.values()) {
      InfiniteEnsemble one = InfiniteEnsemble.fit(NET, x, y, o, EnumSet.of(kind));
      for (double t : new double[] {3, Double.POSITIVE_INFINITY}) {
        assertEquals(both.predict(tx, kind, t).mean(), one.predict(tx, kind, t).mean(), "seed 23: " + kind + " at t = " + t);
      }
      assertEquals(both.trainKernel(kind), one.trainKernel(kind), "seed 23: " + kind + " training kernel");
      assertEquals(both.predict(tx, kind, 5).mean(), one.withOptions(o).predict(tx, kind, 5).mean(), "withOptions keeps it");
    }
    InfiniteEnsemble nngpOnly = InfiniteEnsemble.fit(NET, x, y, o, EnumSet.of(KernelKind.NNGP));
    assertEquals(both.predict(tx, KernelKind.NNGP, 4, true).covariance(), nngpOnly.predict(tx, KernelKind.NNGP, 4, true).covariance(),
        "seed 23: the NNGP covariance needs the NNGP only");
  }

  @Test
  void aFitReportsItsKernelsProgressToTheEndAndRefusesANullListener() {
    SplittableRandom r = new SplittableRandom(8);
    Matrix x = Generators.standardNormal(r, 300, 4);
    Matrix y = Generators.standardNormal(r, 300, 1);
    PredictOptions o = PredictOptions.defaults().withCompute(io.github.ntk4j.ComputeOptions.defaults()
        .withBackend(io.github.ntk4j.Backend.CPU).withTileSize(32));
    java.util.List<long[]> reports = java.util.Collections.synchronizedList(new java.util.ArrayList<>());
    InfiniteEnsemble e = InfiniteEnsemble.fit(NET, x, y, o, EnumSet.of(KernelKind.NTK), (done, total) -> reports.add(new long[] {done, total}));
    assertTrue(reports.size() > 1, "several reports: " + reports.size());
    long[] last = reports.get(reports.size() - 1);
    assertEquals(300L * 301 / 2, last[1], "the total is the upper triangle");
    assertEquals(last[1], last[0], "the last report is the end");
    assertEquals(InfiniteEnsemble.fit(NET, x, y, o, EnumSet.of(KernelKind.NTK)).trainKernel(KernelKind.NTK),
        e.trainKernel(KernelKind.NTK), "the same kernel with or without a listener");
    NullPointerException npe = org.junit.jupiter.api.Assertions.assertThrows(NullPointerException.class,
        () -> InfiniteEnsemble.fit(NET, x, y, o, EnumSet.of(KernelKind.NTK), null));
    assertTrue(npe.getMessage().contains("progress"), npe.getMessage());
  }

  @Test
  void whatNeedsTheMissingKernelIsRefusedByName() {
    SplittableRandom r = new SplittableRandom(5);
    Matrix x = Generators.standardNormal(r, 6, 3);
    Matrix y = Generators.standardNormal(r, 6, 1);
    PredictOptions o = PredictOptions.defaults();
    InfiniteEnsemble ntkOnly = InfiniteEnsemble.fit(NET, x, y, o, EnumSet.of(KernelKind.NTK));
    InfiniteEnsemble nngpOnly = InfiniteEnsemble.fit(NET, x, y, o, EnumSet.of(KernelKind.NNGP));
    String[] cases = {
      message(() -> ntkOnly.predict(x, KernelKind.NNGP, 1)),
      message(() -> ntkOnly.predict(x, KernelKind.NTK, 1, true)),
      message(() -> ntkOnly.trainKernel(KernelKind.NNGP)),
      message(() -> nngpOnly.maxLearningRate()),
      message(() -> nngpOnly.meanTrajectory(x, KernelKind.NTK, 1, 2)),
    };
    for (String m : cases) {
      assertTrue(m.contains("fitted with the") && m.contains("EnumSet.of(NNGP, NTK)"), "message: " + m);
    }
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> InfiniteEnsemble.fit(NET, x, y, o, EnumSet.noneOf(KernelKind.class)));
    assertTrue(e.getMessage().contains("at least one"), e.getMessage());
  }

  private static String message(org.junit.jupiter.api.function.Executable call) {
    return assertThrows(IllegalStateException.class, call).getMessage();
  }
}
