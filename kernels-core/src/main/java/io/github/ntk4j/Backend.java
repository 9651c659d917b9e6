package io.github.ntk4j;

/** Where a kernel is computed. */
public enum Backend {
  /**
   * OpenCL when the kernels-opencl module is installed and finds a usable device, the CPU otherwise;
   * also the CPU, with one INFO log line, when the device fails. Note that an OpenCL CPU device
   * (PoCL) counts as usable, and on a CPU the pure-Java backend is often faster: see
   * docs/backends.md.
   */
  AUTO,
  /** The multithreaded pure-Java CPU backend of kernels-core. */
  CPU,
  /** An OpenCL device through the kernels-opencl module; fails clearly when none is usable. */
  OPENCL
}
