package io.github.ntk4j;

/** Where a kernel is computed. */
public enum Backend {
  /** OpenCL when a usable device is installed and found, the CPU otherwise. */
  AUTO,
  /** The multithreaded pure-Java CPU backend of kernels-core. */
  CPU,
  /** An OpenCL device through the kernels-opencl module; fails clearly when none is usable. */
  OPENCL
}
