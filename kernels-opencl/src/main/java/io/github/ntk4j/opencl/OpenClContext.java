package io.github.ntk4j.opencl;

import io.github.ntk4j.ComputeOptions;
import io.github.ntk4j.KernelKind;
import io.github.ntk4j.KernelResult;
import io.github.ntk4j.Matrix;
import io.github.ntk4j.ProgressListener;
import io.github.ntk4j.Provenance;
import io.github.ntk4j.internal.Backends;
import io.github.ntk4j.layers.Layer;
import io.github.ntk4j.opencl.internal.DeviceContext;
import io.github.ntk4j.opencl.internal.Engine;
import java.util.Objects;
import java.util.Set;

/**
 * An OpenCL device opened for kernel computations: its context, command queue and compiled
 * programs (built on first use, once per precision, and kept). Most users never open one:
 * {@code Kernels.compute(..., options.withBackend(Backend.OPENCL))} uses a shared context on the
 * {@link DeviceSelector#preferred() preferred} device. Open one to choose the device or the tile
 * size, and close it (try-with-resources) to release the native resources, which happens in reverse
 * order of creation; {@link #close()} may be called more than once.
 *
 * <p>The device computes, per output tile of up to {@code maxTile}² entries and in one kernel launch,
 * the input Gram product x·x'/d and the whole per-entry chain of NNGP Σ and NTK Θ updates
 * (shared/math/kernels.md §1; arXiv 1806.07572, arXiv 1912.02803). Dense, scale, bias, layernorm,
 * parallel blocks (nested up to 4 deep), relu, abrelu, leakyrelu, abs, identity and erf have device
 * forms; an architecture with any other layer gets the Gram product on the device and the chain on
 * the CPU, and its provenance says so. Results agree with the CPU backend to about 1e-12 relative in
 * float64; float32 (asked for, or forced by a device without {@code cl_khr_fp64}, which provenance
 * then states) agrees to about 1e-5 relative, see docs/backends.md.
 *
 * <p>Thread-safe: computations on one context run one at a time (later callers wait).
 */
public final class OpenClContext implements AutoCloseable {
  /** Default largest tile edge (4 Mi entries per launch). */
  public static final int DEFAULT_MAX_TILE = 2048;

  private final DeviceContext device;
  private final int maxTile;

  private OpenClContext(DeviceContext device, int maxTile) {
    this.device = device;
    this.maxTile = maxTile;
  }

  /**
   * Opens the {@link DeviceSelector#preferred() preferred} device.
   *
   * @return the open context; close it when done
   */
  public static OpenClContext open() {
    return open(DeviceSelector.preferred());
  }

  /**
   * Opens the device {@code selector} picks, with tiles of up to {@link #DEFAULT_MAX_TILE}.
   *
   * @param selector which device
   * @return the open context; close it when done
   */
  public static OpenClContext open(DeviceSelector selector) {
    return open(selector, DEFAULT_MAX_TILE);
  }

  /**
   * Opens the device {@code selector} picks.
   *
   * @param selector which device
   * @param maxTile the largest tile edge, 16 to 16384: each launch computes up to maxTile² entries
   *     (lowered to fit the device's memory)
   * @return the open context; close it when done
   * @throws IllegalArgumentException when maxTile is out of range
   * @throws OpenClException when OpenCL is unusable here, the selector picks no device, or the
   *     device cannot be opened
   */
  public static OpenClContext open(DeviceSelector selector, int maxTile) {
    return open(selector, maxTile, null, false);
  }

  /** {@link #open(DeviceSelector, int)} with test hooks: another kernel source, or fp64 denied. */
  static OpenClContext open(DeviceSelector selector, int maxTile, String sourceOverride, boolean denyFp64) {
    Objects.requireNonNull(selector, "selector");
    if (maxTile < 16 || maxTile > 16384) {
      throw new IllegalArgumentException("maxTile: expected 16 to 16384, got " + maxTile);
    }
    return new OpenClContext(DeviceContext.open(selector, sourceOverride, denyFp64), maxTile);
  }

  /**
   * The device this context runs on.
   *
   * @return the device
   */
  public DeviceInfo device() {
    return device.info();
  }

  /**
   * Whether kernels run in double precision here (the device has {@code cl_khr_fp64}).
   *
   * @return whether float64 runs here
   */
  public boolean supportsFloat64() {
    return device.fp64();
  }

  /**
   * Computes the requested kernels on this device; the same contract as {@code
   * Kernels.compute(architecture, x1, x2, kinds, options, progress)} (the options' backend is
   * ignored, their precision and threads are used, and their tile size applies to the CPU part of
   * architectures whose chain runs on the host).
   *
   * @param architecture the network
   * @param x1 the first input set, n1×d
   * @param x2 the second input set, n2×d, or {@code null} for x1 again
   * @param kinds the kernels wanted
   * @param options threads, precision and tile size (the backend field is ignored)
   * @param progress receives the number of entries done
   * @return the kernels, with provenance naming the device
   * @throws OpenClException when the device fails (the exception keeps the error code and device)
   * @throws IllegalStateException when the context is closed
   */
  public KernelResult compute(
      Layer architecture, Matrix x1, Matrix x2, Set<KernelKind> kinds, ComputeOptions options,
      ProgressListener progress) {
    Backends.requireValidCall(architecture, x1, x2, kinds, options, progress);
    synchronized (this) {
      return Engine.compute(device, maxTile, architecture, x1, x2, kinds, options, progress);
    }
  }

  /**
   * {@link #compute(Layer, Matrix, Matrix, Set, ComputeOptions, ProgressListener)} without progress.
   *
   * @param architecture the network
   * @param x1 the first input set, n1×d
   * @param x2 the second input set, n2×d, or {@code null} for x1 again
   * @param kinds the kernels wanted
   * @param options threads, precision and tile size (the backend field is ignored)
   * @return the kernels, with provenance naming the device
   */
  public KernelResult compute(Layer architecture, Matrix x1, Matrix x2, Set<KernelKind> kinds, ComputeOptions options) {
    return compute(architecture, x1, x2, kinds, options, ProgressListener.none());
  }

  /**
   * Writes one kernel to a {@code .npy} file tile by tile on this device; the same contract as {@code
   * Kernels.writeNpy(architecture, x1, x2, kind, out, options, progress)}: only the inputs and a few
   * tiles are held, the file is written to a hidden sibling and moved into place when complete, and
   * a failure, a non-finite entry or a cancellation leaves no file. The values are those of {@link
   * #compute} on this context, bit for bit.
   *
   * @param architecture the network
   * @param x1 the first input set, n1×d
   * @param x2 the second input set, n2×d, or {@code null} for x1 again
   * @param kind the kernel to write
   * @param out the {@code .npy} file (replaced if it exists)
   * @param options threads, precision and tile size (the backend field is ignored)
   * @param progress receives the number of entries done
   * @return the provenance of the values written
   * @throws java.io.IOException when the file cannot be written
   * @throws OpenClException when the device fails
   * @throws IllegalStateException when the context is closed
   */
  public Provenance writeNpy(
      Layer architecture, Matrix x1, Matrix x2, KernelKind kind, java.nio.file.Path out, ComputeOptions options,
      ProgressListener progress) throws java.io.IOException {
    Backends.requireValidStream(architecture, x1, x2, kind, out, options, progress);
    synchronized (this) {
      return Engine.writeNpy(device, maxTile, architecture, x1, x2, kind, out, options, progress);
    }
  }

  /** Releases the programs, queue and context (reverse order); idempotent. */
  @Override
  public synchronized void close() {
    device.close();
  }

  @Override
  public String toString() {
    return "OpenClContext[" + device.info() + "]";
  }
}
