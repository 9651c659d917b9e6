package io.github.ntk4j;

/** Floating-point precision of a kernel computation. */
public enum Precision {
  /** IEEE double precision throughout (the default). */
  FLOAT64,
  /**
   * Single precision for speed: inputs are rounded to {@code float}, the input Gram product is
   * accumulated in {@code float}, and results are rounded to {@code float}. The layer-by-layer chain
   * still runs in double precision. Expect relative errors of about 1e-6 per layer against
   * {@link #FLOAT64} (see docs/precision.md); use {@link #FLOAT64} when the result feeds a linear
   * solve.
   */
  FLOAT32
}
