/**
 * The OpenCL backend of ntk4j: kernels on GPUs and other OpenCL devices (and on CPUs through
 * PoCL). Adding the kernels-opencl dependency is enough for {@code Backend.OPENCL} and for {@code
 * Backend.AUTO} to use a GPU; {@link io.github.ntk4j.opencl.OpenClContext} chooses a device
 * explicitly, and {@link io.github.ntk4j.opencl.OpenCl} lists what the machine has.
 */
package io.github.ntk4j.opencl;
