package io.github.ntk4j.opencl.internal;

import io.github.ntk4j.NumericalException;
import io.github.ntk4j.internal.Chain;
import io.github.ntk4j.internal.CpuEngine;
import io.github.ntk4j.internal.ScaledRows;
import java.util.concurrent.CancellationException;
import org.jocl.CL;
import org.jocl.cl_kernel;
import org.jocl.cl_mem;

/**
 * The fused device path: for each output tile, one launch of {@code tile} in kernels.cl computes the
 * Gram block and the whole chain; the host uploads the tile's rows, reads the NNGP and NTK blocks
 * back and places them. For K(X, X) only tiles on and above the diagonal are computed and mirrored,
 * and the diagonal comes from the exact per-point chain, as on the CPU.
 */
final class TileRunner {
  /** The kernels, row-major n1×n2; null when not requested. */
  record Result(double[] nngp, double[] ntk) {}

  private TileRunner() {}

  /**
   * Computes the kernels of {@code chain} on the device.
   *
   * @param s2 the second set, or null for the first again (symmetric)
   * @param maxTile the largest tile edge
   * @throws NumericalException when an entry is not finite
   * @throws CancellationException when the calling thread is interrupted (its flag stays set)
   */
  static Result run(
      DeviceContext ctx, Chain chain, StageCode code, ScaledRows s1, ScaledRows s2, int d, boolean fp64,
      boolean wantNngp, boolean wantNtk, int maxTile, CpuEngine.Progress progress) {
    boolean symmetric = s2 == null;
    int n1 = s1.count();
    int n2 = symmetric ? n1 : s2.count();
    long size = (long) n1 * n2;
    // The results, and one tile of each kind read back.
    CpuEngine.requireResultArrays(n1, n2, (wantNngp ? 1 : 0) + (wantNtk ? 1 : 0), 8L * Math.min(size, 1L << 24));
    double[] nngp = wantNngp ? new double[(int) size] : null;
    double[] ntk = wantNtk ? new double[(int) size] : null;
    double[][] v1 = chain.variances(s1.variances());
    tiles(ctx, chain, code, s1, v1, s2, d, fp64, wantNngp, wantNtk, maxTile, progress,
        (i0, m, j0, w, diagonalTile, sigma, theta) -> {
          if (wantNngp) {
            place(sigma, nngp, i0, m, j0, w, n2, diagonalTile, symmetric);
          }
          if (wantNtk) {
            place(theta, ntk, i0, m, j0, w, n2, diagonalTile, symmetric);
          }
        });
    if (symmetric) {
      double[] diagNngp = wantNngp ? diagonal(chain, v1, false, fp64) : null;
      double[] diagNtk = wantNtk ? diagonal(chain, v1, true, fp64) : null;
      for (int i = 0; i < n1; i++) {
        if (wantNngp) {
          nngp[i * n1 + i] = diagNngp[i];
        }
        if (wantNtk) {
          ntk[i * n1 + i] = diagNtk[i];
        }
      }
    }
    requireFinite(nngp, n2, fp64);
    requireFinite(ntk, n2, fp64);
    return new Result(nngp, ntk);
  }

  /**
   * Computes one kernel of {@code chain} on the device and hands each tile to {@code sink} as it is
   * read back, holding no n1×n2 result: the streamed route of {@code Kernels.writeNpy}. A diagonal
   * tile of a symmetric kernel carries the exact per-point diagonal, as {@link #run} places it, so
   * the values are those of {@link #run} bit for bit.
   *
   * @throws NumericalException when an entry is not finite (before its tile reaches the sink)
   * @throws CancellationException when the calling thread is interrupted (its flag stays set)
   */
  static void stream(
      DeviceContext ctx, Chain chain, StageCode code, ScaledRows s1, ScaledRows s2, int d, boolean fp64, boolean ntk,
      int maxTile, CpuEngine.Progress progress, CpuEngine.TileSink sink) {
    double[][] v1 = chain.variances(s1.variances());
    double[] diagonal = s2 == null ? diagonal(chain, v1, ntk, fp64) : null;
    tiles(ctx, chain, code, s1, v1, s2, d, fp64, !ntk, ntk, maxTile, progress, (i0, m, j0, w, diagonalTile, sigma, theta) -> {
      double[] values = ntk ? theta : sigma;
      for (int r = 0; r < m; r++) {
        int from = diagonalTile ? r : 0;
        if (diagonalTile && r < w) {
          values[r * w + r] = diagonal[i0 + r];
        }
        for (int c = from; c < w; c++) {
          if (!Double.isFinite(values[r * w + c])) {
            throw CpuEngine.notFinite("kernel", "[" + (i0 + r) + "][" + (j0 + c) + "]", !fp64);
          }
        }
      }
      sink.tile(i0, m, j0, w, values, diagonalTile);
    });
  }

  /** The exact per-point diagonal of a symmetric kernel (NTK or NNGP), rounded to float32 without fp64. */
  private static double[] diagonal(Chain chain, double[][] v1, boolean ntk, boolean fp64) {
    double[] diag = ntk ? chain.ntkDiagonal(v1) : v1[chain.depth()].clone();
    if (!fp64) {
      for (int i = 0; i < diag.length; i++) {
        diag[i] = (float) diag[i];
      }
    }
    return diag;
  }

  /** Where each tile read back goes: (i0, m, j0, w), whether it is on the diagonal, its NNGP and NTK blocks. */
  private interface TileTarget {
    void tile(int i0, int m, int j0, int w, boolean diagonalTile, double[] sigma, double[] theta);
  }

  /**
   * Launches every tile (on and above the diagonal for K(X, X)), reads the wanted blocks back and
   * gives them to {@code target}; v1 holds the per-stage variances of the first set.
   */
  private static void tiles(
      DeviceContext ctx, Chain chain, StageCode code, ScaledRows s1, double[][] v1, ScaledRows s2, int d, boolean fp64,
      boolean wantNngp, boolean wantNtk, int maxTile, CpuEngine.Progress progress, TileTarget target) {
    boolean symmetric = s2 == null;
    ScaledRows b = symmetric ? s1 : s2;
    int n1 = s1.count();
    int n2 = b.count();
    int depth = chain.depth();
    double[][] v2 = symmetric ? v1 : chain.variances(b.variances());
    int t = TileSize.fit(ctx, maxTile, d, depth, fp64);
    DeviceContext.Compiled program = ctx.program(fp64);
    cl_kernel k = program.tile;
    long total = symmetric ? (long) n1 * (n1 + 1) / 2 : (long) n1 * n2;
    long completed = 0;
    try (DeviceBuffers buf = new DeviceBuffers(ctx, fp64)) {
      Block a = new Block(buf, t, d, depth, "x1");
      Block bb = new Block(buf, t, d, depth, "x2");
      cl_mem kinds = buf.ints(code.kinds(), "stage kinds");
      cl_mem params = buf.reals(code.params().length, "stage parameters");
      buf.write(params, code.params(), 0, code.params().length, "stage parameters");
      cl_mem outSigma = buf.reals((long) t * t, "NNGP tile");
      cl_mem outTheta = buf.reals((long) t * t, "NTK tile");
      buf.arg(k, 2, d);
      buf.arg(k, 3, depth);
      a.bind(k, 4, 6, 8, 10);
      bb.bind(k, 5, 7, 9, 11);
      buf.arg(k, 12, kinds);
      buf.arg(k, 13, params);
      buf.arg(k, 14, outSigma);
      buf.arg(k, 15, outTheta);
      double[] hostSigma = wantNngp ? new double[t * t] : null;
      double[] hostTheta = wantNtk ? new double[t * t] : null;
      int tiles1 = (n1 + t - 1) / t;
      int tiles2 = (n2 + t - 1) / t;
      for (int ti = 0; ti < tiles1; ti++) {
        int i0 = ti * t;
        int m = Math.min(n1, i0 + t) - i0;
        a.load(s1, v1, i0, m);
        for (int tj = symmetric ? ti : 0; tj < tiles2; tj++) {
          int j0 = tj * t;
          int w = Math.min(n2, j0 + t) - j0;
          bb.load(b, v2, j0, w);
          buf.arg(k, 0, m);
          buf.arg(k, 1, w);
          boolean diagonalTile = symmetric && ti == tj;
          buf.arg(k, 16, diagonalTile ? 1 : 0);
          Launch.run(ctx, k, m, w);
          if (wantNngp) {
            buf.read(outSigma, hostSigma, m * w, "NNGP tile");
          }
          if (wantNtk) {
            buf.read(outTheta, hostTheta, m * w, "NTK tile");
          }
          target.tile(i0, m, j0, w, diagonalTile, hostSigma, hostTheta);
          completed += diagonalTile ? (long) m * (m + 1) / 2 : (long) m * w;
          progress.report(completed, total);
          if (Thread.currentThread().isInterrupted()) {
            throw new CancellationException("kernel computation cancelled: the calling thread was interrupted");
          }
        }
      }
    }
  }

  /**
   * Copies an m×w tile to the result at (i0, j0); on a diagonal tile of a symmetric kernel only the
   * entries above the diagonal, and in a symmetric kernel each also to its mirror.
   */
  private static void place(
      double[] tile, double[] out, int i0, int m, int j0, int w, int n2, boolean diagonalTile, boolean symmetric) {
    for (int r = 0; r < m; r++) {
      int i = i0 + r;
      int from = diagonalTile ? r + 1 : 0;
      if (from < w) {
        System.arraycopy(tile, r * w + from, out, i * n2 + j0 + from, w - from);
      }
      if (symmetric) {
        for (int c = from; c < w; c++) {
          out[(j0 + c) * n2 + i] = tile[r * w + c];
        }
      }
    }
  }

  private static void requireFinite(double[] k, int n2, boolean fp64) {
    if (k == null) {
      return;
    }
    for (int e = 0; e < k.length; e++) {
      if (!Double.isFinite(k[e])) {
        throw CpuEngine.notFinite("kernel", "[" + e / n2 + "][" + e % n2 + "]", !fp64);
      }
    }
  }

  /** The device buffers of one side of a tile: rows, factors, norms and per-stage variances. */
  private static final class Block {
    final DeviceBuffers buf;
    final int d;
    final int depth;
    final String name;
    final cl_mem rows;
    final cl_mem factors;
    final cl_mem norms;
    final cl_mem variances;
    final double[] staged;
    int loadedStart = -1;
    int loadedCount = -1;

    Block(DeviceBuffers buf, int t, int d, int depth, String name) {
      this.buf = buf;
      this.d = d;
      this.depth = depth;
      this.name = name;
      rows = buf.reals((long) t * d, name + " rows");
      factors = buf.reals(t, name + " factors");
      norms = buf.reals(t, name + " norms");
      variances = buf.reals((long) (depth + 1) * t, name + " variances");
      staged = new double[(depth + 1) * t];
    }

    void bind(cl_kernel k, int rowsArg, int factorsArg, int normsArg, int variancesArg) {
      buf.arg(k, rowsArg, rows);
      buf.arg(k, factorsArg, factors);
      buf.arg(k, normsArg, norms);
      buf.arg(k, variancesArg, variances);
    }

    /** Uploads points [start, start + count) unless they are already there. */
    void load(ScaledRows s, double[][] v, int start, int count) {
      if (start == loadedStart && count == loadedCount) {
        return;
      }
      buf.write(rows, s.rows(), start * d, count * d, name + " rows");
      buf.write(factors, s.factors(), start, count, name + " factors");
      buf.write(norms, s.squaredNorms(), start, count, name + " norms");
      for (int l = 0; l <= depth; l++) {
        System.arraycopy(v[l], start, staged, l * count, count);
      }
      buf.write(variances, staged, 0, (depth + 1) * count, name + " variances");
      loadedStart = start;
      loadedCount = count;
    }
  }
}
