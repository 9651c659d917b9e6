package io.github.ntk4j.adaptive;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.ntk4j.Matrix;
import io.github.ntk4j.layers.Architectures;
import io.github.ntk4j.layers.Layer;
import io.github.ntk4j.testing.Generators;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The simulator against the exact routes and the properties of shared/math/adaptive-limits.md §6:
 * SGD gives NTK descent, ε → ∞ gives NTK descent with η/ε, ε → 0 on one point gives the sign kernel,
 * test points are passive, results do not depend on threads, one step is linear in η.
 */
class AdaptiveLimitTest {
  static final Layer NET =
      Architectures.parse("serial(dense(1.3, 0.2), relu(), dense(1.4, 0.1), relu(), dense(1.0, 0.3))");

  record Data(Matrix x, Matrix y, Matrix tx, Matrix ty) {}

  static Data data(long seed) {
    SplittableRandom r = new SplittableRandom(seed);
    return new Data(Generators.standardNormal(r, 6, 4), Generators.standardNormal(r, 6, 1), Generators.standardNormal(r, 3, 4), Generators.standardNormal(r, 3, 1));
  }

  static AdaptiveLimit problem(long seed, boolean withTest) {
    Data p = data(seed);
    return withTest ? AdaptiveLimit.of(NET, p.x, p.y, p.tx, p.ty) : AdaptiveLimit.of(NET, p.x, p.y, null, null);
  }

  /**
   * Max over steps and points of |a − b| / (5·SE + floor). SE comes from a handful of replicates
   * (a t-distribution with few degrees of freedom), hence 5 rather than 3 standard errors.
   */
  static double worst(Trajectory mc, Trajectory exact, double floor) {
    double worst = 0;
    for (int t = 0; t <= mc.steps(); t++) {
      Matrix se = mc.trainStandardError(t).orElseThrow();
      for (int i = 0; i < se.rows(); i++) {
        double dev = Math.abs(mc.train(t).get(i, 0) - exact.train(t).get(i, 0));
        worst = Math.max(worst, dev / (5 * se.get(i, 0) + floor));
      }
    }
    return worst;
  }

  @Test
  void sgdSimulationAgreesWithExactNtkDescentWithinMonteCarloError() {
    AdaptiveLimit lim = problem(1, true);
    SimulationOptions o = SimulationOptions.defaults(10).withSamples(128).withReplicates(6).withSeed(3);
    Trajectory mc = lim.simulate(Optimizer.sgd(0.05), o);
    Trajectory exact = lim.kernelGradientDescent(Optimizer.sgd(0.05), o);
    double w = worst(mc, exact, 1e-3);
    assertTrue(w < 1, "deviation/(5 SE) = " + w);
    assertTrue(exact.trainLoss()[10] < exact.trainLoss()[0], "NTK descent lowers the loss");
  }

  @Test
  void largeEpsilonApproachesNtkDescentWithRateEtaOverEpsilon() {
    AdaptiveLimit lim = problem(2, false);
    SimulationOptions o = SimulationOptions.defaults(10).withSamples(128).withReplicates(6).withSeed(4);
    double eps = 1000;
    Trajectory mc = lim.simulate(Optimizer.adam(0.05 * eps, 0, 0.99, eps), o);
    Trajectory exact = lim.kernelGradientDescent(Optimizer.sgd(0.05), o);
    double w = worst(mc, exact, 1e-3);
    assertTrue(w < 1, "deviation/(5 SE) = " + w);
  }

  @Test
  void tinyEpsilonOneStepOnOnePointMovesOutputsAlongTheSignKernelColumn() {
    AdaptiveLimit lim = problem(3, true);
    int b = 2;
    SimulationOptions o =
        SimulationOptions.defaults(1).withBatches(Batches.of(new int[] {b})).withSamples(512).withReplicates(8).withSeed(5);
    Trajectory mc = lim.simulate(Optimizer.signSgd(0.1, 1e-9), o);
    Trajectory exact = lim.signDescent(Optimizer.signSgd(0.1, 0), o);
    double w = worst(mc, exact, 1e-4);
    assertTrue(w < 1, "deviation/(5 SE) = " + w);
    // And the exact route is the kernel column: χ_b = −y_b at f₀ = 0.
    Matrix k = lim.signKernel();
    double y = -(exact.train(1).get(b, 0) - exact.train(0).get(b, 0)) / 0.1;
    assertEquals(k.get(b, b) * Math.signum(y), Math.abs(y) * Math.signum(y), 1e-12);
  }

  @Test
  void testPointsNeverChangeTheTrainingTrajectory() {
    SimulationOptions o = SimulationOptions.defaults(5).withSamples(32).withReplicates(2).withSeed(9);
    Optimizer adam = Optimizer.adam(0.02, 0.9, 0.99, 1e-3);
    Trajectory with = problem(4, true).simulate(adam, o);
    Trajectory without = problem(4, false).simulate(adam, o);
    for (int t = 0; t <= 5; t++) {
      assertArrayEquals(without.train(t).toRowMajorArray(), with.train(t).toRowMajorArray(), 1e-12, "step " + t);
    }
  }

  @Test
  void resultsDoNotDependOnTheThreadCount() {
    AdaptiveLimit lim = problem(5, true);
    SimulationOptions o = SimulationOptions.defaults(4).withSamples(40).withReplicates(2).withSeed(11);
    Optimizer adam = Optimizer.adam(0.02, 0.9, 0.99, 1e-3);
    Trajectory one = lim.simulate(adam, o.withThreads(1));
    Trajectory three = lim.simulate(adam, o.withThreads(3));
    for (int t = 0; t <= 4; t++) {
      assertArrayEquals(one.train(t).toRowMajorArray(), three.train(t).toRowMajorArray(), 0.0);
      assertArrayEquals(one.test(t).toRowMajorArray(), three.test(t).toRowMajorArray(), 0.0);
    }
  }

  @Test
  void oneStepIsLinearInTheLearningRate() {
    AdaptiveLimit lim = problem(6, false);
    SimulationOptions o =
        SimulationOptions.defaults(1).withSamples(32).withReplicates(1).withSeed(2)
            .withInitialization(SimulationOptions.Initialization.SAMPLED);
    Optimizer adam = Optimizer.adam(0.01, 0.9, 0.99, 1e-2);
    Trajectory a = lim.simulate(adam, o);
    Trajectory b = lim.simulate(adam.withLearningRate(0.03), o);
    for (int i = 0; i < 6; i++) {
      double da = a.train(1).get(i, 0) - a.train(0).get(i, 0);
      double db = b.train(1).get(i, 0) - b.train(0).get(i, 0);
      assertEquals(3 * da, db, 1e-12 * (1 + Math.abs(db)));
    }
  }

  @Test
  void withEpsilonZeroTheLossScaleDoesNotMatterAndWithEpsilonItRescalesEpsilon() {
    AdaptiveLimit lim = problem(7, false);
    SimulationOptions sum = SimulationOptions.defaults(4).withSamples(32).withReplicates(1).withSeed(8);
    SimulationOptions mean = sum.withReduction(SimulationOptions.Reduction.MEAN);
    Trajectory a = lim.simulate(Optimizer.adam(0.02, 0.9, 0.99, 0), sum);
    Trajectory b = lim.simulate(Optimizer.adam(0.02, 0.9, 0.99, 0), mean);
    Trajectory c = lim.simulate(Optimizer.adam(0.02, 0.9, 0.99, 0.3 * 6), sum);
    Trajectory e = lim.simulate(Optimizer.adam(0.02, 0.9, 0.99, 0.3), mean);
    for (int t = 0; t <= 4; t++) {
      assertArrayEquals(a.train(t).toRowMajorArray(), b.train(t).toRowMajorArray(), 1e-12);
      assertArrayEquals(c.train(t).toRowMajorArray(), e.train(t).toRowMajorArray(), 1e-12);
    }
  }

  @Test
  void aThinnedTrajectoryKeepsExactlyTheRecordedStepsOfTheFullOne() {
    AdaptiveLimit lim = problem(9, true);
    SimulationOptions o = SimulationOptions.defaults(10).withSamples(16).withReplicates(2).withSeed(4);
    Optimizer adam = Optimizer.adam(0.02, 0.9, 0.99, 1e-3);
    SimulationOptions thin = o.withRecordEvery(4);
    for (boolean monteCarlo : new boolean[] {true, false}) {
      Trajectory full = monteCarlo ? lim.simulate(adam, o) : lim.kernelGradientDescent(Optimizer.sgd(0.05), o);
      Trajectory kept = monteCarlo ? lim.simulate(adam, thin) : lim.kernelGradientDescent(Optimizer.sgd(0.05), thin);
      assertArrayEquals(new int[] {0, 4, 8, 10}, kept.recordedSteps());
      for (int k = 0; k < 4; k++) {
        int t = kept.recordedSteps()[k];
        assertArrayEquals(full.test(t).toRowMajorArray(), kept.test(t).toRowMajorArray(), 0.0);
        assertEquals(full.trainLoss()[t], kept.trainLoss()[k], 0.0);
      }
      IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class, () -> kept.train(5));
      assertTrue(e.getMessage().contains("step 5 was not recorded"), e.getMessage());
    }
  }

  @Test
  void aTwoPointSignStepIsNotTheSumOfTheTwoSignKernelColumns() {
    AdaptiveLimit lim = problem(8, false);
    Matrix y = data(8).y;
    SimulationOptions o =
        SimulationOptions.defaults(1).withBatches(Batches.of(new int[] {0, 1})).withSamples(256).withReplicates(4).withSeed(1);
    Trajectory mc = lim.simulate(Optimizer.signSgd(0.1, 0), o);
    Matrix k = lim.signKernel();
    // At f₀ = 0, χ_b = −y_b; batch-1 superposition would move f by −η·Σ_b sign(χ_b)·K[:, b].
    double worstGap = 0;
    for (int i = 0; i < 6; i++) {
      double sum = 0;
      for (int b = 0; b < 2; b++) {
        sum += -0.1 * Math.signum(-y.get(b, 0)) * k.get(i, b);
      }
      double step = mc.train(1).get(i, 0) - mc.train(0).get(i, 0);
      double se = mc.trainStandardError(1).orElseThrow().get(i, 0);
      worstGap = Math.max(worstGap, Math.abs(step - sum) / (se + 1e-6));
    }
    assertTrue(worstGap > 8, "the two-point step should differ from the superposition by many SE, got " + worstGap);
  }
}
