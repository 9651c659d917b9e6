package io.github.ntk4j.predict;

import java.util.Arrays;

/**
 * Mean squared errors of the ensemble's mean prediction over a list of training times:
 * MSE = (1/(m·c))·Σ (μ_t − Y)², on the training set and on a test set. Immutable (accessors return
 * copies).
 */
public final class LossCurve {
  private final double[] times;
  private final double[] trainLoss;
  private final double[] testLoss;

  LossCurve(double[] times, double[] trainLoss, double[] testLoss) {
    this.times = times.clone();
    this.trainLoss = trainLoss.clone();
    this.testLoss = testLoss.clone();
  }

  /**
   * The training times, in steps, in the order they were given.
   *
   * @return a copy of the times
   */
  public double[] times() {
    return times.clone();
  }

  /**
   * The training-set MSE at each time.
   *
   * @return a copy of the training losses
   */
  public double[] trainLoss() {
    return trainLoss.clone();
  }

  /**
   * The test-set MSE at each time.
   *
   * @return a copy of the test losses
   */
  public double[] testLoss() {
    return testLoss.clone();
  }

  @Override
  public String toString() {
    return "LossCurve[times=" + Arrays.toString(times) + ", train=" + Arrays.toString(trainLoss) + ", test="
        + Arrays.toString(testLoss) + "]";
  }
}
