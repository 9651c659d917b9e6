package io.github.ntk4j.examples.guide;

import io.github.ntk4j.Matrix;
import io.github.ntk4j.adaptive.AdaptiveLimit;
import io.github.ntk4j.adaptive.Batches;
import io.github.ntk4j.adaptive.Optimizer;
import io.github.ntk4j.adaptive.SignKernel;
import io.github.ntk4j.adaptive.SimulationOptions;
import io.github.ntk4j.adaptive.Trajectory;
import io.github.ntk4j.layers.Architectures;
import io.github.ntk4j.layers.Layer;

/** docs/adaptive-limits.md: the SignSGD kernel and the adaptive-optimizer limits. */
public final class AdaptiveGuide {
  private AdaptiveGuide() {}

  /** What the page's example computes. */
  public record Results(Matrix signKernel, Trajectory ntk, Trajectory adam, Trajectory sign, double testLoss, Matrix standardError) {}

  /**
   * Runs the page's example.
   *
   * @param x1 the points whose outputs move, n1×d
   * @param x2 the training points stepped on, n2×d
   * @param trainX training inputs, n×d
   * @param trainY training targets, n×c
   * @param testX test inputs, m×d
   * @param testY test targets, m×c
   * @return the results
   */
  public static Results run(Matrix x1, Matrix x2, Matrix trainX, Matrix trainY, Matrix testX, Matrix testY) {
    // snippet:adaptive
    Layer net = Architectures.parse("serial(dense(1.3, 0.2), relu(), dense(1.4, 0.1), relu(), dense(1.0, 0.3))");

    // The SignSGD kernel: [a][b] = change of f(x1_a) per unit sign step on the training point x2_b.
    Matrix k = SignKernel.compute(net, x1, x2);

    AdaptiveLimit limit = AdaptiveLimit.of(net, trainX, trainY, testX, testY);
    SimulationOptions options = SimulationOptions.defaults(200)          // 200 full-batch steps
        .withReduction(SimulationOptions.Reduction.MEAN).withSeed(1);
    Trajectory ntk  = limit.kernelGradientDescent(Optimizer.sgd(0.5), options);          // exact
    Trajectory adam = limit.simulate(Optimizer.adam(0.05, 0.9, 0.99, 1e-4), options);    // Monte Carlo
    Trajectory sign = limit.signDescent(Optimizer.signSgd(0.02, 0),                      // exact, batch 1
        options.withSteps(20 * trainX.rows()).withBatches(Batches.random(1, 7)));
    double testLoss = adam.testLoss().orElseThrow()[200];
    Matrix se = adam.testStandardError(200).orElseThrow();   // Monte Carlo standard error
    // end-snippet
    return new Results(k, ntk, adam, sign, testLoss, se);
  }
}
