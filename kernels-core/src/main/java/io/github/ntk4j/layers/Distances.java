package io.github.ntk4j.layers;

/** Sums q1 + q2 ∓ 2Σ of a Gaussian pair without cancellation, from its sine s = √(q1·q2 − Σ²). */
final class Distances {
  private Distances() {}

  /**
   * q1 + q2 − 2Σ = E[(u − v)²]: for Σ &gt; 0 written as (√q1 − √q2)² + 2s²/(√(q1·q2) + Σ), exact for
   * duplicates (0) and accurate for nearly parallel pairs.
   */
  static double minus(double q1, double q2, double sigma, double sine) {
    if (sigma <= 0) {
      return q1 + q2 - 2 * sigma;
    }
    double r1 = Math.sqrt(q1);
    double r2 = Math.sqrt(q2);
    double diff = r1 - r2;
    double r = r1 * r2;
    return diff * diff + 2 * sine * sine / (r + sigma);
  }

  /** q1 + q2 + 2Σ = E[(u + v)²], accurate for nearly anti-parallel pairs. */
  static double plus(double q1, double q2, double sigma, double sine) {
    return minus(q1, q2, -sigma, sine);
  }
}
