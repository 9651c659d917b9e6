package io.github.ntk4j.opencl;

import java.util.Objects;

/**
 * One OpenCL device as the driver describes it.
 *
 * @param index position in {@link OpenCl#devices()} (platforms in driver order, then devices)
 * @param platform the platform's name, e.g. {@code Portable Computing Language}
 * @param name the device's name
 * @param type GPU, CPU, accelerator or other
 * @param version the device's OpenCL version string
 * @param globalMemoryBytes global memory
 * @param maxAllocationBytes the largest single buffer
 * @param computeUnits parallel compute units
 * @param fp64 whether the device supports double precision ({@code cl_khr_fp64})
 */
public record DeviceInfo(
    int index,
    String platform,
    String name,
    DeviceType type,
    String version,
    long globalMemoryBytes,
    long maxAllocationBytes,
    int computeUnits,
    boolean fp64) {

  /** The kinds of OpenCL device. */
  public enum DeviceType {
    /** A graphics processor. */
    GPU,
    /** An accelerator (e.g. an FPGA or a dedicated compute card). */
    ACCELERATOR,
    /** A CPU, e.g. through PoCL. */
    CPU,
    /** Anything else the driver reports. */
    OTHER
  }

  /**
   * Validates the fields.
   *
   * @param index position in {@link OpenCl#devices()} (platforms in driver order, then devices)
   * @param platform the platform's name, e.g. {@code Portable Computing Language}
   * @param name the device's name
   * @param type GPU, CPU, accelerator or other
   * @param version the device's OpenCL version string
   * @param globalMemoryBytes global memory
   * @param maxAllocationBytes the largest single buffer
   * @param computeUnits parallel compute units
   * @param fp64 whether the device supports double precision ({@code cl_khr_fp64})
   * @throws IllegalArgumentException when a value is out of its range, naming it
   */
  public DeviceInfo {
    Objects.requireNonNull(platform, "platform");
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(version, "version");
  }

  /** One line: index, name, type, platform, memory and precision. */
  @Override
  public String toString() {
    return String.format(
        "#%d %s (%s, %s; %s; %.1f GB memory, %.1f GB per buffer, %d compute units, %s)",
        index, name, type, platform, version, globalMemoryBytes / 1e9, maxAllocationBytes / 1e9, computeUnits,
        fp64 ? "fp64" : "no fp64: float32 only");
  }
}
