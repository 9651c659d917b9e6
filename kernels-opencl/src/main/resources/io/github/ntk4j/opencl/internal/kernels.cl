/*
 * ntk4j: the fused NNGP/NTK kernel of one output tile (shared/DESIGN.md §1, shared/math/kernels.md).
 *
 * One work-item computes a TR×TC block of the tile in two steps:
 *   1. the input Gram entries g = a_r·b_c of its block, accumulated in registers over k
 *      (register blocking: TR + TC loads feed TR·TC fused multiply-adds);
 *   2. for each entry of the block, the per-entry chain of the architecture, stage by stage,
 *      carrying the NNGP Σ, its sine s = √(q1·q2 − Σ²) and the NTK Θ.
 *
 * It is the same sequence of formulas as the CPU backend (io.github.ntk4j.internal.Chain), so that
 * the two agree to rounding. Stages arrive as data: kind[l] and four parameters p[4l..4l+3].
 *
 * Built with -D NTK4J_FP64 (double precision, needs cl_khr_fp64) or without it (single precision,
 * with -cl-single-precision-constant), and -D TR=.. -D TC=.. for the block shape.
 */
#ifdef NTK4J_FP64
#pragma OPENCL EXTENSION cl_khr_fp64 : enable
typedef double real;
/* q1·q2 in [MIN_PRODUCT, MAX_PRODUCT] needs no scaling before the determinant. */
#define MIN_PRODUCT 0x1p-900
#define MAX_PRODUCT 0x1p900
/* Below s = COLLINEAR·√(q1·q2) the input sine is recomputed from the rows. */
#define COLLINEAR 1e-3
#define HUGE_VARIANCE 0x1p500
#else
typedef float real;
#define MIN_PRODUCT 0x1p-60
#define MAX_PRODUCT 0x1p60
#define COLLINEAR 3e-2
#define HUGE_VARIANCE 0x1p30
#endif

/* No contraction of a·b + c into fma: results must follow the CPU backend's roundings. */
#pragma OPENCL FP_CONTRACT OFF

#define TWO_PI (2 * M_PI)

/* Stage kinds (io.github.ntk4j.internal.Chain.Kind, in order). */
#define DENSE 0
#define ACTIVATION 1
#define SCALE 2
#define BIAS 3
#define NORM 4
#define FORK 5
#define NEXT 6
#define JOIN 7
#define DENSE_STANDARD 8

/* Activation codes: p[4l] of an ACTIVATION stage. */
#define ACT_PIECEWISE 1 /* a·min(x, 0) + b·max(x, 0): relu, abrelu, leakyrelu, abs; p1 = a, p2 = b */
#define ACT_IDENTITY 2  /* x */
#define ACT_ERF 3       /* a·erf(b·x) + c; p1 = a, p2 = b, p3 = c */

/* Deepest nesting of parallel(...) blocks; the host refuses deeper ones. */
#define MAX_NESTING 4

/* The even exponent e with q·2^(−e) in [1, 4); 0 for q = 0. */
int even_exponent(real q) {
  if (q == 0) {
    return 0;
  }
  int e = ilogb(q);
  return e - (e & 1);
}

/* q1·q2 − Σ², compensated: exactly 0 for Σ = q1 = q2. */
real det(real q1, real q2, real sigma) {
  real ss = sigma * sigma;
  real err = fma(sigma, sigma, -ss);
  return fma(q1, q2, -ss) - err;
}

bool in_range(real p) {
  return p >= MIN_PRODUCT && p <= MAX_PRODUCT;
}

/* s = √max(q1·q2 − Σ², 0) for any magnitudes, by exact power-of-two scaling. */
real sine_of(real q1, real q2, real sigma) {
  real p = q1 * q2;
  if (in_range(p)) {
    return sqrt(max(det(q1, q2, sigma), (real) 0));
  }
  if (q1 == 0 || q2 == 0) {
    return 0;
  }
  int e1 = even_exponent(q1);
  int e2 = even_exponent(q2);
  int mid = (e1 + e2) / 2;
  real s = sqrt(max(det(ldexp(q1, -e1), ldexp(q2, -e2), ldexp(sigma, -mid)), (real) 0));
  return ldexp(s, mid);
}

/* t − atan(t) for t ≥ 0 without cancellation: the series Σ (−1)^k t^(2k+3)/(2k + 3) below 1/2. */
real tan_excess(real t) {
  if (t >= 0.5) {
    return t - atan(t);
  }
  real x = t * t;
  real sum = 0;
  for (int k = 27; k >= 0; k--) {
    sum = sum * x + ((k & 1) ? (real) -1 : (real) 1) / (real) (2 * k + 3);
  }
  return t * x * sum;
}

/*
 * s' of the pair after h' = σw·h + σb·b: s'² = σw⁴s² + σw²σb²·(q1 + q2 − 2Σ), without cancellation
 * and without overflow or underflow of the squares.
 */
real affine_sine(real s, real w2, real b2, real distance) {
  real a = w2 * s;
  if (b2 == 0) {
    return a;
  }
  real dist = max(distance, (real) 0);
  real t = a * a + w2 * b2 * dist;
  return (t < MAX_PRODUCT && (a > sqrt(MIN_PRODUCT) || a == 0)) ? sqrt(t) : hypot(a, sqrt(w2 * b2 * dist));
}

/*
 * ABReLU φ(x) = a·min(x, 0) + b·max(x, 0) (Tsuchida et al., arXiv 1711.09090), with θ = atan2(s, Σ):
 *   Ṫ = (a² + b²)/2 − (a − b)²·θ/(2π),   T = (a − b)²·s/(2π) + Ṫ·Σ.
 * Near anti-parallel pairs (θ → π) use φ = π − θ = atan(s/|Σ|) directly:
 *   Ṫ = ab + (a − b)²·φ/(2π),   T = ab·Σ + (a − b)²·|Σ|·(tan φ − φ)/(2π).
 */
void piecewise(real a, real b, real *sigma, real s, real *tdot) {
  real sig = *sigma;
  real c0 = (a * a + b * b) / 2;
  real c1 = (a - b) * (a - b);
  if (sig < 0 && s < 0.5 * -sig) {
    real ratio = s / -sig;
    *tdot = a * b + c1 * atan(ratio) / TWO_PI;
    *sigma = a * b * sig + c1 * (-sig) * tan_excess(ratio) / TWO_PI;
  } else {
    real theta = (s == 0 && sig == 0) ? M_PI / 2 : atan2(s, sig);
    *tdot = c0 - c1 * theta / TWO_PI;
    *sigma = c1 * s / TWO_PI + *tdot * sig;
  }
}

/*
 * s' = √(T(q1)·T(q2) − T(Σ)²) of the ABReLU outputs without cancellation: with r = √(q1·q2),
 * cos θ = Σ/r and J(θ) = sin θ − θ·cos θ, the determinant is r²·F1·F2 with
 * F1 = c0(1 − cos θ) − c1·J/(2π), F2 = c0(1 + cos θ) + c1·J/(2π); past θ = π/2, with φ = π − θ,
 * F1 = (a + b)²/2 − ab·(1 − cos φ) − c1·J(φ)/(2π).
 */
real piecewise_output_sine(real a, real b, real sigma, real sine) {
  real s = sine;
  real big = max(s, fabs(sigma));
  if (big == 0) {
    return 0;
  }
  int e = ilogb(big);
  s = ldexp(s, -e);
  real sg = ldexp(sigma, -e);
  real as = fabs(sg);
  real r = sqrt(s * s + sg * sg);
  real c0 = (a * a + b * b) / 2;
  real c1 = (a - b) * (a - b);
  real f1;
  real f2;
  if (sg >= 0) {
    real one_minus_cos = s * s / (r * (r + sg));
    real one_plus_cos = (r + sg) / r;
    real j = sg >= s ? (sg / r) * tan_excess(s / sg) : (s - atan2(s, sg) * sg) / r;
    f1 = c0 * one_minus_cos - c1 * j / TWO_PI;
    f2 = c0 * one_plus_cos + c1 * j / TWO_PI;
  } else {
    real phi = atan2(s, as);
    real one_minus_cos_phi = s * s / (r * (r + as));
    real j_theta = (s + (M_PI - phi) * as) / r;
    real j_phi = as >= s ? (as / r) * tan_excess(s / as) : (s - phi * as) / r;
    f1 = (a + b) * (a + b) / 2 - a * b * one_minus_cos_phi - c1 * j_phi / TWO_PI;
    f2 = c0 * one_minus_cos_phi + c1 * j_theta / TWO_PI;
  }
  return ldexp(r * sqrt(max(f1, (real) 0) * max(f2, (real) 0)), e);
}

/*
 * φ(x) = a·erf(b·x) + c (Williams 1997): with Σ̃ = b²Σ, q̃ = b²q and
 * D = 1 + 2(q̃1 + q̃2) + 4·(b²s)² (= (1 + 2q̃1)(1 + 2q̃2) − 4Σ̃², from the sine: no cancellation),
 *   T = a²·(2/π)·atan2(2Σ̃, √D) + c²,   Ṫ = a²b²·(4/π)/√D.
 */
void erf_dual(real a, real b, real c, real q1, real q2, real *sigma, real s, real *tdot) {
  real b2 = b * b;
  real qt1 = b2 * q1;
  real qt2 = b2 * q2;
  real st = b2 * *sigma;
  real bs = b2 * s;
  real root;
  real y;
  real scale = 1;
  if (qt1 <= HUGE_VARIANCE && qt2 <= HUGE_VARIANCE) {
    root = sqrt(1 + 2 * (qt1 + qt2) + 4 * (bs * bs));
    y = 2 * st;
  } else {
    int e = ilogb(max(qt1, qt2));
    real u1 = ldexp(qt1, -e);
    real u2 = ldexp(qt2, -e);
    real ut = ldexp(bs, -e);
    root = sqrt(ldexp((real) 1, -2 * e) + 2 * ldexp(u1 + u2, -e) + 4 * (ut * ut));
    y = 2 * ldexp(st, -e);
    scale = ldexp((real) 1, e);
  }
  *sigma = a * a * (2 / M_PI) * atan2(y, root) + c * c;
  *tdot = a * a * b2 * (4 / M_PI) / root / scale;
}

/*
 * acc[u][v] = a_(r0+u)·b_(c0+v), accumulated over k in registers: per group of four k, 4·(TR + TC)
 * loads feed 4·TR·TC products.
 *
 * The order of operations is the CPU backend's (io.github.ntk4j.internal.Gram.dot): groups of four,
 * acc + ((p0 + p1) + (p2 + p3)), then the rest one at a time, with no fused multiply-add. So the
 * device's Gram entries equal the host's squared norms bit for bit, a duplicated row gives a
 * correlation of exactly 1, and both backends see the same input kernel. Rows past the edge of the
 * tile read the last row; the caller does not store them.
 */
void gram_block(
    const int r0, const int c0, const int m, const int w, const int d, __global const real *a,
    __global const real *b, real acc[TR][TC]) {
  int ra[TR];
  int cb[TC];
  for (int u = 0; u < TR; u++) {
    ra[u] = min(r0 + u, m - 1) * d;
  }
  for (int v = 0; v < TC; v++) {
    cb[v] = min(c0 + v, w - 1) * d;
  }
  for (int u = 0; u < TR; u++) {
    for (int v = 0; v < TC; v++) {
      acc[u][v] = 0;
    }
  }
  const int d4 = d & ~3;
  for (int k = 0; k < d4; k += 4) {
    real x[TR][4];
    real y[TC][4];
    for (int u = 0; u < TR; u++) {
      for (int q = 0; q < 4; q++) {
        x[u][q] = a[ra[u] + k + q];
      }
    }
    for (int v = 0; v < TC; v++) {
      for (int q = 0; q < 4; q++) {
        y[v][q] = b[cb[v] + k + q];
      }
    }
    for (int u = 0; u < TR; u++) {
      for (int v = 0; v < TC; v++) {
        acc[u][v] = acc[u][v] + ((x[u][0] * y[v][0] + x[u][1] * y[v][1]) + (x[u][2] * y[v][2] + x[u][3] * y[v][3]));
      }
    }
  }
  for (int k = d4; k < d; k++) {
    for (int u = 0; u < TR; u++) {
      for (int v = 0; v < TC; v++) {
        acc[u][v] = acc[u][v] + a[ra[u] + k] * b[cb[v] + k];
      }
    }
  }
}

/*
 * Computes the tile [i0, i0 + m) × [j0, j0 + w) of the NNGP and the NTK.
 *
 * a, b       the scaled rows of the tile's points, m×d and w×d (each row scaled by a power of two)
 * fa, fb     the powers of two that undo that scaling
 * na, nb     the squared norms of the scaled rows
 * va, vb     the variances entering each stage, (depth + 1)×m and (depth + 1)×w, stage-major
 * kind, p    the stages
 * nngp, ntk  outputs, m×w row-major
 * upper      1 on a diagonal tile of a symmetric kernel: only entries with column > row are needed
 */
__kernel void tile(
    const int m, const int w, const int d, const int depth,
    __global const real *a, __global const real *b,
    __global const real *fa, __global const real *fb,
    __global const real *na, __global const real *nb,
    __global const real *va, __global const real *vb,
    __constant int *kind, __constant real *p,
    __global real *nngp, __global real *ntk, const int upper) {
  const int r0 = get_global_id(0) * TR;
  const int c0 = get_global_id(1) * TC;
  /* On a diagonal tile of K(X, X) (upper = 1) blocks wholly below the diagonal are not needed. */
  if (r0 >= m || c0 >= w || (upper && r0 >= c0 + TC)) {
    return;
  }
  real acc[TR][TC];
  gram_block(r0, c0, m, w, d, a, b, acc);

  for (int u = 0; u < TR; u++) {
    const int r = r0 + u;
    if (r >= m) {
      break;
    }
    for (int v = 0; v < TC; v++) {
      const int c = c0 + v;
      if (c >= w) {
        break;
      }
      const real g = acc[u][v];
      real q1 = va[r];
      real q2 = vb[c];
      real sigma = g / d * fa[r] * fb[c];
      real sine = d == 1 ? 0 : sine_of(q1, q2, sigma);
      /*
       * Near-collinear pairs lose digits of s to cancellation; there s is recomputed from the rows
       * as |x|·|y − (x·y/|x|²)·x|/d, which is exactly 0 for duplicated and negated rows.
       */
      if (d > 1 && sine <= COLLINEAR * sqrt(q1) * sqrt(q2) && !(sine == 0 && sigma == 0)) {
        real xx = na[r];
        if (xx == 0) {
          sine = 0;
        } else {
          real alpha = g / xx;
          real rr = 0;
          for (int k = 0; k < d; k++) {
            real res = fma(-alpha, a[r * d + k], b[c * d + k]);
            rr += res * res;
          }
          sine = sqrt(xx) * sqrt(rr) / d * fa[r] * fb[c];
        }
      }

      real theta = 0;
      /* Per nesting depth of parallel blocks: Σ, s, Θ of the fork's input, and the sums of Σ, Θ. */
      real saved[MAX_NESTING][5];
      int nest = -1;
      for (int l = 0; l < depth; l++) {
        const int st = kind[l];
        q1 = va[l * m + r];
        q2 = vb[l * w + c];
        if (st == FORK) {
          nest++;
          saved[nest][0] = sigma;
          saved[nest][1] = sine;
          saved[nest][2] = theta;
          saved[nest][3] = 0;
          saved[nest][4] = 0;
        } else if (st == NEXT) {
          saved[nest][3] += sigma;
          saved[nest][4] += theta;
          sigma = saved[nest][0];
          sine = saved[nest][1];
          theta = saved[nest][2];
        } else if (st == JOIN) {
          const bool sum = p[4 * l] != 0;
          const real scale = 1 / p[4 * l + 1];
          sigma = sum ? saved[nest][3] + sigma : (saved[nest][3] + sigma) * scale;
          theta = sum ? saved[nest][4] + theta : (saved[nest][4] + theta) * scale;
          sine = sine_of(va[(l + 1) * m + r], vb[(l + 1) * w + c], sigma);
          nest--;
        } else if (st == SCALE) {
          const real c2 = p[4 * l];
          sigma *= c2;
          sine *= c2;
          theta *= c2;
        } else if (st == BIAS) {
          const real b2 = p[4 * l + 1];
          sine = affine_sine(sine, 1, b2, q1 + q2 - 2 * sigma);
          sigma += b2;
          theta += b2;
        } else if (st == NORM) {
          const real rt = sqrt(q1) * sqrt(q2);
          sigma /= rt;
          sine /= rt;
          theta /= rt;
        } else if (st == DENSE || st == DENSE_STANDARD) {
          /* NTK parameterization: Σ' = σw²Σ + σb², Θ' = Σ' + σw²Θ; standard: Θ' = N·Σ + σw²Θ + β. */
          const real w2 = p[4 * l];
          const real b2 = p[4 * l + 1];
          sine = affine_sine(sine, w2, b2, q1 + q2 - 2 * sigma);
          const real out = w2 * sigma + b2;
          theta = st == DENSE ? out + w2 * theta : p[4 * l + 2] * sigma + w2 * theta + p[4 * l + 3];
          sigma = out;
        } else {
          const int act = (int) p[4 * l];
          const real sigma_in = sigma;
          const real sine_in = sine;
          real tdot = 1; /* identity: T = Σ, Ṫ = 1 */
          if (act == ACT_IDENTITY) {
          } else if (act == ACT_PIECEWISE) {
            piecewise(p[4 * l + 1], p[4 * l + 2], &sigma, sine, &tdot);
          } else {
            erf_dual(p[4 * l + 1], p[4 * l + 2], p[4 * l + 3], q1, q2, &sigma, sine, &tdot);
          }
          theta *= tdot;
          /* The output pair's sine; where its determinant has lost digits, the activation's own form. */
          const real t1 = va[(l + 1) * m + r];
          const real t2 = vb[(l + 1) * w + c];
          real out = sine_of(t1, t2, sigma);
          const real pr = t1 * t2;
          if (out * out < 1e-6 * pr || !in_range(pr)) {
            out = act == ACT_PIECEWISE ? piecewise_output_sine(p[4 * l + 1], p[4 * l + 2], sigma_in, sine_in)
                : act == ACT_IDENTITY ? sine_in : sine_of(t1, t2, sigma);
          }
          sine = out;
        }
      }
      nngp[r * w + c] = sigma;
      ntk[r * w + c] = theta;
    }
  }
}

/*
 * The input Gram block g[r·w + c] = a_r·b_c alone, for architectures whose chain runs on the host
 * (layers without a device form): same register blocking as tile().
 */
__kernel void gram(
    const int m, const int w, const int d, __global const real *a, __global const real *b, __global real *g) {
  const int r0 = get_global_id(0) * TR;
  const int c0 = get_global_id(1) * TC;
  if (r0 >= m || c0 >= w) {
    return;
  }
  real acc[TR][TC];
  gram_block(r0, c0, m, w, d, a, b, acc);
  for (int u = 0; u < TR && r0 + u < m; u++) {
    for (int v = 0; v < TC && c0 + v < w; v++) {
      g[(r0 + u) * w + c0 + v] = acc[u][v];
    }
  }
}
