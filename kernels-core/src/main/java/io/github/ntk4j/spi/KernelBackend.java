package io.github.ntk4j.spi;

import io.github.ntk4j.BackendUnavailableException;
import io.github.ntk4j.ComputeOptions;
import io.github.ntk4j.KernelKind;
import io.github.ntk4j.KernelResult;
import io.github.ntk4j.Matrix;
import io.github.ntk4j.ProgressListener;
import io.github.ntk4j.Provenance;
import io.github.ntk4j.layers.Layer;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * A kernel backend other than the built-in CPU one, found with {@link java.util.ServiceLoader}: the
 * kernels-opencl module provides one (its module descriptor {@code provides} it, and its jar lists
 * it in {@code META-INF/services} for class-path users). Users do not call this interface; they
 * choose a backend with {@link ComputeOptions#withBackend} and call {@link
 * io.github.ntk4j.Kernels#compute}, which consults {@link #name()} and {@link #unavailableReason()}
 * to route the call.
 *
 * <p>Implementations must be thread-safe, must compute the same kernels as the CPU backend (within
 * their documented precision) for every architecture they accept, and must say in the result's
 * {@link io.github.ntk4j.Provenance#backend()} what ran.
 */
public interface KernelBackend {
  /**
   * The backend's name as {@link io.github.ntk4j.Backend} spells it in lower case, e.g. {@code opencl}.
   *
   * @return the name, e.g. {@code opencl}
   */
  String name();

  /**
   * Why the backend cannot run on this machine, or empty when it can. Implementations answer from a
   * probe made once per JVM.
   *
   * @return the reason, or empty
   */
  Optional<String> unavailableReason();

  /**
   * Human-readable lines about the backend and its devices, for {@code ntk4j info}.
   *
   * @return the lines
   */
  List<String> describe();

  /**
   * Computes the requested kernels; the arguments are already validated by the caller (finite
   * inputs of equal width, at least one kind).
   *
   * @param architecture the network
   * @param x1 the first input set, n1×d
   * @param x2 the second set, or {@code null} for {@code x1} again (symmetric result)
   * @param kinds the kernels wanted
   * @param options threads, precision and tile size
   * @param progress receives the number of entries done
   * @return the kernels, with provenance naming this backend
   * @throws BackendUnavailableException when the device fails (the message names the device and
   *     the error); {@link io.github.ntk4j.Backend#AUTO} then falls back to the CPU
   */
  KernelResult compute(
      Layer architecture, Matrix x1, Matrix x2, Set<KernelKind> kinds, ComputeOptions options,
      ProgressListener progress);

  /**
   * Writes one kernel to a {@code .npy} file tile by tile, holding only the inputs and a few tiles,
   * as {@link io.github.ntk4j.Kernels#writeNpy} describes (written to a hidden sibling and moved into
   * place when complete; no file left on failure). The arguments are validated by the caller. The
   * default refuses: a backend that cannot stream says so.
   *
   * @param architecture the network
   * @param x1 the first input set, n1×d
   * @param x2 the second set, or {@code null} for {@code x1} again (symmetric result)
   * @param kind the kernel to write
   * @param out the {@code .npy} file
   * @param options threads, precision and tile size
   * @param progress receives the number of entries done
   * @return the provenance of the values written
   * @throws java.io.IOException when the file cannot be written
   * @throws UnsupportedOperationException when this backend does not stream (the default)
   */
  default Provenance writeNpy(
      Layer architecture, Matrix x1, Matrix x2, KernelKind kind, java.nio.file.Path out, ComputeOptions options,
      ProgressListener progress) throws java.io.IOException {
    throw new UnsupportedOperationException("the " + name() + " backend does not stream kernels to files");
  }
}
