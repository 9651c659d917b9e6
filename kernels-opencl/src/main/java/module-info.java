/**
 * The OpenCL backend of ntk4j: NNGP and NTK Gram matrices on GPUs and other OpenCL devices through
 * JOCL. It provides {@link io.github.ntk4j.spi.KernelBackend}, so adding the dependency is enough.
 */
module io.github.ntk4j.opencl {
  requires transitive io.github.ntk4j.core;
  requires jocl;
  requires org.slf4j;

  exports io.github.ntk4j.opencl;

  provides io.github.ntk4j.spi.KernelBackend with io.github.ntk4j.opencl.internal.OpenClBackend;
}
