#!/usr/bin/env python3
"""NTK of serial(dense(w, b), relu(), ..., dense(w, b)) with NumPy, as a speed reference for ntk4j.

The same closed forms as ntk4j (shared/math/kernels.md §1-2), written the fast NumPy way:
- one BLAS product X·Xᵀ (NumPy calls syrk for a @ a.T), whose result array then holds the kernel,
  so that no second n×n array is allocated;
- the per-entry chain on cache-sized tiles (128×512 by default) of the upper triangle, with in-place
  ufuncs on preallocated per-thread buffers, on two threads (ufuncs release the GIL); 1/d is folded
  into the first layer instead of a pass over the whole Gram matrix;
- each tile mirrored below the diagonal as soon as it is done (blocks below the diagonal are never
  read), and the diagonal set from the exact per-point recursion (on the diagonal the chain's
  √(q1q2 − Σ²) is the square root of a rounding error, about 1e-8 relative).

    python3 kernels-examples/bench/ntk_numpy.py X.npy OUT.npy [--depth 3] [--w 1.5] [--b 0.05]
        [--threads 2] [--rows 128] [--cols 512]

Prints the wall time of each phase. Time the interpreter itself, not a launcher in front of it: a
pyenv shim (`python3` on PATH under pyenv) runs about 20 bash processes first and added 70-110 ms
to each run on the 2-core machine of docs/performance.md; `$(pyenv which python3)` names the real
one. Compare with
    java -jar kernels-examples/target/ntk4j.jar kernel --arch 'serial(dense(1.5,0.05),relu(),...)' \\
         --x1 X.npy --get ntk --out K.npy
"""
import argparse
import threading
import time
from concurrent.futures import ThreadPoolExecutor

import numpy as np


def chain_tile(g, q_rows, q_cols, depth, w2, b2, inv_d, buf):
    """NTK of one tile from its block g of X·Xᵀ (not yet divided by d); returns a view into buf."""
    r, c = g.shape
    sigma, theta, s, ang, u = (b[:r * c].reshape(r, c) for b in buf)
    q1 = q_rows[:, None] * inv_d
    q2 = q_cols[None, :] * inv_d
    # first dense layer, with 1/d folded in: Σ' = w²·g/d + b², Θ' = Σ'
    np.multiply(g, w2 * inv_d, out=sigma)
    sigma += b2
    np.copyto(theta, sigma)
    for layer in range(depth):
        if layer > 0:
            # dense: Σ' = w²Σ + b², Θ' = Σ' + w²Θ
            sigma *= w2
            sigma += b2
            theta *= w2
            theta += sigma
        q1 = w2 * q1 + b2
        q2 = w2 * q2 + b2
        # relu: s = √max(q1q2 − Σ², 0), θ = atan2(s, Σ), T = (s + (π−θ)Σ)/(2π), Θ·(π−θ)/(2π)
        np.multiply(sigma, sigma, out=s)
        np.multiply(q1, q2, out=u)
        np.subtract(u, s, out=s)
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
    return theta


def diagonal(q, depth, w2, b2):
    """The NTK on the diagonal: Σ = q1 = q2, so s = 0, θ = 0, T = q/2 and Ṫ = 1/2 at every ReLU."""
    sigma = w2 * q + b2
    theta = sigma.copy()
    for layer in range(depth):
        if layer > 0:
            sigma = w2 * sigma + b2
            theta = w2 * theta + sigma
        sigma = sigma / 2
        theta = theta / 2
    sigma = w2 * sigma + b2
    return w2 * theta + sigma


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("x")
    ap.add_argument("out")
    ap.add_argument("--depth", type=int, default=3)
    ap.add_argument("--w", type=float, default=1.5)
    ap.add_argument("--b", type=float, default=0.05)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--rows", type=int, default=128, help="tile height")
    ap.add_argument("--cols", type=int, default=512, help="tile width")
    a = ap.parse_args()
    t0 = time.perf_counter()
    x = np.load(a.x)
    n, d = x.shape
    t1 = time.perf_counter()
    g = x @ x.T  # syrk; overwritten tile by tile with the kernel
    q = np.diagonal(g).copy()
    t2 = time.perf_counter()
    w2, b2 = a.w * a.w, a.b * a.b
    tiles = [(i0, j0) for i0 in range(0, n, a.rows) for j0 in range(i0, n, a.cols)]
    local = threading.local()

    def work(tile):
        i0, j0 = tile
        i1, j1 = min(n, i0 + a.rows), min(n, j0 + a.cols)
        if not hasattr(local, "buf"):
            local.buf = [np.empty(a.rows * a.cols) for _ in range(5)]
        g[i0:i1, j0:j1] = chain_tile(g[i0:i1, j0:j1], q[i0:i1], q[j0:j1], a.depth, w2, b2, 1.0 / d, local.buf)
        # the mirror of the part right of the diagonal block (no tile reads below the diagonal)
        lo = max(j0, i1)
        if lo < j1:
            g[lo:j1, i0:i1] = g[i0:i1, lo:j1].T
        if j0 < i1:  # this tile holds the diagonal block: mirror its upper triangle
            m = min(i1, j1)
            block = g[i0:m, i0:m]
            lower = np.tril_indices(m - i0, -1)
            block[lower] = block.T[lower]

    with ThreadPoolExecutor(a.threads) as pool:
        list(pool.map(work, tiles))
    np.fill_diagonal(g, diagonal(q / d, a.depth, w2, b2))
    t3 = time.perf_counter()
    np.save(a.out, g)
    t4 = time.perf_counter()
    print(f"load {t1 - t0:.3f} s, gram {t2 - t1:.3f} s, chain {t3 - t2:.3f} s, save {t4 - t3:.3f} s, "
          f"total {t4 - t0:.3f} s (n={n}, d={d}, depth={a.depth})")


if __name__ == "__main__":
    main()
