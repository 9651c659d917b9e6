package io.github.ntk4j.opencl.internal;

import io.github.ntk4j.ComputeOptions;
import io.github.ntk4j.KernelKind;
import io.github.ntk4j.KernelResult;
import io.github.ntk4j.Matrix;
import io.github.ntk4j.Precision;
import io.github.ntk4j.ProgressListener;
import io.github.ntk4j.Provenance;
import io.github.ntk4j.internal.Chain;
import io.github.ntk4j.internal.CpuEngine;
import io.github.ntk4j.internal.MatrixBridge;
import io.github.ntk4j.internal.NpyTileFile;
import io.github.ntk4j.internal.ScaledRows;
import io.github.ntk4j.internal.Versions;
import io.github.ntk4j.layers.Layer;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Computes kernels on one device: the fused path when every layer has a device form, otherwise the
 * Gram product on the device and the chain on the CPU (and provenance says which).
 */
public final class Engine {
  private static final Logger LOG = LoggerFactory.getLogger(Engine.class);
  /** Smallest CPU-engine tile for the host-chain path: smaller blocks would be dominated by launches. */
  private static final int MIN_HOST_TILE = 256;

  private Engine() {}

  /**
   * Computes the requested kernels; arguments validated by the caller.
   *
   * @param maxTile the largest tile edge of the fused path
   */
  public static KernelResult compute(
      DeviceContext ctx, int maxTile, Layer architecture, Matrix x1, Matrix x2, Set<KernelKind> kinds,
      ComputeOptions options, ProgressListener progress) {
    int d = x1.cols();
    Setup setup = Setup.of(ctx, architecture, d, options);
    Chain chain = setup.chain();
    StageCode code = setup.code();
    boolean float32 = setup.float32();
    boolean wantNngp = kinds.contains(KernelKind.NNGP);
    boolean wantNtk = kinds.contains(KernelKind.NTK);
    double[] a = MatrixBridge.data(x1);
    double[] b = x2 == null ? null : MatrixBridge.data(x2);
    int n2 = x2 == null ? x1.rows() : x2.rows();
    double[] nngp;
    double[] ntk;
    String route;
    if (code.hostOnly() == null) {
      ScaledRows s1 = ScaledRows.of(a, x1.rows(), d, float32, "x1");
      ScaledRows s2 = b == null ? null : ScaledRows.of(b, n2, d, float32, "x2");
      TileRunner.Result r = TileRunner.run(ctx, chain, code, s1, s2, d, !float32, wantNngp, wantNtk, maxTile,
          progress::progress);
      nngp = r.nngp();
      ntk = r.ntk();
      route = "Gram product and chain on the device";
    } else {
      LOG.debug("{} has no OpenCL form; the chain runs on the CPU", code.hostOnly());
      int tile = Math.max(options.tileSize(), MIN_HOST_TILE);
      CpuEngine.Output out = CpuEngine.compute(chain, a, x1.rows(), b, n2, d, wantNngp, wantNtk, options.threads(),
          tile, float32, progress::progress, new DeviceGram(ctx, tile));
      nngp = out.nngp();
      ntk = out.ntk();
      route = "Gram product on the device, chain on " + options.threads() + " CPU thread"
          + (options.threads() == 1 ? "" : "s") + ": " + code.hostOnly() + " has no device form";
    }
    Map<KernelKind, Matrix> result = new EnumMap<>(KernelKind.class);
    if (wantNngp) {
      result.put(KernelKind.NNGP, MatrixBridge.wrap(x1.rows(), n2, nngp));
    }
    if (wantNtk) {
      result.put(KernelKind.NTK, MatrixBridge.wrap(x1.rows(), n2, ntk));
    }
    return new KernelResult(result, provenance(ctx, chain, route + setup.precisionNote(), float32));
  }

  /**
   * Writes one kernel to a {@code .npy} file tile by tile (arguments validated by the caller): on the
   * fused path each tile is read back from the device and written at once; otherwise the CPU's
   * streamed chain runs on the device's Gram blocks. The values are those of {@link #compute} bit for
   * bit, in float64 ({@code <f8}) unless the options ask for float32 (on a device without fp64 the
   * float32 values are written as float64, as {@link #compute} returns them).
   *
   * @throws java.io.IOException when the file cannot be written (no file is left behind)
   */
  public static Provenance writeNpy(
      DeviceContext ctx, int maxTile, Layer architecture, Matrix x1, Matrix x2, KernelKind kind, Path out,
      ComputeOptions options, ProgressListener progress) throws java.io.IOException {
    int d = x1.cols();
    Setup setup = Setup.of(ctx, architecture, d, options);
    Chain chain = setup.chain();
    StageCode code = setup.code();
    boolean float32 = setup.float32();
    double[] a = MatrixBridge.data(x1);
    double[] b = x2 == null ? null : MatrixBridge.data(x2);
    int n1 = x1.rows();
    int n2 = x2 == null ? n1 : x2.rows();
    boolean ntk = kind == KernelKind.NTK;
    String route;
    try (NpyTileFile file = new NpyTileFile(out, n1, n2, x2 == null, options.precision() == Precision.FLOAT32)) {
      try {
        if (code.hostOnly() == null) {
          CpuEngine.requireStreamInputs(n1, n2, d, x2 == null, float32);
          ScaledRows s1 = ScaledRows.of(a, n1, d, float32, "x1");
          ScaledRows s2 = b == null ? null : ScaledRows.of(b, n2, d, float32, "x2");
          TileRunner.stream(ctx, chain, code, s1, s2, d, !float32, ntk, maxTile, progress::progress, file);
          route = "Gram product and chain on the device, streamed to " + out.getFileName();
        } else {
          int tile = Math.max(options.tileSize(), MIN_HOST_TILE);
          CpuEngine.stream(chain, a, n1, b, n2, d, ntk, options.threads(), tile, float32, progress::progress, file,
              new DeviceGram(ctx, tile));
          route = "Gram product on the device, chain on " + options.threads() + " CPU thread"
              + (options.threads() == 1 ? "" : "s") + ", streamed to " + out.getFileName() + ": " + code.hostOnly()
              + " has no device form";
        }
      } catch (java.io.UncheckedIOException e) {
        throw e.getCause();
      }
      file.commit();
    }
    return provenance(ctx, chain, route + setup.precisionNote(), float32);
  }

  /**
   * What both entry points derive first: the compiled chain, its device encoding, and the precision
   * (float32 when asked for or when the device has no fp64, which the note then says).
   */
  private record Setup(Chain chain, StageCode code, boolean float32, String precisionNote) {
    static Setup of(DeviceContext ctx, Layer architecture, int d, ComputeOptions options) {
      Chain chain = Chain.compile(architecture, d);
      boolean noFp64 = options.precision() == Precision.FLOAT64 && !ctx.fp64();
      return new Setup(chain, StageCode.encode(chain), options.precision() == Precision.FLOAT32 || !ctx.fp64(),
          noFp64 ? ", float32: the device has no fp64" : "");
    }
  }

  private static Provenance provenance(DeviceContext ctx, Chain chain, String route, boolean float32) {
    return new Provenance(chain.architecture(),
        "opencl (" + ctx.info().name() + ", " + ctx.info().platform() + "; " + route + ")",
        float32 ? Precision.FLOAT32 : Precision.FLOAT64, Versions.library(), System.getProperty("java.version"),
        System.getProperty("os.arch"));
  }
}
