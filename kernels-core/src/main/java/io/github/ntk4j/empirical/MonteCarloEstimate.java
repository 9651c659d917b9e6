package io.github.ntk4j.empirical;

import io.github.ntk4j.Matrix;

/**
 * Monte Carlo averages of the empirical NNGP and NTK over independently sampled finite networks,
 * with the standard error of each entry (sample standard deviation over networks / √networks).
 *
 * @param nngp mean empirical NNGP, n1×n2
 * @param ntk mean empirical NTK (of output unit 0), n1×n2
 * @param nngpStandardError standard error of each NNGP entry
 * @param ntkStandardError standard error of each NTK entry
 * @param networks the number of networks averaged
 * @param width the hidden width
 */
public record MonteCarloEstimate(
    Matrix nngp, Matrix ntk, Matrix nngpStandardError, Matrix ntkStandardError, int networks, int width) {}
