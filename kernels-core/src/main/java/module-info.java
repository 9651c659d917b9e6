/**
 * Exact kernels of infinitely wide neural networks: the NNGP and the neural tangent kernel (NTK)
 * of composable layer stacks, computed on the CPU.
 *
 * <p>Start with {@link io.github.ntk4j.Kernels}; architectures are built with
 * {@link io.github.ntk4j.layers.Layers} or parsed from strings with
 * {@link io.github.ntk4j.layers.Architectures#parse(String)}; predictions of trained infinite
 * networks are in {@link io.github.ntk4j.predict.InfiniteEnsemble}.
 */
module io.github.ntk4j.core {
  requires org.slf4j;
  requires ejml.core;
  requires ejml.ddense;
  requires dev.ludovic.netlib.lapack;
  requires dev.ludovic.netlib.blas;
  requires arpack.combined.all;
  requires java.logging;

  exports io.github.ntk4j;
  exports io.github.ntk4j.layers;
  exports io.github.ntk4j.io;
  exports io.github.ntk4j.predict;
  exports io.github.ntk4j.empirical;
  exports io.github.ntk4j.testing;
  exports io.github.ntk4j.adaptive;
  exports io.github.ntk4j.featurelearning;
  exports io.github.ntk4j.spi;
  // The OpenCL backend reuses the chain compiler, input scaling and CPU engine.
  exports io.github.ntk4j.internal to io.github.ntk4j.opencl;

  uses io.github.ntk4j.spi.KernelBackend;
}
