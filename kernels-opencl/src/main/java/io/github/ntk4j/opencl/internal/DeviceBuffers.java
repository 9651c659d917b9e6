package io.github.ntk4j.opencl.internal;

import java.util.ArrayList;
import java.util.List;
import org.jocl.CL;
import org.jocl.Pointer;
import org.jocl.Sizeof;
import org.jocl.cl_mem;

/**
 * Device buffers of one computation, in float64 or float32, released in reverse order by {@link
 * #close()}. Host data is always double and is rounded to float on the way in for float32.
 */
final class DeviceBuffers implements AutoCloseable {
  private final DeviceContext ctx;
  private final boolean fp64;
  private final List<cl_mem> created = new ArrayList<>();

  DeviceBuffers(DeviceContext ctx, boolean fp64) {
    this.ctx = ctx;
    this.fp64 = fp64;
  }

  /** Bytes per element. */
  int element() {
    return fp64 ? Sizeof.cl_double : Sizeof.cl_float;
  }

  /** A device buffer of {@code elements} reals. */
  cl_mem reals(long elements, String what) {
    return create(Math.max(1, elements) * element(), what);
  }

  /** A read-only device buffer holding {@code values} (ints). */
  cl_mem ints(int[] values, String what) {
    int[] err = new int[1];
    cl_mem m = CL.clCreateBuffer(ctx.context(), CL.CL_MEM_READ_ONLY | CL.CL_MEM_COPY_HOST_PTR,
        (long) Math.max(1, values.length) * Sizeof.cl_int, Pointer.to(values.length == 0 ? new int[1] : values), err);
    Cl.check(err[0], "clCreateBuffer(" + what + ")", ctx.deviceName);
    created.add(m);
    return m;
  }

  private cl_mem create(long bytes, String what) {
    int[] err = new int[1];
    cl_mem m = CL.clCreateBuffer(ctx.context(), CL.CL_MEM_READ_WRITE, bytes, null, err);
    Cl.check(err[0], "clCreateBuffer(" + what + ", " + bytes + " bytes)", ctx.deviceName);
    created.add(m);
    return m;
  }

  /** Copies {@code values[from, from + length)} to the start of {@code target}. */
  void write(cl_mem target, double[] values, int from, int length, String what) {
    if (length == 0) {
      return;
    }
    Pointer p;
    if (fp64) {
      p = Pointer.to(values).withByteOffset((long) from * Sizeof.cl_double);
    } else {
      float[] f = new float[length];
      for (int k = 0; k < length; k++) {
        f[k] = (float) values[from + k];
      }
      p = Pointer.to(f);
    }
    Cl.check(CL.clEnqueueWriteBuffer(ctx.queue(), target, CL.CL_TRUE, 0, (long) length * element(), p, 0, null, null),
        "clEnqueueWriteBuffer(" + what + ")", ctx.deviceName);
  }

  /** Reads {@code length} reals from the start of {@code source} into {@code out[0, length)}. */
  void read(cl_mem source, double[] out, int length, String what) {
    if (length == 0) {
      return;
    }
    if (fp64) {
      Cl.check(CL.clEnqueueReadBuffer(ctx.queue(), source, CL.CL_TRUE, 0, (long) length * Sizeof.cl_double,
          Pointer.to(out), 0, null, null), "clEnqueueReadBuffer(" + what + ")", ctx.deviceName);
    } else {
      float[] f = new float[length];
      Cl.check(CL.clEnqueueReadBuffer(ctx.queue(), source, CL.CL_TRUE, 0, (long) length * Sizeof.cl_float,
          Pointer.to(f), 0, null, null), "clEnqueueReadBuffer(" + what + ")", ctx.deviceName);
      for (int k = 0; k < length; k++) {
        out[k] = f[k];
      }
    }
  }

  /** Reads {@code length} floats from {@code source} (float32 only). */
  void readFloats(cl_mem source, float[] out, int length, String what) {
    Cl.check(CL.clEnqueueReadBuffer(ctx.queue(), source, CL.CL_TRUE, 0, (long) length * Sizeof.cl_float,
        Pointer.to(out), 0, null, null), "clEnqueueReadBuffer(" + what + ")", ctx.deviceName);
  }

  /** Sets kernel argument {@code index} to a buffer. */
  void arg(org.jocl.cl_kernel k, int index, cl_mem m) {
    Cl.check(CL.clSetKernelArg(k, index, Sizeof.cl_mem, Pointer.to(m)), "clSetKernelArg", ctx.deviceName);
  }

  /** Sets kernel argument {@code index} to an int. */
  void arg(org.jocl.cl_kernel k, int index, int v) {
    Cl.check(CL.clSetKernelArg(k, index, Sizeof.cl_int, Pointer.to(new int[] {v})), "clSetKernelArg", ctx.deviceName);
  }

  /** Releases every buffer, last created first. */
  @Override
  public void close() {
    for (int i = created.size() - 1; i >= 0; i--) {
      CL.clReleaseMemObject(created.get(i));
    }
    created.clear();
  }
}
