package io.github.ntk4j.predict;

import io.github.ntk4j.ComputeOptions;
import java.util.Objects;

/**
 * How predictions are made (shared/math/kernels.md §7; the conventions of neural-tangents,
 * arXiv 1912.02803).
 *
 * <ul>
 *   <li><b>learningRate</b> η &gt; 0 (default 1): gradient flow on L = (1/(2N))·Σ(f − Y)² runs in
 *       units of steps, so the dynamics depend only on τ = η·t/N, N = n·c the number of entries of
 *       the training targets.
 *   <li><b>diagReg</b> r ≥ 0 (default 0): the training kernel K_dd is replaced by
 *       K_dd + r·(trace(K_dd)/n)·I, or by K_dd + r·I when {@code absoluteDiagReg} is set. The same
 *       matrix serves the Cholesky factorization (t = ∞) and the eigendecomposition (finite t); for
 *       the NNGP it is the noise variance of the Gaussian-process posterior.
 *   <li><b>compute</b>: how the kernels themselves are computed (threads, backend). Prediction
 *       algebra is always float64; a float32 {@link ComputeOptions#precision()} only affects the
 *       kernels.
 * </ul>
 *
 * @param learningRate η &gt; 0
 * @param diagReg r ≥ 0
 * @param absoluteDiagReg whether r is absolute rather than relative to the mean of diag(K_dd)
 * @param compute options for the kernel computations
 */
public record PredictOptions(double learningRate, double diagReg, boolean absoluteDiagReg, ComputeOptions compute) {

  /**
   * Validates the options.
   *
   * @param learningRate η &gt; 0
   * @param diagReg r ≥ 0
   * @param absoluteDiagReg whether r is absolute rather than relative to the mean of diag(K_dd)
   * @param compute options for the kernel computations
   * @throws IllegalArgumentException when a value is out of its range, naming it
   */
  public PredictOptions {
    if (!(learningRate > 0) || !Double.isFinite(learningRate)) {
      throw new IllegalArgumentException("learningRate must be a finite number > 0, got " + learningRate);
    }
    if (!(diagReg >= 0) || !Double.isFinite(diagReg)) {
      throw new IllegalArgumentException("diagReg must be a finite number >= 0, got " + diagReg);
    }
    Objects.requireNonNull(compute, "compute");
  }

  /**
   * η = 1, no regularization, default compute options.
   *
   * @return the default options
   */
  public static PredictOptions defaults() {
    return new PredictOptions(1, 0, false, ComputeOptions.defaults());
  }

  /**
   * These options with another learning rate.
   *
   * @param eta η &gt; 0
   * @return the new options
   */
  public PredictOptions withLearningRate(double eta) {
    return new PredictOptions(eta, diagReg, absoluteDiagReg, compute);
  }

  /**
   * These options with a relative diagonal regularization r·trace(K_dd)/n.
   *
   * @param r r ≥ 0
   * @return the new options
   */
  public PredictOptions withDiagReg(double r) {
    return new PredictOptions(learningRate, r, false, compute);
  }

  /**
   * These options with an absolute diagonal regularization r·I.
   *
   * @param r r ≥ 0
   * @return the new options
   */
  public PredictOptions withAbsoluteDiagReg(double r) {
    return new PredictOptions(learningRate, r, true, compute);
  }

  /**
   * These options with other kernel compute options.
   *
   * @param c the compute options
   * @return the new options
   */
  public PredictOptions withCompute(ComputeOptions c) {
    return new PredictOptions(learningRate, diagReg, absoluteDiagReg, c);
  }
}
