/**
 * Infinite-width limits that keep feature learning (shared/math/feature-learning.md), next to the
 * NNGP and NTK limits whose features are frozen:
 *
 * <ul>
 *   <li>{@link io.github.ntk4j.featurelearning.MuPLinear}: the μP limit of a linear one-hidden-layer
 *       network trained by SGD (Tensor Programs IV, arXiv 2011.14522), with finite networks of the
 *       same parameterization;
 *   <li>{@link io.github.ntk4j.featurelearning.KernelSgd}: the frozen-feature baseline, an NNGP or NTK
 *       trained by the same SGD in function space;
 *   <li>{@link io.github.ntk4j.featurelearning.DeepLinearAnbk}: the adaptive Bayesian kernel of a deep
 *       linear network, exact (arXiv 2502.07998);
 *   <li>{@link io.github.ntk4j.featurelearning.TwoLayerAnbk}: the adaptive Bayesian kernel of a
 *       nonlinear one-hidden-layer network, by importance sampling;
 *   <li>{@link io.github.ntk4j.featurelearning.AdaptiveNtk}: the adaptive NTK of a two-layer network
 *       trained with weight decay, and its stationary kernel predictor;
 *   <li>{@link io.github.ntk4j.featurelearning.LinearBottleneck}: infinitely wide linear networks
 *       joined by a finite bottleneck (arXiv 2107.00364).
 * </ul>
 */
package io.github.ntk4j.featurelearning;
