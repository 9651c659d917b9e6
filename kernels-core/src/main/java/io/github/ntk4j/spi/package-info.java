/**
 * The service-provider interface through which optional modules (kernels-opencl) add kernel
 * backends. Library users do not need it: they pick a backend with {@link
 * io.github.ntk4j.ComputeOptions#withBackend}.
 */
package io.github.ntk4j.spi;
