package io.github.ntk4j.featurelearning;

import io.github.ntk4j.Matrix;
import java.util.SplittableRandom;
import java.util.function.ToDoubleFunction;

/**
 * A generated regression problem for the feature-learning tests: P training and T test points with
 * standard normal coordinates in D dimensions, drawn point by point, and one target per training
 * point.
 */
record SignProblem(Matrix x, Matrix y, Matrix xTest) {
  static SignProblem of(long seed, int p, int t, int d, ToDoubleFunction<double[]> target) {
    SplittableRandom r = new SplittableRandom(seed);
    double[][] x = new double[p][d];
    double[][] y = new double[p][1];
    double[][] xt = new double[t][d];
    for (int i = 0; i < p + t; i++) {
      double[] row = i < p ? x[i] : xt[i - p];
      for (int j = 0; j < d; j++) {
        row[j] = r.nextGaussian();
      }
      if (i < p) {
        y[i][0] = target.applyAsDouble(row);
      }
    }
    return new SignProblem(Matrix.of(x), Matrix.of(y), Matrix.of(xt));
  }
}
