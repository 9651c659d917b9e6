package io.github.ntk4j.adaptive;

import java.util.Arrays;

/**
 * A learning-rate schedule: the learning rate at step t (t = 0, 1, …) is η·multiplier(t). With
 * ε → 0 sign-like dynamics oscillate at the scale of η near a minimum
 * (shared/math/adaptive-limits.md §5.5); a decaying schedule lets them settle.
 */
@FunctionalInterface
public interface Schedule {
  /**
   * The multiplier of the base learning rate at step {@code step}.
   *
   * @param step the step index, from 0
   * @return a finite number ≥ 0
   */
  double multiplier(int step);

  /**
   * The constant schedule: multiplier 1 at every step.
   *
   * @return the constant schedule
   */
  static Schedule constant() {
    return step -> 1;
  }

  /**
   * The given multipliers, one per step; steps past the end keep the last one.
   *
   * @param multipliers finite numbers ≥ 0, at least one (copied)
   * @return the schedule
   */
  static Schedule of(double... multipliers) {
    if (multipliers.length == 0) {
      throw new IllegalArgumentException("schedule: expected at least one multiplier");
    }
    double[] m = multipliers.clone();
    for (int i = 0; i < m.length; i++) {
      if (!(m[i] >= 0) || !Double.isFinite(m[i])) {
        throw new IllegalArgumentException("schedule: multiplier " + i + " is " + m[i] + "; expected a finite number >= 0");
      }
    }
    return new Schedule() {
      @Override
      public double multiplier(int step) {
        return m[Math.min(step, m.length - 1)];
      }

      @Override
      public String toString() {
        return "Schedule.of" + Arrays.toString(m);
      }
    };
  }

  /**
   * Exponential decay: multiplier γ^t.
   *
   * @param gamma the per-step factor, in (0, 1]
   * @return the schedule
   */
  static Schedule exponential(double gamma) {
    if (!(gamma > 0 && gamma <= 1)) {
      throw new IllegalArgumentException("schedule: gamma must be in (0, 1], got " + gamma);
    }
    return step -> Math.pow(gamma, step);
  }
}
