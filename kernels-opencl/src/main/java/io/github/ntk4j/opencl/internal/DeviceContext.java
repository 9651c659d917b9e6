package io.github.ntk4j.opencl.internal;

import io.github.ntk4j.opencl.DeviceInfo;
import io.github.ntk4j.opencl.DeviceSelector;
import io.github.ntk4j.opencl.OpenClException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.jocl.CL;
import org.jocl.Pointer;
import org.jocl.cl_command_queue;
import org.jocl.cl_context;
import org.jocl.cl_context_properties;
import org.jocl.cl_device_id;
import org.jocl.cl_kernel;
import org.jocl.cl_program;

/**
 * The native resources of one device: an OpenCL context, one in-order command queue and the
 * compiled programs, one per precision, built on first use and kept until {@link #close()}, which
 * releases them in reverse order and may be called more than once.
 *
 * <p>Not thread-safe by itself: {@link io.github.ntk4j.opencl.OpenClContext} serializes its use.
 */
public final class DeviceContext implements AutoCloseable {
  /** Work-item block: rows × columns of the tile computed by one work-item. */
  static final int BLOCK_ROWS = 4;
  static final int BLOCK_COLS = 4;

  private static final String SOURCE_RESOURCE = "kernels.cl";

  final ClRuntime.Found found;
  final String deviceName;
  final boolean fp64;
  private final String source;
  private cl_context context;
  private cl_command_queue queue;
  private final Map<Boolean, Compiled> programs = new HashMap<>();
  private boolean closed;

  /** A built program and its two kernels. */
  static final class Compiled {
    final cl_program program;
    final cl_kernel tile;
    final cl_kernel gram;

    Compiled(cl_program program, cl_kernel tile, cl_kernel gram) {
      this.program = program;
      this.tile = tile;
      this.gram = gram;
    }
  }

  private DeviceContext(ClRuntime.Found found, String source, boolean fp64) {
    this.found = found;
    this.deviceName = found.info().name();
    this.source = source;
    this.fp64 = fp64;
  }

  /**
   * Opens a context on the device that {@code selector} picks among the installed ones.
   *
   * @throws OpenClException when no OpenCL runtime is usable or the selector picks none
   * @throws IllegalArgumentException when the selector returns a device it was not given
   */
  public static DeviceContext open(DeviceSelector selector, String sourceOverride, boolean denyFp64) {
    ClRuntime.Probe probe = ClRuntime.get();
    if (probe.failure() != null) {
      throw probe.failure();
    }
    List<DeviceInfo> infos = probe.infos();
    DeviceInfo chosen = selector.select(infos).orElseThrow(() -> new OpenClException(
        "opencl: the device selector chose none of " + infos, 0, null, null));
    ClRuntime.Found found = probe.devices().stream().filter(f -> f.info().equals(chosen)).findFirst()
        .orElseThrow(() -> new IllegalArgumentException(
            "selector: returned " + chosen + ", which is not one of the devices it was given"));
    return open(found, sourceOverride, denyFp64);
  }

  /**
   * Opens a context and queue on {@code found}.
   *
   * @param sourceOverride kernel source to build instead of the bundled one (tests), or null
   * @param denyFp64 behave as if the device had no double precision (tests)
   */
  @SuppressWarnings("deprecation") // clCreateCommandQueue: OpenCL 1.2 devices lack the 2.0 replacement
  public static DeviceContext open(ClRuntime.Found found, String sourceOverride, boolean denyFp64) {
    DeviceContext c = new DeviceContext(
        found, sourceOverride != null ? sourceOverride : bundledSource(), found.info().fp64() && !denyFp64);
    try {
      int[] err = new int[1];
      cl_context_properties props = new cl_context_properties();
      props.addProperty(CL.CL_CONTEXT_PLATFORM, found.platform());
      c.context = CL.clCreateContext(props, 1, new cl_device_id[] {found.device()}, null, null, err);
      Cl.check(err[0], "clCreateContext", c.deviceName);
      c.queue = CL.clCreateCommandQueue(c.context, found.device(), 0, err);
      Cl.check(err[0], "clCreateCommandQueue", c.deviceName);
      return c;
    } catch (RuntimeException e) {
      c.close();
      throw e;
    }
  }

  private static String bundledSource() {
    try (InputStream in = DeviceContext.class.getResourceAsStream(SOURCE_RESOURCE)) {
      if (in == null) {
        throw new IllegalStateException("kernel source " + SOURCE_RESOURCE + " is missing from the kernels-opencl jar");
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new IllegalStateException("cannot read the kernel source " + SOURCE_RESOURCE, e);
    }
  }

  /** The device's description. */
  public DeviceInfo info() {
    return found.info();
  }

  /** Whether kernels run in double precision here. */
  public boolean fp64() {
    return fp64;
  }

  cl_context context() {
    requireOpen();
    return context;
  }

  cl_command_queue queue() {
    requireOpen();
    return queue;
  }

  private void requireOpen() {
    if (closed) {
      throw new IllegalStateException("the OpenCL context of " + deviceName + " is closed");
    }
  }

  /** The program for the given precision, built now if this is the first use. */
  Compiled program(boolean doublePrecision) {
    requireOpen();
    Compiled p = programs.get(doublePrecision);
    if (p == null) {
      p = build(doublePrecision);
      programs.put(doublePrecision, p);
    }
    return p;
  }

  private Compiled build(boolean doublePrecision) {
    int[] err = new int[1];
    cl_program program = CL.clCreateProgramWithSource(context, 1, new String[] {source}, null, err);
    Cl.check(err[0], "clCreateProgramWithSource", deviceName);
    String options = (doublePrecision ? "-D NTK4J_FP64" : "-cl-single-precision-constant")
        + " -D TR=" + BLOCK_ROWS + " -D TC=" + BLOCK_COLS;
    int rc = CL.clBuildProgram(program, 1, new cl_device_id[] {found.device()}, options, null, null);
    if (rc != CL.CL_SUCCESS) {
      String log = buildLog(program);
      CL.clReleaseProgram(program);
      throw Cl.failure(rc, "building the kernel source (" + options + ")", deviceName,
          log.isBlank() ? "" : ": " + firstLines(log, 6));
    }
    cl_kernel tile = CL.clCreateKernel(program, "tile", err);
    if (err[0] != CL.CL_SUCCESS) {
      CL.clReleaseProgram(program);
      throw Cl.failure(err[0], "clCreateKernel(tile)", deviceName, "");
    }
    cl_kernel gram = CL.clCreateKernel(program, "gram", err);
    if (err[0] != CL.CL_SUCCESS) {
      CL.clReleaseKernel(tile);
      CL.clReleaseProgram(program);
      throw Cl.failure(err[0], "clCreateKernel(gram)", deviceName, "");
    }
    return new Compiled(program, tile, gram);
  }

  private String buildLog(cl_program program) {
    long[] size = new long[1];
    if (CL.clGetProgramBuildInfo(program, found.device(), CL.CL_PROGRAM_BUILD_LOG, 0, null, size) != CL.CL_SUCCESS
        || size[0] <= 1) {
      return "";
    }
    byte[] b = new byte[(int) Math.min(size[0], 1 << 20)];
    CL.clGetProgramBuildInfo(program, found.device(), CL.CL_PROGRAM_BUILD_LOG, b.length, Pointer.to(b), null);
    return new String(b, StandardCharsets.UTF_8).replace("\0", "").trim();
  }

  private static String firstLines(String text, int n) {
    String[] lines = text.split("\n");
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < Math.min(n, lines.length); i++) {
      sb.append(i == 0 ? "" : " | ").append(lines[i].trim());
    }
    return sb.toString();
  }

  /** Releases the programs, the queue and the context, in reverse order of creation; idempotent. */
  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    for (Compiled p : programs.values()) {
      CL.clReleaseKernel(p.gram);
      CL.clReleaseKernel(p.tile);
      CL.clReleaseProgram(p.program);
    }
    programs.clear();
    if (queue != null) {
      CL.clReleaseCommandQueue(queue);
      queue = null;
    }
    if (context != null) {
      CL.clReleaseContext(context);
      context = null;
    }
  }

  /** Throws the exception for the device being unusable for a reason of its own. */
  OpenClException failure(String message) {
    return new OpenClException("opencl: " + message + " on " + deviceName, 0, null, deviceName);
  }
}
