package io.github.ntk4j.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.github.ntk4j.layers.Architectures;
import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * With Q = identity the simulator is kernel gradient descent with the empirical kernel of its own
 * samples, to rounding (shared/math/adaptive-limits.md §6): checks the gradient grid, the group
 * scales and weights and the output update independently of Monte Carlo error.
 */
class NtSimulatorExactTest {
  @ParameterizedTest(name = "seed {0}")
  @ValueSource(longs = {1, 2, 3})
  void sgdStepsAreKernelDescentWithTheEmpiricalKernelOfTheSamples(long seed) {
    SplittableRandom r = new SplittableRandom(seed);
    String[] archs = {
      "serial(dense(1.3, 0.2), relu(), dense(1.4, 0.1), relu(), dense(1.0, 0.3))",
      "serial(dense(1.1, 0.3), erf(), dense(0.9))",
      "serial(dense(1.2, 0.1), dense(0.8, 0.2))",
    };
    Mlp mlp = Mlp.of(Architectures.parse(archs[(int) (seed - 1)]), 3, "test");
    int m = 7;
    int n = 5;
    double[] x = new double[m * 3];
    for (int i = 0; i < x.length; i++) {
      x[i] = r.nextGaussian();
    }
    double[] y = new double[n];
    for (int i = 0; i < n; i++) {
      y[i] = r.nextGaussian();
    }
    NtSimulator sim = new NtSimulator(mlp, mlp.layerKernels(x, m, 1), x);
    int su = 20;
    int sv = 17;
    double[] k = sim.empiricalKernel(su, sv, new SplittableRandom(seed + 100));
    int[] batch = {0, 2, 3};
    double eta = 0.07;
    double[][] f =
        sim.run(new double[m], y, new NtSimulator.Rule(true, 0, 0, 0), t -> eta, 3, t -> batch, false, su, sv,
            new SplittableRandom(seed + 100), 2, () -> {}, new int[] {0, 1, 2, 3});
    double[] expected = new double[m];
    for (int t = 0; t < 3; t++) {
      double[] next = expected.clone();
      for (int a = 0; a < m; a++) {
        for (int b : batch) {
          next[a] -= eta * k[a * m + b] * (expected[b] - y[b]);
        }
      }
      expected = next;
      for (int a = 0; a < m; a++) {
        assertEquals(expected[a], f[t + 1][a], 1e-12 * (1 + Math.abs(expected[a])), "seed " + seed + " step " + (t + 1) + " point " + a);
      }
    }
  }
}
