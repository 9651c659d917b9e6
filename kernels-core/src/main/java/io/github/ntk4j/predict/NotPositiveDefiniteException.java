package io.github.ntk4j.predict;

import io.github.ntk4j.NumericalException;

/**
 * The regularized training kernel K_dd + r·(trace(K_dd)/n)·I is not numerically positive definite, so
 * (K_dd + reg)⁻¹ does not exist in double precision (for example, duplicate training points with
 * {@code diagReg = 0}). The message names the pivot and suggests a positive {@code diagReg}; the
 * library never switches silently to a pseudo-inverse.
 */
public class NotPositiveDefiniteException extends NumericalException {
  private static final long serialVersionUID = 1L;

  /** The failing pivot, or -1. */
  private final int pivot;

  /**
   * An exception for the given pivot.
   *
   * @param message what failed and what to change
   * @param pivot the index of the first failing pivot, or -1 if unknown
   */
  public NotPositiveDefiniteException(String message, int pivot) {
    super(message);
    this.pivot = pivot;
  }

  /**
   * The index of the first pivot of the Cholesky factorization that was not positive, or -1 if unknown.
   *
   * @return the pivot index
   */
  public int pivot() {
    return pivot;
  }
}
