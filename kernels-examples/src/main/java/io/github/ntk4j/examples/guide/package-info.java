/**
 * Example code that the documentation quotes: each region between {@code // snippet:NAME} and
 * {@code // end-snippet} appears verbatim in a page under {@code docs/} (or the README), and a test
 * compiles and runs it, so that what the pages show is code that works.
 */
package io.github.ntk4j.examples.guide;
