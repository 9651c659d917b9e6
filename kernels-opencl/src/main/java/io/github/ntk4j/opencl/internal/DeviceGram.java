package io.github.ntk4j.opencl.internal;

import io.github.ntk4j.internal.CpuEngine;
import io.github.ntk4j.internal.ScaledRows;
import org.jocl.cl_kernel;
import org.jocl.cl_mem;

/**
 * The Gram blocks of the CPU engine computed on the device, for architectures with a layer that
 * has no device form: the engine's worker threads ask for blocks here (one at a time: the device
 * has one queue) and run the chain themselves.
 */
final class DeviceGram implements CpuEngine.GramSource {
  private final DeviceContext ctx;
  private final int tile;

  /**
   * @param tile the engine's tile edge (the largest block asked for)
   */
  DeviceGram(DeviceContext ctx, int tile) {
    this.ctx = ctx;
    this.tile = tile;
  }

  @Override
  public CpuEngine.GramTiles open(ScaledRows a, ScaledRows b, boolean float32) {
    return new Tiles(a, b, !float32);
  }

  private final class Tiles implements CpuEngine.GramTiles {
    private final ScaledRows a;
    private final ScaledRows b;
    private final int d;
    private final DeviceBuffers buf;
    private final cl_kernel k;
    private final cl_mem rowsA;
    private final cl_mem rowsB;
    private final cl_mem out;
    private int loadedA = -1;
    private int loadedB = -1;
    private int loadedWidth = -1;

    Tiles(ScaledRows a, ScaledRows b, boolean fp64) {
      this.a = a;
      this.b = b;
      this.d = a.rows().length / Math.max(1, a.count());
      buf = new DeviceBuffers(ctx, fp64);
      try {
        k = ctx.program(fp64).gram;
        rowsA = buf.reals((long) tile * d, "x1 rows");
        rowsB = buf.reals((long) tile * d, "x2 rows");
        out = buf.reals((long) tile * tile, "Gram tile");
      } catch (RuntimeException e) {
        buf.close();
        throw e;
      }
    }

    @Override
    public synchronized void tile(int i0, int i1, int j0, int w, double[] g, float[] gf) {
      int m = i1 - i0;
      if (loadedA != i0) {
        buf.write(rowsA, a.rows(), i0 * d, Math.min(tile, a.count() - i0) * d, "x1 rows");
        loadedA = i0;
      }
      if (loadedB != j0 || loadedWidth != w) {
        buf.write(rowsB, b.rows(), j0 * d, w * d, "x2 rows");
        loadedB = j0;
        loadedWidth = w;
      }
      buf.arg(k, 0, m);
      buf.arg(k, 1, w);
      buf.arg(k, 2, d);
      buf.arg(k, 3, rowsA);
      buf.arg(k, 4, rowsB);
      buf.arg(k, 5, out);
      Launch.run(ctx, k, m, w);
      if (g != null) {
        buf.read(out, g, m * w, "Gram tile");
      } else {
        buf.readFloats(out, gf, m * w, "Gram tile");
      }
    }

    @Override
    public synchronized void close() {
      buf.close();
    }
  }
}
