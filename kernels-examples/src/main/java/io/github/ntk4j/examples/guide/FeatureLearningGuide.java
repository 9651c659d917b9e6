package io.github.ntk4j.examples.guide;

import io.github.ntk4j.Matrix;
import io.github.ntk4j.featurelearning.MuPLinear;
import io.github.ntk4j.featurelearning.MuPLinearOptions;

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
}
