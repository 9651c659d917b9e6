package io.github.ntk4j.internal;

import static io.github.ntk4j.internal.Angles.TWO_PI;

/**
 * The ReLU's dual maps (the arc-cosine kernel of degree 1, Cho and Saul 2009) over a block of
 * entries, written as short branch-free loops that the JIT compiles to SIMD instructions.
 *
 * <p>With s = √(q1q2 − Σ²) and θ = atan2(s, Σ): Ṫ = (π − θ)/(2π) and T = s/(2π) + Ṫ·Σ. The angle is
 * reached through θ' = atan2(s, |Σ|) ∈ [0, π/2] (θ = θ' for Σ ≥ 0, π − θ' otherwise, so π − θ is
 * formed without cancellation either way): tan(θ'/2) = s/h with h = √(s² + Σ²) + |Σ|, no
 * cancellation; where that exceeds tan(π/8) the half-angle is shifted by π/4, u = (s − h)/(h + s)
 * = tan(θ'/2 − π/4); and atan u, |u| ≤ tan(π/8), is a degree-23 odd polynomial (relative error
 * below 6e-18 on the interval, from a Chebyshev fit). Every choice is an arithmetic blend with a
 * weight of exactly 0 or 1 (min/max of a scaled difference), so there is no branch to mispredict and
 * each loop vectorizes; the JIT unrolls (and so vectorizes) only short loop bodies, hence one loop
 * per step over scratch arrays.
 *
 * <p>Entries outside the fast path's range keep the scalar formulas of {@link
 * io.github.ntk4j.layers.Relu}: magnitudes outside [2⁻⁵⁰⁰, 2⁵⁰⁰], non-finite values, and the
 * near-anti-parallel pairs (Σ &lt; 0, s &lt; |Σ|/2) whose T needs the cancellation-free tan φ − φ
 * form. The block is cut around them, so every entry is computed by the same operations whatever its
 * neighbours are: results do not depend on the tile size or the thread count. Agrees with the scalar
 * formula to a few ulps (tested).
 */
public final class ArcCosine {
  private ArcCosine() {}

  /** tan(π/8) = √2 − 1. */
  private static final double TAN_PI_8 = 0.41421356237309503;
  private static final double HALF_PI = Math.PI / 2;

  /** Scratch per thread for callers without a workspace. */
  private static final ThreadLocal<double[][]> SCRATCH = new ThreadLocal<>();

  /**
   * The ReLU's T and Ṫ for entries [0, length): {@code covariance[k]} (Σ on entry) becomes T and
   * {@code ntk[k]} (when not null) is multiplied by Ṫ, as {@link
   * io.github.ntk4j.layers.Activation#applyToEntries} describes.
   */
  public static void relu(double[] covariance, double[] sine, double[] ntk, int length) {
    double[][] s = SCRATCH.get();
    if (s == null || s[0].length < length) {
      s = prepareScratch(length);
    }
    relu(covariance, sine, ntk, length, s[0], s[1]);
  }

  /**
   * Gives the calling thread its scratch for blocks of up to {@code length} entries. A per-thread
   * workspace calls it when made: a worker thread's first {@link #relu} then finds its scratch, where
   * otherwise that first call takes branches the JIT compiled out on the warm-up thread (a new
   * thread's empty thread-local map), deoptimizing the compiled chain on the first real tile.
   */
  static double[][] prepareScratch(int length) {
    double[][] s = SCRATCH.get();
    if (s == null || s[0].length < length) {
      s = new double[][] {new double[Math.max(length, 256)], new double[Math.max(length, 256)]};
      SCRATCH.set(s);
    }
    return s;
  }

  /** As {@link #relu(double[], double[], double[], int)}, with scratch arrays of at least {@code length}. */
  private static void relu(double[] covariance, double[] sine, double[] ntk, int length, double[] p, double[] q) {
    // Whether every entry takes the fast path (the usual case): s ≥ 0, max(s, |Σ|) in [2⁻⁵⁰⁰, 2⁵⁰⁰]
    // and s + Σ/2 ≥ 0 (not nearly anti-parallel: for s ≥ 0 the negation of Σ < 0 and s < |Σ|/2,
    // exactly), from the minimum of the margins (two loops, which the JIT vectorizes; fused, it does not).
    margins(covariance, sine, length, p);
    double margin = minimum(p, length);
    if (margin >= 0) {
      block(covariance, sine, ntk, 0, length, p, q);
      return;
    }
    int from = 0;
    for (int k = 0; k < length; k++) {
      if (!fast(covariance[k], sine[k])) {
        if (k > from) {
          block(covariance, sine, ntk, from, k, p, q);
        }
        scalar(covariance, sine, ntk, k);
        from = k + 1;
      }
    }
    if (length > from) {
      block(covariance, sine, ntk, from, length, p, q);
    }
  }

  /**
   * p = min(s, s + Σ/2, max(s, |Σ|) − 2⁻⁵⁰⁰, 2⁵⁰⁰ − max(s, |Σ|)): each difference has the sign of
   * the comparison it stands for, and a NaN gives NaN.
   */
  private static void margins(double[] covariance, double[] sine, int length, double[] p) {
    for (int k = 0; k < length; k++) {
      double s = sine[k];
      double sig = covariance[k];
      double big = Math.max(s, Math.abs(sig));
      p[k] = Math.min(Math.min(s, s + 0.5 * sig), Math.min(big - 0x1p-500, 0x1p500 - big));
    }
  }

  /** min(values[0], …, values[length − 1]), +∞ for none, NaN if any is NaN. */
  public static double minimum(double[] values, int length) {
    double m = Double.POSITIVE_INFINITY;
    for (int k = 0; k < length; k++) {
      m = Math.min(m, values[k]);
    }
    return m;
  }

  /** Whether an entry takes the vectorized path: finite, in range and not nearly anti-parallel. */
  private static boolean fast(double sigma, double s) {
    double a = Math.abs(sigma);
    double big = Math.max(s, a);
    return s >= 0 && big >= 0x1p-500 && big <= 0x1p500 && !(sigma < 0 && s < 0.5 * a);
  }

  /** The scalar formulas of {@link io.github.ntk4j.layers.Relu} for entry k. */
  private static void scalar(double[] covariance, double[] sine, double[] ntk, int k) {
    double sig = covariance[k];
    double s = sine[k];
    double tdot;
    double t;
    if (sig < 0 && s < 0.5 * -sig) {
      // Near anti-parallel (θ → π): with φ = π − θ = atan(s/|Σ|), s + (π − θ)Σ = |Σ|·(tan φ − φ),
      // evaluated without cancellation; Ṫ = φ/(2π) from φ directly.
      double ratio = s / -sig;
      tdot = Math.atan(ratio) / TWO_PI;
      t = -sig * Angles.tanExcess(ratio) / TWO_PI;
    } else {
      double theta = (s == 0 && sig == 0) ? Math.PI / 2 : Angles.angle(s, sig);
      // (π − θ)/(2π) is exactly 0.5 for θ = 0, so duplicates reproduce the diagonal map q/2.
      tdot = (Math.PI - theta) / TWO_PI;
      t = s / TWO_PI + tdot * sig;
    }
    covariance[k] = t;
    if (ntk != null) {
      ntk[k] *= tdot;
    }
  }

  /**
   * The fast path over [from, to), every entry of which passes {@link #fast}: the steps of {@link
   * #FAST_PATH} in order, one loop each.
   *
   * <p>Each step is a class of its own, called through one call site that sees all of them: the JIT
   * then compiles each loop once, small and early, and calls it, where with the loops inlined here
   * it compiled them twice, once alone and once more in a single large method (that method took
   * 84–127 ms of the optimizing compiler's time, logged on 2 cores at n = 4000; this one takes under
   * 10 ms and each step 10–21 ms; the call costs nothing next to a loop over a row of a tile). One method of seven loops was worse still: compiled four
   * times more through on-stack replacement, one loop at a time, on the cores the tiles need.
   */
  private static void block(double[] covariance, double[] sine, double[] ntk, int from, int to, double[] p, double[] q) {
    for (Step step : FAST_PATH) {
      step.run(covariance, sine, ntk, from, to, p, q);
    }
  }

  /** One loop of the fast path over entries [from, to), with the scratch arrays p and q. */
  private abstract static class Step {
    abstract void run(double[] covariance, double[] sine, double[] ntk, int from, int to, double[] p, double[] q);
  }

  /** The fast path's steps, in order. */
  private static final Step[] FAST_PATH = {
    new HalfAngleDenominators(), new Octants(), new ReducedTangents(), new ArcTangents(), new Derivatives(),
    new Outputs(), new NtkFactors()
  };

  /** p = h = √(s² + Σ²) + |Σ|: tan(θ'/2) = s/h. */
  private static final class HalfAngleDenominators extends Step {
    @Override
    void run(double[] covariance, double[] sine, double[] ntk, int from, int to, double[] p, double[] q) {
      for (int k = from; k < to; k++) {
        double a = Math.abs(covariance[k]);
        double s = sine[k];
        p[k] = Math.sqrt(Math.fma(s, s, a * a)) + a;
      }
    }
  }

  /**
   * q = c: 1 where s/h > tan(π/8), else 0 (a nonzero difference is at least 2⁻⁵⁵⁰ in range, so the
   * scaled one is 0 or at least 2⁵⁰ before the clamp).
   */
  private static final class Octants extends Step {
    @Override
    void run(double[] covariance, double[] sine, double[] ntk, int from, int to, double[] p, double[] q) {
      for (int k = from; k < to; k++) {
        q[k] = Math.min(1.0, Math.max(0.0, (sine[k] - TAN_PI_8 * p[k]) * 0x1p600));
      }
    }
  }

  /** p = u = tan(θ'/2 − c·π/4) = (s − c·h)/(h + c·s), |u| ≤ tan(π/8). */
  private static final class ReducedTangents extends Step {
    @Override
    void run(double[] covariance, double[] sine, double[] ntk, int from, int to, double[] p, double[] q) {
      for (int k = from; k < to; k++) {
        double c = q[k];
        double h = p[k];
        double s = sine[k];
        p[k] = (s - c * h) / Math.fma(c, s, h);
      }
    }
  }

  /** p = atan u = u + u·x·R(x), x = u², R by Estrin's scheme. */
  private static final class ArcTangents extends Step {
    @Override
    void run(double[] covariance, double[] sine, double[] ntk, int from, int to, double[] p, double[] q) {
      for (int k = from; k < to; k++) {
        double u = p[k];
        double x = u * u;
        double x2 = x * x;
        double x4 = x2 * x2;
        double e0 = Math.fma(0.1999999999999552, x, -0.3333333333333333);
        double e1 = Math.fma(0.11111111015256361, x, -0.14285714284666542);
        double e2 = Math.fma(0.07692183190826087, x, -0.09090904578123903);
        double e3 = Math.fma(0.0585814891280221, x, -0.06664511447381948);
        double e4 = Math.fma(0.03923165829558719, x, -0.0508544973794026);
        double f0 = Math.fma(e1, x2, e0);
        double f1 = Math.fma(e3, x2, e2);
        double f2 = Math.fma(-0.01917688711906226, x2, e4);
        double r = Math.fma(Math.fma(f2, x4, f1), x4, f0);
        p[k] = Math.fma(u * x, r, u);
      }
    }
  }

  /**
   * q = Ṫ = (π − θ)/(2π): θ' = 2·atan u + c·π/2; π − θ = π − θ' for Σ ≥ 0 (g = 0) and θ' for Σ &lt; 0
   * (g = 1; g is fractional only for |Σ| &lt; 2⁻¹⁰⁰⁰, where θ' is π/2 to the last bit).
   */
  private static final class Derivatives extends Step {
    @Override
    void run(double[] covariance, double[] sine, double[] ntk, int from, int to, double[] p, double[] q) {
      for (int k = from; k < to; k++) {
        double thetaP = Math.fma(2, p[k], q[k] * HALF_PI);
        double g = Math.min(1.0, Math.max(0.0, -covariance[k] * 0x1p1000));
        q[k] = Math.fma(2 * g - 1, thetaP, (1 - g) * Math.PI) / TWO_PI;
      }
    }
  }

  /** Σ becomes T = s/(2π) + Ṫ·Σ. */
  private static final class Outputs extends Step {
    @Override
    void run(double[] covariance, double[] sine, double[] ntk, int from, int to, double[] p, double[] q) {
      for (int k = from; k < to; k++) {
        covariance[k] = sine[k] / TWO_PI + q[k] * covariance[k];
      }
    }
  }

  /** The NTK (when there is one) is multiplied by Ṫ. */
  private static final class NtkFactors extends Step {
    @Override
    void run(double[] covariance, double[] sine, double[] ntk, int from, int to, double[] p, double[] q) {
      if (ntk != null) {
        for (int k = from; k < to; k++) {
          ntk[k] *= q[k];
        }
      }
    }
  }
}
