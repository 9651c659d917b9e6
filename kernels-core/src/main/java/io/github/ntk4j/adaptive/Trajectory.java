package io.github.ntk4j.adaptive;

import io.github.ntk4j.Matrix;
import io.github.ntk4j.internal.MatrixBridge;
import java.util.Optional;

/**
 * Outputs of a network on its training and test points after the recorded steps (every step
 * t = 0..T unless {@link SimulationOptions#recordEvery()} thins them; step 0 and the last step T are
 * always recorded), with the loss curves and, for Monte Carlo results, standard errors. Immutable.
 *
 * <p>Losses are plain mean squared errors, (1/(n·c))·Σ (f − y)², whatever reduction training used;
 * loss arrays have one value per recorded step, in the order of {@link #recordedSteps()}.
 */
public final class Trajectory {
  private final int steps;
  private final int[] recorded;
  private final int n;
  private final int m;
  private final int c;
  private final double[][] train;
  private final double[][] test;
  private final double[][] trainError;
  private final double[][] testError;
  private final double[] trainLoss;
  private final double[] testLoss;

  Trajectory(
      int[] recorded, int n, int m, int c, double[][] train, double[][] test, double[][] trainError,
      double[][] testError, double[] trainY, double[] testY) {
    this.recorded = recorded.clone();
    this.steps = recorded[recorded.length - 1];
    this.n = n;
    this.m = m;
    this.c = c;
    this.train = train;
    this.test = test;
    this.trainError = trainError;
    this.testError = testError;
    this.trainLoss = losses(train, trainY);
    this.testLoss = testY == null ? null : losses(test, testY);
  }

  private static double[] losses(double[][] f, double[] y) {
    double[] loss = new double[f.length];
    for (int t = 0; t < f.length; t++) {
      double s = 0;
      for (int i = 0; i < y.length; i++) {
        double e = f[t][i] - y[i];
        s += e * e;
      }
      loss[t] = y.length == 0 ? 0 : s / y.length;
    }
    return loss;
  }

  /**
   * The number of steps T.
   *
   * @return T
   */
  public int steps() {
    return steps;
  }

  /**
   * The steps whose outputs are kept, ascending, from 0 to T.
   *
   * @return a copy of the recorded steps
   */
  public int[] recordedSteps() {
    return recorded.clone();
  }

  /**
   * f_t on the n training points, n×c.
   *
   * @param step a recorded step
   * @return the training outputs after that step
   */
  public Matrix train(int step) {
    return MatrixBridge.wrap(n, c, train[check(step)].clone());
  }

  /**
   * f_t on the m test points, m×c.
   *
   * @param step a recorded step
   * @return the test outputs after that step
   */
  public Matrix test(int step) {
    return MatrixBridge.wrap(m, c, test[check(step)].clone());
  }

  /**
   * The Monte Carlo standard error of {@link #train(int)}, when this is a Monte Carlo estimate with ≥ 2 replicates.
   *
   * @param step a recorded step
   * @return the standard errors, n×c, or empty
   */
  public Optional<Matrix> trainStandardError(int step) {
    return trainError == null ? Optional.empty() : Optional.of(MatrixBridge.wrap(n, c, trainError[check(step)].clone()));
  }

  /**
   * The Monte Carlo standard error of {@link #test(int)}, when this is a Monte Carlo estimate with ≥ 2 replicates.
   *
   * @param step a recorded step
   * @return the standard errors, m×c, or empty
   */
  public Optional<Matrix> testStandardError(int step) {
    return testError == null ? Optional.empty() : Optional.of(MatrixBridge.wrap(m, c, testError[check(step)].clone()));
  }

  /**
   * The training MSE after each recorded step.
   *
   * @return one loss per recorded step (a copy)
   */
  public double[] trainLoss() {
    return trainLoss.clone();
  }

  /**
   * The test MSE after each recorded step, when test targets were given.
   *
   * @return one loss per recorded step (a copy), or empty
   */
  public Optional<double[]> testLoss() {
    return testLoss == null ? Optional.empty() : Optional.of(testLoss.clone());
  }

  private int check(int step) {
    int i = java.util.Arrays.binarySearch(recorded, step);
    if (i < 0) {
      throw new IllegalArgumentException(
          "step " + step + " was not recorded: the trajectory keeps steps 0, " + (recorded.length > 1 ? recorded[1] : 0)
              + ", ... up to " + steps + " (SimulationOptions.recordEvery)");
    }
    return i;
  }

  @Override
  public String toString() {
    return "Trajectory[" + steps + " steps, " + n + " train and " + m + " test points, " + c + " outputs, final train MSE "
        + trainLoss[recorded.length - 1] + (testLoss == null ? "" : ", test MSE " + testLoss[recorded.length - 1]) + "]";
  }
}
