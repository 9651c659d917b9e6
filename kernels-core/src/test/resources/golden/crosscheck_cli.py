#!/usr/bin/env python3
"""Drives the ntk4j command line over random architectures, awkward inputs and file formats, and
compares every entry with the 400-digit reference of generate_golden.py.

Run from the repository root after `mvn -B -ntp -DskipTests package` (needs numpy and mpmath):

    python3 kernels-core/src/test/resources/golden/crosscheck_cli.py [cases] [seed]

Prints the worst relative error per case and overall; exits 1 if any exceeds 1e-10.
"""
import os
import random
import subprocess
import sys
import tempfile

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import generate_golden as g  # noqa: E402

JAR = "kernels-examples/target/ntk4j.jar"


def random_arch(r):
    layers = [g.dense_ntk(round(r.uniform(0.3, 2.0), 3), r.choice([0.0, round(r.uniform(0, 0.8), 3)]))]
    for _ in range(r.randint(1, 4)):
        if r.random() < 0.85:
            layers.append(r.choice([
                lambda: g.relu(),
                lambda: g.abrelu(round(r.uniform(-1.5, 1.5), 3), round(r.uniform(-1.5, 1.5), 3)),
                lambda: g.erf(),
                lambda: g.erf(round(r.uniform(0.2, 2), 3), round(r.uniform(0.1, 2), 3), round(r.uniform(-1, 1), 3)),
            ])())
        layers.append(g.dense_ntk(round(r.uniform(0.3, 2.0), 3), r.choice([0.0, round(r.uniform(0, 0.8), 3)])))
    if r.random() < 0.25:
        layers.append(r.choice([g.relu(), g.erf(), g.abrelu(-0.3, 1.1)]))
    return layers


def random_inputs(r, n, d):
    x = []
    for i in range(n):
        kind = r.randrange(9) if i >= 1 else 0
        if kind == 1:
            x.append([0.0] * d)
        elif kind == 2:
            x.append(list(x[r.randrange(i)]))
        elif kind == 3:
            x.append([-v for v in x[r.randrange(i)]])
        elif kind == 4:
            c = r.uniform(0.1, 5)
            x.append([c * v for v in x[r.randrange(i)]])
        elif kind == 5:
            x.append([v * 1e-120 for v in [r.gauss(0, 1) for _ in range(d)]])
        elif kind == 6:
            x.append([v * 1e120 for v in [r.gauss(0, 1) for _ in range(d)]])
        else:
            s = 10 ** r.uniform(-2, 2)
            x.append([s * r.gauss(0, 1) for _ in range(d)])
    return x


def write(path, x, fmt):
    a = np.array(x, dtype=np.float64)
    if fmt == "csv":
        with open(path, "w") as f:
            for row in x:
                f.write(",".join(repr(v) for v in row) + "\n")
        return a
    if fmt == "f4" and np.all((np.abs(a) < 1e30) & ((np.abs(a) > 1e-30) | (a == 0))):
        a = a.astype(np.float32)
    if fmt == "fortran":
        a = np.asfortranarray(a)
    if fmt == "1d" and a.shape[1] == 1:
        a = a[:, 0]
    np.save(path, a)
    return np.array(np.load(path), dtype=np.float64).reshape(len(x), -1)


def fmt_arch(layers):
    return "serial(" + ", ".join(g.fmt_layer(l) for l in layers) + ")"


def main():
    cases = int(sys.argv[1]) if len(sys.argv) > 1 else 60
    r = random.Random(int(sys.argv[2]) if len(sys.argv) > 2 else 1)
    worst_all = 0.0
    with tempfile.TemporaryDirectory() as tmp:
        for case in range(cases):
            arch = random_arch(r)
            d = r.choice([1, 1, 2, 3, 5])
            n1 = r.randint(1, 6)
            x1 = random_inputs(r, n1, d)
            x2 = random_inputs(r, r.randint(1, 5), d) if r.random() < 0.5 else None
            fmts = ["csv", "npy", "f4", "fortran", "1d"]
            f1 = r.choice(fmts)
            p1 = os.path.join(tmp, "x1." + ("csv" if f1 == "csv" else "npy"))
            a1 = write(p1, x1, f1)
            args = ["--x1", p1]
            a2 = None
            if x2 is not None:
                f2 = r.choice(fmts)
                p2 = os.path.join(tmp, "x2." + ("csv" if f2 == "csv" else "npy"))
                a2 = write(p2, x2, f2)
                args += ["--x2", p2]
            try:
                ref_n, ref_t = g.kernels(arch, a1.tolist(), (a1 if a2 is None else a2).tolist())
            except (ZeroDivisionError, ValueError) as e:
                print("case %d: reference failed (%s), skipped" % (case, e))
                continue
            worst = 0.0
            for get, ref in (("nngp", ref_n), ("ntk", ref_t)):
                out = os.path.join(tmp, "k.npy")
                res = subprocess.run(["java", "-jar", JAR, "kernel", "--arch", fmt_arch(arch), "--get", get,
                                      "--out", out] + args, capture_output=True, text=True)
                if res.returncode != 0:
                    print("case %d %s: exit %d: %s" % (case, get, res.returncode, res.stderr.strip()))
                    worst = float("inf")
                    continue
                k = np.load(out)
                e = np.array([[float(v) for v in row] for row in ref])
                scale = np.abs(e).max()
                err = np.abs(k - e) / (np.abs(e) + 1e-14 * scale + 1e-300)
                worst = max(worst, float(err.max()))
            worst_all = max(worst_all, worst)
            print("case %3d  worst %.1e  d=%d n1=%d n2=%s  %s" % (case, worst, d, n1, "-" if x2 is None else len(x2), fmt_arch(arch)))
    print("overall worst relative error %.2e" % worst_all)
    sys.exit(0 if worst_all <= 1e-10 else 1)


if __name__ == "__main__":
    main()
