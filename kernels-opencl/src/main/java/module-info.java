/**
 * The OpenCL backend of ntk4j. This release reserves the module (a descriptor and no classes); the
 * backend itself arrives with the OpenCL work, and until then {@code Backend.OPENCL} reports that no
 * backend is available.
 */
module io.github.ntk4j.opencl {
  requires io.github.ntk4j.core;
}
