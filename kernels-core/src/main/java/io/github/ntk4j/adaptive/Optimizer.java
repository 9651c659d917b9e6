package io.github.ntk4j.adaptive;

import java.util.Objects;

/**
 * An entrywise optimizer in the neural-tangent scalings of Tensor Programs IVb (arXiv 2308.01814;
 * shared/math/adaptive-limits.md §1): every scalar parameter w with (scaled) gradients g₀, …, g_t
 * moves by
 *
 * <pre>
 *   w_{t+1} = (1 − λ)·w_t − η_w·Q_t(g₀, …, g_t)
 *   SGD:   Q = g_t
 *   Adam:  m_t = β1·m_{t−1} + (1 − β1)·g_t,   v_t = β2·v_{t−1} + (1 − β2)·g_t²
 *          Q_t = [m_t/(1 − β1^{t+1})] / √( v_t/(1 − β2^{t+1}) + ε² )     (Q = 0 when the root is 0)
 * </pre>
 *
 * SignSGD(ε) is Adam with β1 = β2 = 0 (Q = g/√(g² + ε²), the sign for ε = 0); AdamW is Adam with a
 * decoupled weight decay λ &gt; 0 per step. ε sits inside the square root, as in TP IVb. The
 * learning rate at step t is η·schedule(t).
 *
 * @param rule {@link Rule#SGD} or {@link Rule#ADAM}
 * @param learningRate η &gt; 0, the width-independent base learning rate
 * @param beta1 β1 in [0, 1) (0 for SGD)
 * @param beta2 β2 in [0, 1) (0 for SGD)
 * @param epsilon ε ≥ 0 (0 for SGD)
 * @param weightDecay λ in [0, 1), the decoupled decay per step
 * @param schedule the learning-rate multipliers
 */
public record Optimizer(
    Rule rule, double learningRate, double beta1, double beta2, double epsilon, double weightDecay, Schedule schedule) {

  /** The update rule. */
  public enum Rule {
    /** Q(g) = g: the ordinary neural tangent kernel dynamics. */
    SGD,
    /** Adam, including SignSGD (β1 = β2 = 0). */
    ADAM
  }

  /**
   * Validates the settings.
   *
   * @param rule {@link Rule#SGD} or {@link Rule#ADAM}
   * @param learningRate η &gt; 0, the width-independent base learning rate
   * @param beta1 β1 in [0, 1) (0 for SGD)
   * @param beta2 β2 in [0, 1) (0 for SGD)
   * @param epsilon ε ≥ 0 (0 for SGD)
   * @param weightDecay λ in [0, 1), the decoupled decay per step
   * @param schedule the learning-rate multipliers
   * @throws IllegalArgumentException when a value is out of its range, naming it
   */
  public Optimizer {
    Objects.requireNonNull(rule, "rule");
    Objects.requireNonNull(schedule, "schedule");
    if (!(learningRate > 0) || !Double.isFinite(learningRate)) {
      throw new IllegalArgumentException("optimizer: learningRate must be a finite number > 0, got " + learningRate);
    }
    requireBeta("beta1", beta1);
    requireBeta("beta2", beta2);
    if (!(epsilon >= 0) || !Double.isFinite(epsilon)) {
      throw new IllegalArgumentException("optimizer: epsilon must be a finite number >= 0, got " + epsilon);
    }
    if (!(weightDecay >= 0 && weightDecay < 1)) {
      throw new IllegalArgumentException("optimizer: weightDecay (per step) must be in [0, 1), got " + weightDecay);
    }
    if (rule == Rule.SGD && (beta1 != 0 || beta2 != 0 || epsilon != 0)) {
      throw new IllegalArgumentException("optimizer: SGD takes no beta1, beta2 or epsilon; use Optimizer.adam");
    }
  }

  private static void requireBeta(String name, double beta) {
    if (!(beta >= 0 && beta < 1)) {
      throw new IllegalArgumentException("optimizer: " + name + " must be in [0, 1), got " + beta);
    }
  }

  /**
   * Plain gradient descent with learning rate η.
   *
   * @param learningRate η &gt; 0
   * @return the optimizer
   */
  public static Optimizer sgd(double learningRate) {
    return new Optimizer(Rule.SGD, learningRate, 0, 0, 0, 0, Schedule.constant());
  }

  /**
   * SignSGD: Q = g/√(g² + ε²), the sign of the gradient for ε = 0.
   *
   * @param learningRate η &gt; 0
   * @param epsilon ε ≥ 0
   * @return the optimizer
   */
  public static Optimizer signSgd(double learningRate, double epsilon) {
    return new Optimizer(Rule.ADAM, learningRate, 0, 0, epsilon, 0, Schedule.constant());
  }

  /**
   * Adam with moment decays β1, β2 and ε (inside the square root).
   *
   * @param learningRate η &gt; 0
   * @param beta1 β1 in [0, 1)
   * @param beta2 β2 in [0, 1)
   * @param epsilon ε ≥ 0
   * @return the optimizer
   */
  public static Optimizer adam(double learningRate, double beta1, double beta2, double epsilon) {
    return new Optimizer(Rule.ADAM, learningRate, beta1, beta2, epsilon, 0, Schedule.constant());
  }

  /**
   * This optimizer with a decoupled weight decay λ per step (Adam becomes AdamW).
   *
   * @param lambda λ in [0, 1)
   * @return the optimizer with weight decay
   */
  public Optimizer withWeightDecay(double lambda) {
    return new Optimizer(rule, learningRate, beta1, beta2, epsilon, lambda, schedule);
  }

  /**
   * This optimizer with a learning-rate schedule.
   *
   * @param s the schedule of learning-rate multipliers
   * @return the optimizer with that schedule
   */
  public Optimizer withSchedule(Schedule s) {
    return new Optimizer(rule, learningRate, beta1, beta2, epsilon, weightDecay, s);
  }

  /**
   * This optimizer with another base learning rate.
   *
   * @param eta η &gt; 0
   * @return the optimizer with that learning rate
   */
  public Optimizer withLearningRate(double eta) {
    return new Optimizer(rule, eta, beta1, beta2, epsilon, weightDecay, schedule);
  }

  /**
   * Whether this is exact SignSGD: Adam with β1 = β2 = ε = λ = 0.
   *
   * @return whether the update is exactly sign(g)
   */
  public boolean isExactSign() {
    return rule == Rule.ADAM && beta1 == 0 && beta2 == 0 && epsilon == 0 && weightDecay == 0;
  }

  /** The entrywise update Q of this optimizer, for the simulators and finite-width training. */
  io.github.ntk4j.internal.NtSimulator.Rule update() {
    return new io.github.ntk4j.internal.NtSimulator.Rule(rule == Rule.SGD, beta1, beta2, epsilon);
  }

  /** The learning rate at step t, η·schedule(t), checked. */
  double learningRateAt(int step) {
    double m = schedule.multiplier(step);
    if (!(m >= 0) || !Double.isFinite(m)) {
      throw new IllegalArgumentException("schedule: multiplier at step " + step + " is " + m + "; expected a finite number >= 0");
    }
    return learningRate * m;
  }
}
