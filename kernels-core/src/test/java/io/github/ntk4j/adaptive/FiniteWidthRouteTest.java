package io.github.ntk4j.adaptive;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.ntk4j.Matrix;
import io.github.ntk4j.empirical.FiniteNetwork;
import io.github.ntk4j.layers.Architectures;
import io.github.ntk4j.layers.Layer;
import io.github.ntk4j.testing.Generators;
import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/**
 * The limits against actual finite-width networks (shared/math/adaptive-limits.md §7): the empirical
 * sign kernel of wide networks approaches {@link SignKernel}, and networks trained by Adam in the NT
 * scalings approach the simulator as the width grows.
 */
class FiniteWidthRouteTest {

  @ParameterizedTest(name = "seed {0}")
  @ValueSource(longs = {1, 2})
  void empiricalSignKernelEqualsTheBruteForceSumOverParameters(long seed) {
    Layer net = Architectures.parse("serial(dense(1.2, 0.3), erf(), dense(0.9, 0.2), relu(), dense(1.1, 0.4))");
    SplittableRandom r = new SplittableRandom(seed);
    Matrix x = Generators.standardNormal(r, 4, 3);
    FiniteNetwork f = FiniteNetwork.sample(net, 3, 7, 1, seed);
    Matrix k = f.empiricalSignNtk(x, null, 0);
    double[] s = f.neuralTangentScales();
    for (int a = 0; a < 4; a++) {
      double[] ga = f.parameterGradient(x.row(a), 0);
      for (int b = 0; b < 4; b++) {
        double[] gb = f.parameterGradient(x.row(b), 0);
        double sum = 0;
        for (int p = 0; p < s.length; p++) {
          sum += ga[p] * Math.signum(gb[p]) / s[p];
        }
        assertEquals(sum, k.get(a, b), 1e-12 * (1 + Math.abs(sum)), "seed " + seed + " [" + a + "][" + b + "]");
      }
    }
  }

  @Test
  void wideNetworksEmpiricalSignKernelApproachesTheClosedForm() {
    // ReLU net A and erf net B of the reference values, on rectangular blocks with a zero-norm point.
    Matrix x1 = Matrix.of(new double[][] {{1.0, -2.0, 0.5}, {0.3, 0.8, -1.1}, {0, 0, 0}});
    Matrix x2 = Matrix.of(new double[][] {{-1.0, -1.0, 2.0}, {0.3, 0.8, -1.1}});
    for (Layer net : new Layer[] {SignKernelReferenceTest.A, SignKernelReferenceTest.B}) {
      Matrix exact = SignKernel.compute(net, x1, x2);
      int seeds = 6;
      double[] sum = new double[6];
      double[] sq = new double[6];
      for (int s = 0; s < seeds; s++) {
        Matrix k = FiniteNetwork.sample(net, 3, 2048, 1, 40 + s).empiricalSignNtk(x1, x2, 0);
        for (int e = 0; e < 6; e++) {
          double v = k.get(e / 2, e % 2);
          sum[e] += v;
          sq[e] += v * v;
        }
      }
      for (int e = 0; e < 6; e++) {
        double mean = sum[e] / seeds;
        double se = Math.sqrt(Math.max(sq[e] / seeds - mean * mean, 0) / (seeds - 1));
        double want = exact.get(e / 2, e % 2);
        assertEquals(want, mean, 5 * se + 0.01 * Math.abs(want) + 1e-9, net + " entry " + e);
      }
    }
  }

  @Test
  void adamTrainedNetworksApproachTheSimulatedLimitAsWidthGrows() {
    AdaptiveLimitTest.Data p = AdaptiveLimitTest.data(21);
    AdaptiveLimit lim = AdaptiveLimit.of(AdaptiveLimitTest.NET, p.x(), p.y(), p.tx(), p.ty());
    Optimizer adam = Optimizer.adam(0.02, 0.9, 0.99, 1e-3);
    SimulationOptions o = SimulationOptions.defaults(12).withSamples(1024).withReplicates(4).withSeed(1);
    Trajectory limit = lim.simulate(adam, o);
    double narrow = deviation(p, limit, adam, o, 64);
    double wide = deviation(p, limit, adam, o, 1024);
    double size = limit.train(12).maxAbs();
    assertTrue(wide < 0.1 * size, "width 1024 deviates by " + wide + " for outputs of size " + size);
    assertTrue(wide < narrow / 2, "deviation should shrink with width: " + narrow + " at 64, " + wide + " at 1024");
  }

  @Test
  void adamWTrainedNetworksApproachTheTimeIndexedLimitAndIgnoringTheDecayIsFarOff() {
    // shared/math/adaptive-limits.md §7(e): η = 0.05, λ = 0.08 per step, 12 steps, centred g_t = f(θ_t) − f(ρ_t·θ₀).
    AdaptiveLimitTest.Data p = AdaptiveLimitTest.data(21);
    AdaptiveLimit lim = AdaptiveLimit.of(AdaptiveLimitTest.NET, p.x(), p.y(), p.tx(), p.ty());
    Optimizer adamw = Optimizer.adam(0.05, 0.9, 0.99, 1e-3).withWeightDecay(0.08);
    SimulationOptions o = SimulationOptions.defaults(12).withSamples(1024).withReplicates(4).withSeed(1);
    Trajectory limit = lim.simulate(adamw, o);
    double narrow = deviation(p, limit, adamw, o, 64);
    double wide = deviation(p, limit, adamw, o, 512);
    double size = limit.train(12).maxAbs();
    assertTrue(wide < 0.1 * size, "width 512 deviates by " + wide + " for outputs of size " + size);
    assertTrue(wide < narrow / 2, "deviation should shrink with width: " + narrow + " at 64, " + wide + " at 512");
    Trajectory noDecay = lim.simulate(adamw.withWeightDecay(0), o);
    double off = 0;
    for (int i = 0; i < 6; i++) {
      off = Math.max(off, Math.abs(noDecay.train(12).get(i, 0) - limit.train(12).get(i, 0)));
    }
    assertTrue(off > 20 * wide, "the decay should matter: " + off + " vs finite-width deviation " + wide);
  }

  /** Max over points of |mean of 3 finite networks − limit| at the last step. */
  private static double deviation(AdaptiveLimitTest.Data p, Trajectory limit, Optimizer adam, SimulationOptions o, int width) {
    int seeds = 3;
    double[] mean = new double[9];
    for (int s = 0; s < seeds; s++) {
      FiniteNetwork net = FiniteNetwork.sample(AdaptiveLimitTest.NET, 4, width, 1, 100 + s);
      Trajectory tr = FiniteWidthTraining.train(net, p.x(), p.y(), p.tx(), p.ty(), adam, o);
      for (int i = 0; i < 6; i++) {
        mean[i] += tr.train(12).get(i, 0) / seeds;
      }
      for (int i = 0; i < 3; i++) {
        mean[6 + i] += tr.test(12).get(i, 0) / seeds;
      }
    }
    double worst = 0;
    for (int i = 0; i < 6; i++) {
      worst = Math.max(worst, Math.abs(mean[i] - limit.train(12).get(i, 0)));
    }
    for (int i = 0; i < 3; i++) {
      worst = Math.max(worst, Math.abs(mean[6 + i] - limit.test(12).get(i, 0)));
    }
    return worst;
  }
}
