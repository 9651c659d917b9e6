package io.github.ntk4j.opencl;

import io.github.ntk4j.BackendUnavailableException;
import java.util.Optional;

/**
 * An OpenCL call failed, or OpenCL cannot be used here. The message names the device and the
 * OpenCL error; {@link #errorCode()} keeps the error code (e.g. −4,
 * {@code CL_MEM_OBJECT_ALLOCATION_FAILURE}) and {@link #device()} the device's name.
 *
 * <p>With {@link io.github.ntk4j.Backend#AUTO}, ntk4j catches it and computes on the CPU; with
 * {@link io.github.ntk4j.Backend#OPENCL} it reaches the caller (the CLI prints it on one line and
 * exits with status 2).
 */
public final class OpenClException extends BackendUnavailableException {
  private static final long serialVersionUID = 1L;

  /** The OpenCL error code, 0 when none. */
  private final int errorCode;
  /** The name of the error code, or null. */
  private final String errorName;
  /** The device involved, or null. */
  private final String device;

  /**
   * An exception for a failed OpenCL call.
   *
   * @param message what was being done and what to do about it
   * @param errorCode the OpenCL error code, or 0 when the failure has none
   * @param errorName the code's name, e.g. {@code CL_OUT_OF_RESOURCES}, or null
   * @param device the device's name, or null when no device was involved
   */
  public OpenClException(String message, int errorCode, String errorName, String device) {
    super(message);
    this.errorCode = errorCode;
    this.errorName = errorName;
    this.device = device;
  }

  /**
   * The OpenCL error code, 0 when the failure has none (e.g. no OpenCL library).
   *
   * @return the code, e.g. -5 for {@code CL_OUT_OF_RESOURCES}
   */
  public int errorCode() {
    return errorCode;
  }

  /**
   * The name of the error code, e.g. {@code CL_BUILD_PROGRAM_FAILURE}, when there is one.
   *
   * @return the name, or empty
   */
  public Optional<String> errorName() {
    return Optional.ofNullable(errorName);
  }

  /**
   * The name of the device involved, when one was.
   *
   * @return the device name, or empty
   */
  public Optional<String> device() {
    return Optional.ofNullable(device);
  }
}
