package io.github.ntk4j.examples.guide;

import io.github.ntk4j.KernelKind;
import io.github.ntk4j.Matrix;
import io.github.ntk4j.ProgressListener;
import io.github.ntk4j.featurelearning.AdaptiveNtk;
import io.github.ntk4j.featurelearning.AdaptiveNtkOptions;
import io.github.ntk4j.featurelearning.AnbkSamplingOptions;
import io.github.ntk4j.featurelearning.DeepLinearAnbk;
import io.github.ntk4j.featurelearning.KernelSgd;
import io.github.ntk4j.featurelearning.LinearBottleneck;
import io.github.ntk4j.featurelearning.MuPLinear;
import io.github.ntk4j.featurelearning.MuPLinearOptions;
import io.github.ntk4j.featurelearning.TwoLayerAnbk;
import io.github.ntk4j.layers.Layers;

/** docs/feature-learning.md: the μP linear limit next to a finite network of the same parameterization. */
public final class FeatureLearningGuide {
  private FeatureLearningGuide() {}

  /** What the page's example computes. */
  public record Results(Matrix limitOutputs, Matrix finiteOutputs, Matrix featuresBefore, Matrix featuresAfter) {}

  /**
   * Runs the page's example.
   *
   * @param x training inputs, n×5
   * @param y training targets, n×2
   * @param testX test inputs, m×5
   * @param order the training example of each SGD step
   * @param seed the seed of the finite network
   * @return the outputs of the limit and of a width-4096 network on testX, and the limit's feature
   *     kernel on x before and after training
   */
  public static Results run(Matrix x, Matrix y, Matrix testX, int[] order, long seed) {
    // snippet:mup
    MuPLinearOptions options = MuPLinearOptions.of(1.0, 0.5, 1.0); // σ₁, σ₂, α; α_b = 1, α_b2 = 0
    MuPLinear limit = MuPLinear.limit(5, 2, options);              // d = 5 inputs, k = 2 outputs
    MuPLinear trained = limit.sgd(x, y, 0.05, order);              // one example per step
    MuPLinear finite = MuPLinear.finiteWidth(5, 2, 4096, seed, options).sgd(x, y, 0.05, order);

    Matrix f = trained.predict(testX);                  // the infinite-width network
    Matrix fn = finite.predict(testX);                  // within about 0.006 of it at this width
    Matrix before = limit.featureKernel(x);             // h(x)·h(x') at initialization ...
    Matrix after = trained.featureKernel(x);            // ... and after training: features moved
    // end-snippet
    return new Results(f, fn, before, after);
  }

  /** What the adaptive-kernel example computes: test predictions of each method. */
  public record Adaptive(
      Matrix kernelSgd, Matrix deepLinear, double m, Matrix twoLayer, double[] ess, Matrix antk, Matrix antkKernel,
      Matrix bottleneck) {}

  /**
   * Runs the page's second example: one scalar-output task, every other limit of the package.
   *
   * @param x training inputs, P×D
   * @param y training targets, P×1
   * @param testX test inputs
   * @param order the training example of each SGD step
   * @return test predictions of each method
   */
  public static Adaptive adaptive(Matrix x, Matrix y, Matrix testX, int[] order) {
    // snippet:adaptive
    // The frozen-feature baseline: an NTK trained by the same SGD, in function space.
    Matrix sgd = KernelSgd.of(Layers.serial(Layers.dense(1.0), Layers.relu(), Layers.dense(1.0)), KernelKind.NTK, x, 1)
        .sgd(y, 0.05, order, 0.0).predict(testX);

    // Bayesian posterior of a deep linear network (L = 2, γ = 1, β = 10): exact.
    DeepLinearAnbk deep = DeepLinearAnbk.fit(x, y, 1.0, 10.0, 2);
    Matrix fDeep = deep.predict(testX);                 // = C(x*, X)(C + I/(β·m))⁻¹ y

    // ... of an erf network with one hidden layer, by importance sampling (γ = 0.3).
    TwoLayerAnbk erf = TwoLayerAnbk.fit(x, y, testX, Layers.erf(), 0.3, 10.0,
        AnbkSamplingOptions.withSamples(20_000, 1), ProgressListener.none());
    Matrix fErf = erf.predictions();
    double[] ess = erf.effectiveSampleSizes();          // per continuation step

    // Gradient descent with weight decay on a two-layer ReLU network (the aNTK dynamics).
    AdaptiveNtk net = AdaptiveNtk.train(x, y, testX, Layers.relu(),
        AdaptiveNtkOptions.of(1.0, 0.1).withSchedule(0.02, 2_000).withNeurons(500, 1), ProgressListener.none());
    Matrix fNet = net.testOutputs();
    Matrix fKernel = net.stationaryPredictions();      // Φ(x*, X)(Φ + λI)⁻¹ y with the learned Φ

    // Two infinitely wide linear networks joined by a bottleneck of width 4.
    Matrix fBottleneck = LinearBottleneck.initialize(x.cols(), 4, 1, 1, 1)
        .train(x, y, 0.1, 500, true).predictCentred(testX);
    // end-snippet
    return new Adaptive(sgd, fDeep, deep.m(), fErf, ess, fNet, fKernel, fBottleneck);
  }
}
