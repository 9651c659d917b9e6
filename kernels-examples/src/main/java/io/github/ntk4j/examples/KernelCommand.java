package io.github.ntk4j.examples;

import io.github.ntk4j.Backend;
import io.github.ntk4j.ComputeOptions;
import io.github.ntk4j.KernelKind;
import io.github.ntk4j.KernelResult;
import io.github.ntk4j.Kernels;
import io.github.ntk4j.Matrix;
import io.github.ntk4j.Precision;
import io.github.ntk4j.adaptive.SignKernel;
import io.github.ntk4j.ProgressListener;
import io.github.ntk4j.io.MatrixFiles;
import io.github.ntk4j.layers.Architectures;
import io.github.ntk4j.layers.Layer;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;

/** {@code ntk4j kernel}: one kernel matrix from two input files to one output file. */
final class KernelCommand {
  private KernelCommand() {}

  /** Whether an in-memory result of {@code entries} doubles leaves a margin in the heap. */
  private static boolean fitsInHeap(long entries) {
    return entries * 8 < 0.7 * io.github.ntk4j.internal.CpuEngine.availableHeap();
  }

  /** Whether {@code backend} computes on the CPU: asked for, or auto with no usable device installed. */
  private static boolean onTheCpu(Backend backend) {
    return backend == Backend.CPU
        || backend == Backend.AUTO && io.github.ntk4j.internal.Backends.installed().stream()
            .noneMatch(b -> b.unavailableReason().isEmpty());
  }

  static void run(String[] args, PrintStream out, PrintStream err) throws IOException {
    Flags f =
        Flags.parse(
            "kernel", args, Set.of("arch", "x1", "x2", "get", "out", "backend", "precision", "threads", "tile"),
            Set.of("progress", "stream"));
    Layer arch = Architectures.parse(f.require("arch"));
    f.require("get");
    String get = f.choice("get", null, "nngp", "ntk", "sign-ntk");
    Path outPath = Path.of(f.require("out"));
    MatrixFiles.checkWritable(outPath); // before any work
    Backend backend = Backend.valueOf(f.choice("backend", "auto", "auto", "cpu", "opencl").toUpperCase(Locale.ROOT));
    Precision precision =
        f.choice("precision", "float64", "float64", "float32").equals("float32") ? Precision.FLOAT32 : Precision.FLOAT64;
    int threads = f.positiveInt("threads", Runtime.getRuntime().availableProcessors());
    int tile = f.positiveInt("tile", ComputeOptions.defaults().tileSize());
    ComputeOptions options;
    try {
      options = new ComputeOptions(threads, precision, backend, tile);
    } catch (IllegalArgumentException e) {
      throw new UsageException("kernel: --" + (e.getMessage().startsWith("tile") ? "tile" : "threads") + ": " + e.getMessage());
    }
    if (!get.equals("sign-ntk")) {
      // Loads the native BLAS and compiles the chain on the idle core while the inputs are read.
      Kernels.warmUp(arch, EnumSet.of(KernelKind.fromName(get)), options);
    }
    String x1Name = f.require("x1");
    Matrix x1 = MatrixFiles.read(Path.of(x1Name));
    Matrix x2 = null;
    if (f.has("x2")) {
      String x2Name = f.require("x2");
      x2 = MatrixFiles.read(Path.of(x2Name));
      if (x2.cols() != x1.cols()) {
        throw new UsageException(
            "kernel: --x2 " + x2Name + " has " + x2.cols() + " columns but --x1 " + x1Name + " has " + x1.cols()
                + "; both need the same number of columns");
      }
    }
    int n2 = x2 == null ? x1.rows() : x2.rows();
    // On a terminal, long computations show a progress bar on stderr (erased when done).
    boolean bar = f.has("progress") || (System.console() != null && (long) x1.rows() * n2 >= 4_000_000L);
    ProgressBar progress = new ProgressBar(err, "ntk4j: " + get + " " + x1.rows() + "x" + n2);
    ProgressListener listener = bar ? progress : ProgressListener.none();
    boolean npy = !get.equals("sign-ntk") && outPath.toString().toLowerCase(Locale.ROOT).endsWith(".npy");
    // K(X, X) to .npy on the CPU is held in bands of its upper triangle (about half the entries) and
    // written band by band while the rest is computed.
    long bandEntries = (long) x1.rows() * (x1.rows() + 1) / 2 + 128L * x1.rows();
    boolean bands = npy && x2 == null && bandEntries < Integer.MAX_VALUE - 16 && onTheCpu(backend);
    if (npy && (f.has("stream") || !fitsInHeap((long) x1.rows() * n2)
        && !(bands && fitsInHeap(bandEntries)))) {
      // Too large for the heap (or --stream): computed tile by tile straight into the file, on the
      // device with --backend opencl, else on the CPU (auto streams on the CPU, as it always has).
      Backend streamOn = backend == Backend.OPENCL ? Backend.OPENCL : Backend.CPU;
      try {
        Kernels.writeNpy(arch, x1, x2, KernelKind.fromName(get), outPath, options.withBackend(streamOn), listener);
      } finally {
        progress.finish();
      }
      return;
    }
    if (bands) {
      try {
        io.github.ntk4j.internal.NpyBandFile.write(
            arch, x1, KernelKind.fromName(get), outPath, options.withBackend(Backend.CPU), listener);
      } finally {
        progress.finish();
      }
      return;
    }
    Matrix result;
    try {
      if (get.equals("sign-ntk")) {
        result = SignKernel.compute(arch, x1, x2, options, listener);
      } else {
        KernelKind kind = KernelKind.fromName(get);
        KernelResult r = Kernels.compute(arch, x1, x2, EnumSet.of(kind), options, listener);
        result = r.get(kind);
      }
    } finally {
      progress.finish();
    }
    MatrixFiles.write(outPath, result, precision);
  }
}
