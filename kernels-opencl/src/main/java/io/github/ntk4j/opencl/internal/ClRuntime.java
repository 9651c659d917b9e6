package io.github.ntk4j.opencl.internal;

import static org.jocl.CL.CL_DEVICE_EXTENSIONS;
import static org.jocl.CL.CL_DEVICE_GLOBAL_MEM_SIZE;
import static org.jocl.CL.CL_DEVICE_MAX_COMPUTE_UNITS;
import static org.jocl.CL.CL_DEVICE_MAX_MEM_ALLOC_SIZE;
import static org.jocl.CL.CL_DEVICE_NAME;
import static org.jocl.CL.CL_DEVICE_NOT_FOUND;
import static org.jocl.CL.CL_DEVICE_TYPE;
import static org.jocl.CL.CL_DEVICE_TYPE_ACCELERATOR;
import static org.jocl.CL.CL_DEVICE_TYPE_ALL;
import static org.jocl.CL.CL_DEVICE_TYPE_CPU;
import static org.jocl.CL.CL_DEVICE_TYPE_GPU;
import static org.jocl.CL.CL_DEVICE_VERSION;
import static org.jocl.CL.CL_PLATFORM_NAME;
import static org.jocl.CL.CL_SUCCESS;

import io.github.ntk4j.opencl.DeviceInfo;
import io.github.ntk4j.opencl.OpenClException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.jocl.CL;
import org.jocl.Pointer;
import org.jocl.Sizeof;
import org.jocl.cl_device_id;
import org.jocl.cl_platform_id;

/**
 * The OpenCL installation of this machine, probed once per JVM.
 *
 * <p>Without an OpenCL library JOCL's class initializer throws {@link UnsatisfiedLinkError} once and
 * every later use throws {@link NoClassDefFoundError}; both are caught here and the first answer is
 * kept, so the reason stays the useful one.
 */
public final class ClRuntime {
  /** CL_PLATFORM_NOT_FOUND_KHR, returned by the ICD loader when no platform is installed. */
  static final int PLATFORM_NOT_FOUND_KHR = -1001;

  /** A device found by the probe, with its driver handles. */
  public record Found(DeviceInfo info, cl_platform_id platform, cl_device_id device) {}

  /**
   * What the probe found: devices, or the failure that says why there are none.
   *
   * @param devices the devices (empty on failure)
   * @param failure null when OpenCL is usable; else the exception to throw, with the OpenCL error
   *     code where there is one (e.g. CL_PLATFORM_NOT_FOUND_KHR)
   */
  public record Probe(List<Found> devices, OpenClException failure) {
    /** The devices' descriptions. */
    public List<DeviceInfo> infos() {
      return devices.stream().map(Found::info).toList();
    }

    /** Why OpenCL is unusable, or null. */
    public String unavailableReason() {
      return failure == null ? null : failure.getMessage().replaceFirst("^opencl: ", "");
    }
  }

  private static final class Holder {
    static final Probe PROBE = probe(ClRuntime::enumerate);
  }

  private ClRuntime() {}

  /** The answer of the one probe of this JVM. */
  public static Probe get() {
    return Holder.PROBE;
  }

  /**
   * Runs {@code enumerate}, turning every way OpenCL can be missing into a reason.
   *
   * @return the devices, or an empty list with the reason
   */
  static Probe probe(Callable<List<Found>> enumerate) {
    try {
      List<Found> found = enumerate.call();
      if (found.isEmpty()) {
        return failed("the OpenCL platforms report no devices", 0);
      }
      return new Probe(List.copyOf(found), null);
    } catch (LinkageError e) {
      return failed("the OpenCL library (libOpenCL.so) could not be loaded (" + e.getMessage() + "); on Debian or"
          + " Ubuntu install ocl-icd-opencl-dev and a driver, e.g. apt-get install ocl-icd-opencl-dev pocl-opencl-icd",
          0);
    } catch (OpenClException e) {
      return new Probe(List.of(), e);
    } catch (Exception e) {
      return failed("the OpenCL probe failed: " + e, 0);
    }
  }

  private static Probe failed(String reason, int code) {
    return new Probe(List.of(), new OpenClException("opencl: " + reason, code, code == 0 ? null : Cl.errorName(code), null));
  }

  private static List<Found> enumerate() {
    int[] count = new int[1];
    int rc = CL.clGetPlatformIDs(0, null, count);
    if (rc == PLATFORM_NOT_FOUND_KHR || (rc == CL_SUCCESS && count[0] == 0)) {
      throw new OpenClException(
          "opencl: no OpenCL platform is installed (" + Cl.errorName(rc) + "); install a driver, e.g. pocl-opencl-icd"
              + " for the CPU or the GPU vendor's OpenCL package", rc, Cl.errorName(rc), null);
    }
    Cl.check(rc, "clGetPlatformIDs", null);
    cl_platform_id[] platforms = new cl_platform_id[count[0]];
    Cl.check(CL.clGetPlatformIDs(platforms.length, platforms, null), "clGetPlatformIDs", null);
    List<Found> out = new ArrayList<>();
    for (cl_platform_id p : platforms) {
      String platformName = platformString(p, CL_PLATFORM_NAME);
      int[] n = new int[1];
      rc = CL.clGetDeviceIDs(p, CL_DEVICE_TYPE_ALL, 0, null, n);
      if (rc == CL_DEVICE_NOT_FOUND || n[0] == 0) {
        continue;
      }
      Cl.check(rc, "clGetDeviceIDs", null);
      cl_device_id[] devices = new cl_device_id[n[0]];
      Cl.check(CL.clGetDeviceIDs(p, CL_DEVICE_TYPE_ALL, devices.length, devices, null), "clGetDeviceIDs", null);
      for (cl_device_id d : devices) {
        long type = deviceLong(d, CL_DEVICE_TYPE);
        DeviceInfo.DeviceType t = (type & CL_DEVICE_TYPE_GPU) != 0 ? DeviceInfo.DeviceType.GPU
            : (type & CL_DEVICE_TYPE_ACCELERATOR) != 0 ? DeviceInfo.DeviceType.ACCELERATOR
            : (type & CL_DEVICE_TYPE_CPU) != 0 ? DeviceInfo.DeviceType.CPU
            : DeviceInfo.DeviceType.OTHER;
        boolean fp64 = (" " + deviceString(d, CL_DEVICE_EXTENSIONS) + " ").contains(" cl_khr_fp64 ");
        int[] units = new int[1];
        Cl.check(CL.clGetDeviceInfo(d, CL_DEVICE_MAX_COMPUTE_UNITS, Sizeof.cl_uint, Pointer.to(units), null),
            "clGetDeviceInfo", null);
        DeviceInfo info = new DeviceInfo(out.size(), platformName, deviceString(d, CL_DEVICE_NAME), t,
            deviceString(d, CL_DEVICE_VERSION), deviceLong(d, CL_DEVICE_GLOBAL_MEM_SIZE),
            deviceLong(d, CL_DEVICE_MAX_MEM_ALLOC_SIZE), units[0], fp64);
        out.add(new Found(info, p, d));
      }
    }
    return out;
  }

  private static String platformString(cl_platform_id p, int what) {
    long[] size = new long[1];
    Cl.check(CL.clGetPlatformInfo(p, what, 0, null, size), "clGetPlatformInfo", null);
    byte[] b = new byte[(int) size[0]];
    Cl.check(CL.clGetPlatformInfo(p, what, b.length, Pointer.to(b), null), "clGetPlatformInfo", null);
    return text(b);
  }

  private static String deviceString(cl_device_id d, int what) {
    long[] size = new long[1];
    Cl.check(CL.clGetDeviceInfo(d, what, 0, null, size), "clGetDeviceInfo", null);
    byte[] b = new byte[(int) size[0]];
    Cl.check(CL.clGetDeviceInfo(d, what, b.length, Pointer.to(b), null), "clGetDeviceInfo", null);
    return text(b);
  }

  private static long deviceLong(cl_device_id d, int what) {
    long[] v = new long[1];
    Cl.check(CL.clGetDeviceInfo(d, what, Sizeof.cl_ulong, Pointer.to(v), null), "clGetDeviceInfo", null);
    return v[0];
  }

  private static String text(byte[] b) {
    int n = b.length;
    while (n > 0 && b[n - 1] == 0) {
      n--;
    }
    return new String(b, 0, n, StandardCharsets.UTF_8).trim();
  }
}
