package io.github.ntk4j.internal;

import static io.github.ntk4j.internal.Angles.TWO_PI;

import io.github.ntk4j.layers.AbRelu;
import io.github.ntk4j.layers.Abs;
import io.github.ntk4j.layers.Identity;
import io.github.ntk4j.layers.LeakyRelu;
import io.github.ntk4j.layers.Activation;
import io.github.ntk4j.layers.Erf;
import io.github.ntk4j.layers.Relu;
import java.util.Optional;

/**
 * The two Gaussian expectations an activation contributes to the SignSGD kernel
 * (shared/math/adaptive-limits.md §4.2–4.3), for a centred pair (h_a, h_b) with covariance Σ,
 * variances q_a, q_b and sine s = √(q_a·q_b − Σ²):
 *
 * <pre>
 *   F = E[φ(h_a)·sign φ(h_b)]        G = E[φ'(h_a)·sign φ'(h_b)]
 * </pre>
 *
 * Closed forms exist for the ABReLU family (ReLU, LeakyReLU, abs, identity) and for a·erf(b·x); other
 * activations have none ({@link #of} is empty).
 */
abstract class SignDuals {
  /** 1/(2√(2π)). */
  private static final double KAPPA = 1 / (2 * Math.sqrt(2 * Math.PI));

  /** F(Σ, s; q_a, q_b); 0 when q_b = 0 (then sign φ(h_b) is constant and E[φ(h_a)] = 0 or φ(0)). */
  abstract double f(double sigma, double sine, double qa, double qb);

  /** G(Σ, s; q_a, q_b). */
  abstract double g(double sigma, double sine, double qa, double qb);

  /** The closed forms of {@code a}, if it has them. */
  static Optional<SignDuals> of(Activation a) {
    if (a instanceof Relu) {
      return Optional.of(new Piecewise(0, 1));
    }
    if (a instanceof AbRelu ab) {
      return Optional.of(new Piecewise(ab.a(), ab.b()));
    }
    if (a instanceof LeakyRelu lr) {
      return Optional.of(new Piecewise(lr.alpha(), 1));
    }
    if (a instanceof Abs) {
      return Optional.of(new Piecewise(-1, 1));
    }
    if (a instanceof Identity) {
      return Optional.of(new Piecewise(1, 1));
    }
    if (a instanceof Erf e && e.c() == 0) {
      return Optional.of(new ErfSign(e.a(), e.b()));
    }
    return Optional.empty();
  }

  /** The angle θ = atan2(s, Σ), with θ = π/2 for a pair with a zero variance. */
  static double angle(double sigma, double sine) {
    return (sine == 0 && sigma == 0) ? Math.PI / 2 : Angles.angle(sine, sigma);
  }

  /** φ(x) = α·min(x, 0) + β·max(x, 0). */
  static final class Piecewise extends SignDuals {
    private final double alpha;
    private final double beta;

    Piecewise(double alpha, double beta) {
      this.alpha = alpha;
      this.beta = beta;
    }

    /**
     * With σ̃ = Σ/√q_b, A± = √q_a ± σ̃ and κ = 1/(2√(2π)): E₊ = κ(β·A₊ − α·A₋),
     * E₋ = κ(β·A₋ − α·A₊) and F = sgn(β)·E₊ − sgn(α)·E₋. A± = (r ± Σ)/√q_b with r = √(q_a·q_b);
     * the one of the two that cancels is computed as s²/((r ∓ Σ)·√q_b) instead.
     */
    @Override
    double f(double sigma, double sine, double qa, double qb) {
      if (qb == 0) {
        return 0;
      }
      double rootB = Math.sqrt(qb);
      double r = Math.sqrt(qa) * rootB;
      double big = r + Math.abs(sigma);
      if (big == 0) {
        return 0;
      }
      double small = (sine / big) * (sine / rootB);
      double plus;
      double minus;
      if (sigma >= 0) {
        plus = big / rootB;
        minus = small;
      } else {
        plus = small;
        minus = big / rootB;
      }
      double ePlus = KAPPA * (beta * plus - alpha * minus);
      double eMinus = KAPPA * (beta * minus - alpha * plus);
      return Math.signum(beta) * ePlus - Math.signum(alpha) * eMinus;
    }

    /** G = (|α| + |β|)·P₊₊ + (α·sgn β + β·sgn α)·P₊₋ with P₊₊ = (π − θ)/(2π), P₊₋ = θ/(2π). */
    @Override
    double g(double sigma, double sine, double qa, double qb) {
      double theta = angle(sigma, sine);
      double same = (Math.PI - theta) / TWO_PI;
      double opposite = theta / TWO_PI;
      return (Math.abs(alpha) + Math.abs(beta)) * same
          + (alpha * Math.signum(beta) + beta * Math.signum(alpha)) * opposite;
    }
  }

  /** φ(x) = a·erf(b·x). */
  static final class ErfSign extends SignDuals {
    private final double a;
    private final double b;

    ErfSign(double a, double b) {
      this.a = a;
      this.b = b;
    }

    /**
     * F = |a|·(2/π)·atan2(√2·Σ̃, √(q̃_b + 2·s̃²)) with Σ̃ = b²Σ, q̃ = b²q, s̃ = b²s: the arcsine form
     * (2/π)·asin(√2·Σ̃/√((1 + 2q̃_a)·q̃_b)) with its cosine written without cancellation.
     */
    @Override
    double f(double sigma, double sine, double qa, double qb) {
      if (qb == 0 || a == 0 || b == 0) {
        return 0;
      }
      double b2 = b * b;
      double st = b2 * sine;
      return Math.abs(a) * (2 / Math.PI) * Math.atan2(Math.sqrt(2) * b2 * sigma, Math.sqrt(b2 * qb + 2 * st * st));
    }

    /** G = |a·b|·2/√(π·(1 + 2b²q_a)): sign φ' is the constant sign(a·b). */
    @Override
    double g(double sigma, double sine, double qa, double qb) {
      return Math.abs(a * b) * 2 / Math.sqrt(Math.PI * (1 + 2 * b * b * qa));
    }
  }
}
