#!/usr/bin/env python3
"""NTK of serial(dense(w, b), relu(), ..., dense(w, b)) with NumPy, as a speed reference for ntk4j.

The same closed forms as ntk4j (shared/math/kernels.md §1-2), written the fast NumPy way:
one BLAS product X·Xᵀ (NumPy calls syrk for a @ a.T), then the per-entry chain on row blocks with
in-place ufuncs, on two threads (ufuncs release the GIL), upper-triangle blocks only, mirrored.

    python3 kernels-examples/bench/ntk_numpy.py X.npy OUT.npy [--depth 3] [--w 1.5] [--b 0.05] [--threads 2]

Prints the wall time of each phase. Compare with
    java -jar kernels-examples/target/ntk4j.jar kernel --arch 'serial(dense(1.5,0.05),relu(),...)' \
         --x1 X.npy --get ntk --out K.npy
"""
import argparse
import time
from concurrent.futures import ThreadPoolExecutor

import numpy as np


def chain_block(g, q_rows, q_cols, depth, w2, b2, out):
    """NTK of one block of rows, in place in `out` (g: the block of X·Xᵀ/d)."""
    sigma = g
    theta = np.zeros_like(sigma)
    q1 = q_rows[:, None].copy()
    q2 = q_cols[None, :].copy()
    s = np.empty_like(sigma)
    ang = np.empty_like(sigma)
    for _ in range(depth):
        # dense: Σ' = w²Σ + b², Θ' = Σ' + w²Θ
        sigma *= w2
        sigma += b2
        theta *= w2
        theta += sigma
        q1 = w2 * q1 + b2
        q2 = w2 * q2 + b2
        # relu: s = √max(q1q2 − Σ², 0), θ = atan2(s, Σ), T = (s + (π−θ)Σ)/(2π), Θ·(π−θ)/(2π)
        np.multiply(sigma, sigma, out=s)
        np.subtract(q1 * q2, s, out=s)
        np.maximum(s, 0, out=s)
        np.sqrt(s, out=s)
        np.arctan2(s, sigma, out=ang)
        np.subtract(np.pi, ang, out=ang)
        ang *= 1 / (2 * np.pi)
        theta *= ang
        sigma *= ang
        s *= 1 / (2 * np.pi)
        sigma += s
        q1 = q1 / 2
        q2 = q2 / 2
    sigma *= w2
    sigma += b2
    theta *= w2
    theta += sigma
    out[...] = theta


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("x")
    ap.add_argument("out")
    ap.add_argument("--depth", type=int, default=3)
    ap.add_argument("--w", type=float, default=1.5)
    ap.add_argument("--b", type=float, default=0.05)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--block", type=int, default=256)
    a = ap.parse_args()
    t0 = time.perf_counter()
    x = np.load(a.x)
    n, d = x.shape
    t1 = time.perf_counter()
    g = x @ x.T
    g /= d
    q = np.diagonal(g).copy()
    t2 = time.perf_counter()
    k = np.empty((n, n))
    w2, b2 = a.w * a.w, a.b * a.b

    def work(i0):
        i1 = min(n, i0 + a.block)
        # upper-triangle blocks: columns from i0 on; the mirror fills the rest
        chain_block(g[i0:i1, i0:].copy(), q[i0:i1], q[i0:], a.depth, w2, b2, k[i0:i1, i0:])

    with ThreadPoolExecutor(a.threads) as pool:
        list(pool.map(work, range(0, n, a.block)))
    iu = np.tril_indices(n, -1)
    k[iu] = k.T[iu]
    t3 = time.perf_counter()
    np.save(a.out, k)
    t4 = time.perf_counter()
    print(f"load {t1 - t0:.3f} s, gram {t2 - t1:.3f} s, chain {t3 - t2:.3f} s, save {t4 - t3:.3f} s, "
          f"total {t4 - t0:.3f} s (n={n}, d={d}, depth={a.depth})")


if __name__ == "__main__":
    main()
