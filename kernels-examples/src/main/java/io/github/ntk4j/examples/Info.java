package io.github.ntk4j.examples;

import io.github.ntk4j.internal.Versions;
import java.io.PrintStream;
import java.util.Set;

/** {@code ntk4j info}: versions and backends. */
final class Info {
  private Info() {}

  static void run(String[] args, PrintStream out) {
    Flags.parse("info", args, Set.of(), Set.of());
    Runtime rt = Runtime.getRuntime();
    out.println("ntk4j " + Versions.library());
    out.println("java " + System.getProperty("java.version") + " (" + System.getProperty("java.vendor") + ", "
        + System.getProperty("java.home") + ")");
    out.println("os " + System.getProperty("os.name") + " " + System.getProperty("os.arch") + ", "
        + rt.availableProcessors() + " processors, max heap " + (rt.maxMemory() >> 20) + " MiB");
    out.println("backends:");
    out.println("  cpu     usable       Gram product: " + io.github.ntk4j.internal.NativeBlas.describe()
        + " in float64, pure Java in float32; per-entry chain in Java; " + rt.availableProcessors()
        + " threads by default");
    java.util.List<io.github.ntk4j.spi.KernelBackend> installed = io.github.ntk4j.internal.Backends.installed();
    if (installed.isEmpty()) {
      out.println("  opencl  unavailable  the kernels-opencl module is not installed; --backend auto uses the cpu");
    }
    for (io.github.ntk4j.spi.KernelBackend b : installed) {
      for (String line : b.describe()) {
        out.println("  " + line);
      }
    }
    out.println("predictions (Cholesky, eigendecomposition): " + io.github.ntk4j.predict.KernelPredictor.linearAlgebra());
  }
}
