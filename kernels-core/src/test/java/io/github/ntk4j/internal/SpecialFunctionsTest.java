package io.github.ntk4j.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** erf against 30-digit mpmath values, on both sides of the switch from series to continued fraction. */
class SpecialFunctionsTest {
  @ParameterizedTest
  @CsvSource({
    "1e-8, 1.1283791670955125363e-8",
    "0.1, 0.1124629160182848922",
    "0.5, 0.52049987781304653768",
    "1, 0.84270079294971486934",
    "1.7, 0.98379045859077456363",
    "2.4999, 0.99959283009966654908",
    "2.5, 0.99959304798255504106",
    "3, 0.99997790950300141456",
    "4.2, 0.99999999714450582041",
    "5.5, 0.99999999999999264215",
    "5.99, 0.9999999999999999757",
  })
  void erfMatchesReferenceValuesAndIsOdd(double x, double expected) {
    assertEquals(expected, SpecialFunctions.erf(x), 4 * Math.ulp(expected), "erf(" + x + ")");
    assertEquals(-expected, SpecialFunctions.erf(-x), 4 * Math.ulp(expected), "erf(-" + x + ")");
  }
}
