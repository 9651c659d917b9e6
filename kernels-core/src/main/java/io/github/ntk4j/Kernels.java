package io.github.ntk4j;

import io.github.ntk4j.internal.Backends;
import io.github.ntk4j.internal.Chain;
import io.github.ntk4j.internal.CpuEngine;
import io.github.ntk4j.internal.JitWarmUp;
import io.github.ntk4j.internal.MatrixBridge;
import io.github.ntk4j.internal.NativeBlas;
import io.github.ntk4j.internal.NpyTileFile;
import io.github.ntk4j.internal.Versions;
import io.github.ntk4j.layers.Layer;
import io.github.ntk4j.spi.KernelBackend;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.List;
import java.util.Objects;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Computes the kernels of infinitely wide networks: the NNGP K and the neural tangent kernel Θ of an
 * architecture, for every pair of rows of two input sets.
 *
 * <p>For a stack of Dense and elementwise layers in the NTK parameterization (arXiv 1912.02803,
 * shared/math/kernels.md §1), starting from the input kernel Σ⁰ = x·x'/d and Θ⁰ = 0:
 *
 * \[
 * \begin{aligned}
 * &amp;\text{Dense}(\sigma_w, \sigma_b): &amp;&amp; \Sigma' = \sigma_w^2\,\Sigma + \sigma_b^2, &amp;&amp; \Theta' = \Sigma' + \sigma_w^2\,\Theta \\
 * &amp;\text{activation } \phi: &amp;&amp; \Sigma' = T(\Sigma), &amp;&amp; \Theta' = \dot T(\Sigma)\,\Theta
 * \end{aligned}
 * \]
 *
 * with T and Ṫ the dual maps of φ ({@link io.github.ntk4j.layers.Activation}). Values are exact
 * closed forms in float64 unless {@link Precision#FLOAT32} is asked for, and do not depend on the
 * number of threads.
 *
 * <pre>{@code
 * Layer net = Architectures.parse("serial(dense(1.5, 0.1), relu(), dense(1.5, 0.1))");
 * Matrix x = Matrix.of(new double[][] {{1, 2}, {3, 4}, {0, 1}});
 * KernelResult r = Kernels.compute(net, x, null, EnumSet.allOf(KernelKind.class));
 * double theta01 = r.ntk().get(0, 1);
 * }</pre>
 *
 * <p>All methods are thread-safe.
 *
 * <p>References: A. Jacot, F. Gabriel, C. Hongler, arXiv 1806.07572; J. Lee et al., arXiv
 * 1711.00165; R. Novak et al., arXiv 1912.02803.
 */
public final class Kernels {
  /**
   * The logger, made on first use: making the first logger of a process starts the logging back end,
   * which {@link #warmUp} leaves to its background thread.
   */
  private static final class Log {
    static final Logger LOG = LoggerFactory.getLogger(Kernels.class);
  }

  private Kernels() {}

  /**
   * Starts the one-time costs of a first large kernel on the CPU in this JVM on two background daemon
   * threads, and returns at once: loading the native BLAS (and the logging back end), and letting the
   * JIT compile the per-entry chain of {@code architecture} on a small synthetic kernel. A short
   * program that computes one large kernel, such as a command line, calls it first, before reading its
   * inputs: that work then runs on a core the program leaves idle (measured on 2 cores: about 50 ms
   * of a 0.7 s command), and the next {@link #compute} or {@link #writeNpy} on the CPU stops and joins
   * it before its Gram product, so that it never competes with the real tiles. A long-running program
   * gains nothing from it. Without it, the first kernel of at least 2²² entries warms the JIT up
   * itself while it prepares its inputs.
   *
   * <p>Values never depend on it. It does nothing for {@link Backend#OPENCL}, for one thread, on a
   * machine with one CPU, under {@code -Dntk4j.noWarmUp=true}, or when this JVM already warmed up.
   *
   * @param architecture the network of the coming kernel
   * @param kinds the kernels it will compute, at least one
   * @param options its threads, precision and backend
   * @throws IllegalArgumentException when {@code kinds} is empty
   */
  public static void warmUp(Layer architecture, Set<KernelKind> kinds, ComputeOptions options) {
    Objects.requireNonNull(architecture, "architecture");
    Objects.requireNonNull(kinds, "kinds");
    Objects.requireNonNull(options, "options");
    if (kinds.isEmpty()) {
      throw new IllegalArgumentException("kinds: ask for at least one kernel");
    }
    if (options.backend() != Backend.OPENCL) {
      JitWarmUp.ahead(architecture, kinds.contains(KernelKind.NNGP), kinds.contains(KernelKind.NTK),
          options.precision() == Precision.FLOAT32, options.threads());
    }
  }

  /**
   * Computes the requested kernels with {@link ComputeOptions#defaults()}.
   *
   * @param architecture the network
   * @param x1 the first input set, n1×d, one point per row
   * @param x2 the second input set, n2×d, or {@code null} for x1 again
   * @param kinds the kernels wanted, at least one
   * @return the requested n1×n2 kernels and their provenance
   * @see #compute(Layer, Matrix, Matrix, Set, ComputeOptions)
   */
  public static KernelResult compute(Layer architecture, Matrix x1, Matrix x2, Set<KernelKind> kinds) {
    return compute(architecture, x1, x2, kinds, ComputeOptions.defaults());
  }

  /**
   * Computes the requested kernels k(x1ᵢ, x2ⱼ).
   *
   * @param architecture the network (not modified)
   * @param x1 first input set, n1×d, one example per row, finite values
   * @param x2 second input set, n2×d, or {@code null} for {@code x1} again (then the kernels are
   *     symmetric and only half of them is computed)
   * @param kinds the kernels wanted, at least one
   * @param options threads, precision, backend and tile size
   * @return the kernels, n1×n2 each, with provenance
   * @throws IllegalArgumentException when the inputs have different numbers of columns, contain NaN
   *     or infinite values, or the architecture has no kernel (e.g. an activation first)
   * @throws NumericalException when a kernel value overflows the precision
   * @throws BackendUnavailableException when {@link Backend#OPENCL} is asked for and no usable
   *     OpenCL device is installed
   */
  public static KernelResult compute(
      Layer architecture, Matrix x1, Matrix x2, Set<KernelKind> kinds, ComputeOptions options) {
    return compute(architecture, x1, x2, kinds, options, ProgressListener.none());
  }

  /**
   * Computes the requested kernels k(x1ᵢ, x2ⱼ), reporting progress; see
   * {@link #compute(Layer, Matrix, Matrix, Set, ComputeOptions)} for the parameters.
   *
   * <p>Interrupting the calling thread cancels the computation: worker threads stop after the tile
   * they are on, and once they have, this method throws {@link
   * java.util.concurrent.CancellationException} with the thread's interrupt flag set again.
   *
   * @param architecture the network
   * @param x1 the first input set, n1×d, one point per row
   * @param x2 the second input set, n2×d, or {@code null} for x1 again
   * @param kinds the kernels wanted, at least one
   * @param options threads, precision, backend and tile size
   * @param progress receives the number of entries computed so far
   * @return the kernels, n1×n2 each, with provenance
   */
  public static KernelResult compute(
      Layer architecture, Matrix x1, Matrix x2, Set<KernelKind> kinds, ComputeOptions options,
      ProgressListener progress) {
    Backends.requireValidCall(architecture, x1, x2, kinds, options, progress);
    // The CPU needs no list of the installed backends (loading it would load the OpenCL module).
    return route(options.backend() == Backend.CPU ? List.of() : Backends.installed(), architecture, x1, x2, kinds,
        options, progress);
  }

  /**
   * Routes a validated call: {@link Backend#OPENCL} to the installed OpenCL backend (whose exceptions
   * reach the caller), {@link Backend#AUTO} to the first usable installed backend and to the CPU
   * when there is none or it fails, {@link Backend#CPU} to the CPU.
   */
  static KernelResult route(
      List<KernelBackend> installed, Layer architecture, Matrix x1, Matrix x2, Set<KernelKind> kinds,
      ComputeOptions options, ProgressListener progress) {
    if (options.backend() == Backend.OPENCL) {
      KernelBackend b = openCl(installed);
      JitWarmUp.stopRunning(); // a warm-up of the CPU's chain would only compete with the device's host code
      return b.compute(architecture, x1, x2, kinds, options, progress);
    }
    if (options.backend() == Backend.AUTO) {
      for (KernelBackend b : installed) {
        if (b.unavailableReason().isEmpty()) {
          try {
            JitWarmUp.stopRunning();
            return b.compute(architecture, x1, x2, kinds, options, progress);
          } catch (BackendUnavailableException e) {
            Log.LOG.info("{} backend failed ({}); computing on the CPU instead", b.name(), e.getMessage());
          }
        }
      }
    }
    return computeOnCpu(architecture, x1, x2, kinds, options, progress);
  }

  /** The installed OpenCL backend, or a {@link BackendUnavailableException} saying how to add it. */
  private static KernelBackend openCl(List<KernelBackend> installed) {
    return installed.stream().filter(k -> k.name().equals("opencl")).findFirst()
        .orElseThrow(() -> new BackendUnavailableException(
            "opencl: the kernels-opencl module is not on the class or module path; add the dependency"
                + " io.github.ntk4j:kernels-opencl, or use the cpu backend"));
  }

  private static KernelResult computeOnCpu(
      Layer architecture, Matrix x1, Matrix x2, Set<KernelKind> kinds, ComputeOptions options,
      ProgressListener progress) {
    int d = x1.cols();
    int n2 = x2 == null ? x1.rows() : x2.rows();
    long start = System.nanoTime();
    Chain chain = Chain.compile(architecture, d);
    boolean wantNtk = kinds.contains(KernelKind.NTK);
    CpuEngine.Output out =
        CpuEngine.compute(
            chain,
            MatrixBridge.data(x1),
            x1.rows(),
            x2 == null ? null : MatrixBridge.data(x2),
            n2,
            d,
            kinds.contains(KernelKind.NNGP),
            wantNtk,
            options.threads(),
            options.tileSize(),
            options.precision() == Precision.FLOAT32,
            progress::progress);
    Map<KernelKind, Matrix> result = new EnumMap<>(KernelKind.class);
    if (kinds.contains(KernelKind.NNGP)) {
      result.put(KernelKind.NNGP, MatrixBridge.wrap(x1.rows(), n2, out.nngp()));
    }
    if (wantNtk) {
      result.put(KernelKind.NTK, MatrixBridge.wrap(x1.rows(), n2, out.ntk()));
    }
    Provenance p = cpuProvenance(chain, options);
    if (Log.LOG.isDebugEnabled()) {
      Log.LOG.debug("{} {}x{} (d={}) of {} on {}, {}: {} ms", result.keySet(), x1.rows(), n2, d, p.architecture(),
          p.backend(), p.precision(), (System.nanoTime() - start) / 1_000_000);
    }
    return new KernelResult(result, p);
  }

  /**
   * Computes one kernel and writes it to a {@code .npy} file tile by tile, without holding it in
   * memory: kernels larger than the heap (n = 50,000 is 20 GB in float64) need only the inputs and a
   * few tiles per thread. The file is written to a hidden sibling and moved into place when
   * complete; on failure, cancellation or a non-finite entry no file is left behind. Values are
   * those of {@link #compute} (bit for bit, at the same precision), in float64 ({@code <f8}) or, for
   * {@link Precision#FLOAT32}, float32 ({@code <f4}).
   *
   * <p>Computed on the CPU backend for {@link Backend#AUTO} and {@link Backend#CPU}, and on the OpenCL
   * device for {@link Backend#OPENCL} (the kernels-opencl module: tiles computed on the device, read
   * back and written one at a time, with the values of {@link #compute} on that backend).
   * Interrupting the calling thread cancels it, as for {@link #compute}.
   *
   * @param architecture the network
   * @param x1 the first input set, n1×d, one point per row
   * @param x2 the second input set, n2×d, or {@code null} for x1 again
   * @param kind the kernel to write
   * @param out the {@code .npy} file (replaced if it exists); its directory must exist and have room
   *     for the whole file, which is checked before computing starts
   * @param options threads, precision and tile size
   * @param progress receives the number of entries computed so far
   * @return the provenance of the values written
   * @throws IllegalArgumentException for bad inputs (as {@link #compute}) or an output that is not a
   *     {@code .npy} file
   * @throws BackendUnavailableException for {@link Backend#OPENCL} when the kernels-opencl module is
   *     not installed or no usable device exists
   * @throws NumericalException when a kernel value overflows the precision
   * @throws java.io.IOException when the file cannot be written (e.g. the disk is full)
   */
  public static Provenance writeNpy(
      Layer architecture, Matrix x1, Matrix x2, KernelKind kind, java.nio.file.Path out, ComputeOptions options,
      ProgressListener progress) throws java.io.IOException {
    Backends.requireValidStream(architecture, x1, x2, kind, out, options, progress);
    if (options.backend() == Backend.OPENCL) {
      JitWarmUp.stopRunning();
      return openCl(Backends.installed()).writeNpy(architecture, x1, x2, kind, out, options, progress);
    }
    int d = x1.cols();
    int n2 = x2 == null ? x1.rows() : x2.rows();
    Chain chain = Chain.compile(architecture, d);
    boolean float32 = options.precision() == Precision.FLOAT32;
    try (NpyTileFile file = new NpyTileFile(out, x1.rows(), n2, x2 == null, float32)) {
      try {
        CpuEngine.stream(chain, MatrixBridge.data(x1), x1.rows(), x2 == null ? null : MatrixBridge.data(x2), n2, d,
            kind == KernelKind.NTK, options.threads(), options.tileSize(), float32, progress::progress, file);
      } catch (java.io.UncheckedIOException e) {
        throw e.getCause();
      }
      file.commit();
    }
    return cpuProvenance(chain, options);
  }

  private static Provenance cpuProvenance(Chain chain, ComputeOptions options) {
    return new Provenance(
        chain.architecture(),
        "cpu (" + (options.precision() == Precision.FLOAT64 && NativeBlas.available()
            ? "native BLAS Gram product, Java chain, " : "pure Java, ")
            + options.threads() + " thread" + (options.threads() == 1 ? "" : "s") + ")",
        options.precision(),
        Versions.library(),
        System.getProperty("java.version"),
        System.getProperty("os.arch"));
  }

  /**
   * The NNGP kernel K(x1ᵢ, x2ⱼ) ({@code x2} may be {@code null} for x1 again).
   *
   * @param architecture the network
   * @param x1 the first input set, n1×d
   * @param x2 the second input set, n2×d, or {@code null}
   * @return the n1×n2 NNGP matrix
   */
  public static Matrix nngp(Layer architecture, Matrix x1, Matrix x2) {
    return compute(architecture, x1, x2, EnumSet.of(KernelKind.NNGP)).nngp();
  }

  /**
   * The neural tangent kernel Θ(x1ᵢ, x2ⱼ) ({@code x2} may be {@code null} for x1 again).
   *
   * @param architecture the network
   * @param x1 the first input set, n1×d
   * @param x2 the second input set, n2×d, or {@code null}
   * @return the n1×n2 NTK matrix
   */
  public static Matrix ntk(Layer architecture, Matrix x1, Matrix x2) {
    return compute(architecture, x1, x2, EnumSet.of(KernelKind.NTK)).ntk();
  }
}
