/**
 * Infinite-width limits that keep feature learning (shared/math/feature-learning.md), next to the
 * NNGP and NTK limits whose features are frozen: so far the μP limit of a linear one-hidden-layer
 * network ({@link io.github.ntk4j.featurelearning.MuPLinear}, Tensor Programs IV, arXiv 2011.14522).
 */
package io.github.ntk4j.featurelearning;
