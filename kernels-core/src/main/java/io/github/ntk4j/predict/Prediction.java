package io.github.ntk4j.predict;

import io.github.ntk4j.KernelKind;
import io.github.ntk4j.Matrix;
import java.util.Objects;
import java.util.Optional;

/**
 * What an infinite ensemble of networks predicts on test points at one training time: the mean
 * (m×c) and, when asked for, the covariance over the ensemble (m×m, the same for every output
 * column). Immutable.
 */
public final class Prediction {
  private final KernelKind kind;
  private final double time;
  private final Matrix mean;
  private final Matrix covariance;

  Prediction(KernelKind kind, double time, Matrix mean, Matrix covariance) {
    this.kind = Objects.requireNonNull(kind);
    this.time = time;
    this.mean = Objects.requireNonNull(mean);
    this.covariance = covariance;
  }

  /**
   * The kernel used: {@link KernelKind#NTK} for gradient descent, {@link KernelKind#NNGP} for
   * Bayesian inference (t = ∞) or readout-only training (finite t).
   *
   * @return the kernel kind
   */
  public KernelKind kind() {
    return kind;
  }

  /**
   * The training time t in steps ({@link Double#POSITIVE_INFINITY} for t = ∞).
   *
   * @return t
   */
  public double time() {
    return time;
  }

  /**
   * The mean prediction, one row per test point and one column per output.
   *
   * @return μ_t(X*), m×c
   */
  public Matrix mean() {
    return mean;
  }

  /**
   * The ensemble covariance Σ*_t between test points (shared/math/kernels.md §7.5), if it was
   * computed.
   *
   * @return Σ*_t, m×m, or empty when the prediction was made without covariance
   */
  public Optional<Matrix> covariance() {
    return Optional.ofNullable(covariance);
  }

  @Override
  public String toString() {
    return "Prediction[" + kind + ", t=" + time + ", mean " + mean.rows() + "x" + mean.cols()
        + (covariance == null ? "" : ", with covariance") + "]";
  }
}
