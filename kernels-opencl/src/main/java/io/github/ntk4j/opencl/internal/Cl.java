package io.github.ntk4j.opencl.internal;

import io.github.ntk4j.opencl.OpenClException;
import org.jocl.CL;

/** Error handling for JOCL calls, which return OpenCL status codes (exceptions stay disabled). */
final class Cl {
  private Cl() {}

  /** The name of an OpenCL status code, e.g. {@code CL_OUT_OF_RESOURCES}. */
  static String errorName(int code) {
    if (code == ClRuntime.PLATFORM_NOT_FOUND_KHR) {
      return "CL_PLATFORM_NOT_FOUND_KHR";
    }
    return CL.stringFor_errorCode(code);
  }

  /**
   * Throws {@link OpenClException} unless {@code code} is CL_SUCCESS.
   *
   * @param call the OpenCL function, for the message
   * @param device the device's name, or null
   */
  static void check(int code, String call, String device) {
    if (code != CL.CL_SUCCESS) {
      throw failure(code, call, device, "");
    }
  }

  /** The exception for a failed call, with advice for the codes that have some. */
  static OpenClException failure(int code, String call, String device, String detail) {
    String name = errorName(code);
    String advice = switch (code) {
      case CL.CL_MEM_OBJECT_ALLOCATION_FAILURE, CL.CL_OUT_OF_RESOURCES, CL.CL_OUT_OF_HOST_MEMORY,
          CL.CL_INVALID_BUFFER_SIZE -> "; the device ran out of memory: use a smaller tile or the cpu backend";
      default -> "";
    };
    return new OpenClException(
        "opencl: " + call + " failed with " + name + " (" + code + ")" + (device == null ? "" : " on " + device)
            + detail + advice, code, name, device);
  }
}
