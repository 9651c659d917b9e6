package io.github.ntk4j.layers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class ArchitecturesTest {
  @Test
  void readsPositionalAndNamedArguments() {
    assertEquals(Layers.dense(1.5, 0), Architectures.parse("dense(1.5)"));
    assertEquals(Layers.dense(1.5, 0.1), Architectures.parse("dense(weightStd=1.5, biasStd=0.1)"));
    assertEquals(Layers.dense(1.5, 0.1), Architectures.parse("dense(1.5, biasStd=0.1)"));
    assertEquals(new AbRelu(-0.5, 2), Architectures.parse("abrelu(b=2, a=-0.5)"));
    assertEquals(new Erf(1, 1, 0), Architectures.parse("erf()"));
    assertEquals(new Erf(2, 0.5, -1), Architectures.parse("erf(2, 0.5, c=-1)"));
    assertEquals(new Relu(), Architectures.parse("ReLU()"));
    assertEquals(
        Layers.serial(Layers.dense(1e-3, 2.5e2), new Relu()),
        Architectures.parse(" serial ( dense( 1e-3 ,2.5E+2 ),\n\trelu ( ) ) "));
  }

  @Test
  void readsTheStandardParameterization() {
    Dense d = (Dense) Architectures.parse("dense(1.4, 0.3, parameterization=standard, width=512)");
    assertEquals(Parameterization.STANDARD, d.parameterization());
    assertEquals(512, d.width());
    assertTrue(d.trainableBias());
    Dense zeroBias = (Dense) Architectures.parse("dense(1.4, 0, parameterization=standard, bias=true)");
    assertTrue(zeroBias.trainableBias());
    assertEquals("dense(1.4, 0, parameterization=standard, bias=true)", zeroBias.toString());
    Dense none = (Dense) Architectures.parse("dense(1.4, parameterization=standard)");
    assertEquals(false, none.trainableBias());
    // In the NTK parameterization a bias of std 0 makes no difference, so the values are equal.
    assertEquals(Architectures.parse("dense(2, 0, bias=true)"), Architectures.parse("dense(2)"));
  }

  @Test
  void canonicalStringsAreShortAndExact() {
    assertEquals("serial(dense(1.5, 0.1), relu(), dense(2, 0))",
        Layers.serial(Layers.dense(1.5, 0.1), Layers.relu(), Layers.dense(2)).toString());
    double awkward = 0.1 + 0.2;
    Layer l = Layers.dense(awkward, 1e-300);
    assertEquals(l, Architectures.parse(l.toString()));
    assertEquals("erf(0.5, 0.4163, 0.5)", new Erf(0.5, 0.4163, 0.5).toString());
    // relu() and abrelu(0, 1) have equal kernels but are different layers
    assertNotEquals(new Relu(), Architectures.parse("abrelu(0, 1)"));
    assertEquals(List.of(Layers.dense(1), Layers.relu()), ((Serial) Architectures.parse("serial(dense(1),relu())")).layers());
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "''|empty",
        "dense|expected '('",
        "dense(1.5|expected ')'",
        "dense(1.5))|unexpected ')'",
        "dense()|missing argument 'weightStd'",
        "dense(-1)|weightStd must be a finite number >= 0",
        "dense(1, -0.5)|biasStd must be a finite number >= 0",
        "dense(nan)|weightStd must be a decimal number",
        "dense(inf)|weightStd must be a decimal number",
        "dense(0x10)|weightStd must be a decimal number",
        "dense(1.5d)|weightStd must be a decimal number",
        "dense(1, 2, 3)|parameterization must be one of ntk|standard",
        "dense(1, width=-3)|width must be a whole number >= 0",
        "dense(1, 0.5, parameterization=standard, bias=false)|contradicts biasStd",
        "dense(1, foo=2)|unknown argument 'foo'",
        "dense(1, weightStd=2)|given both by position and by name",
        "dense(weightStd=1, 2)|positional argument '2' after a named one",
        "relu(1)|too many arguments",
        "abrelu(1)|missing argument 'b'",
        "softmax()|unknown layer 'softmax'",
        "serial()|serial() needs at least one layer",
        "serial(dense(1),,relu())|expected a layer name",
        "serial(dense(1) relu())|expected ')'",
        "dense(1)relu()|unexpected 'relu()'",
      })
  void rejectsMalformedStringsWithAClearMessage(String spec, String expected) {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Architectures.parse(spec));
    assertTrue(e.getMessage().contains(expected), () -> "message '" + e.getMessage() + "' lacks '" + expected + "'");
    assertTrue(e.getMessage().startsWith("architecture:"), e.getMessage());
  }

  @ParameterizedTest
  @ValueSource(strings = {"serial(dense(1), relu(1))", "serial(dense(1), abrelu(0))"})
  void errorsPointAtTheOffendingLayer(String spec) {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Architectures.parse(spec));
    assertTrue(e.getMessage().contains("at character 17"), e.getMessage());
  }

  @Test
  void layersValidateTheirParameters() {
    assertThrows(IllegalArgumentException.class, () -> new AbRelu(Double.NaN, 1));
    assertThrows(IllegalArgumentException.class, () -> new Erf(1, Double.POSITIVE_INFINITY, 0));
    assertThrows(IllegalArgumentException.class, () -> new Serial(List.of()));
    assertThrows(IllegalArgumentException.class, () -> new Dense(1, 0, Parameterization.NTK, -1, false));
    assertEquals(0.0, Layers.dense(-0.0).weightStd(), 0.0);
    assertEquals(Layers.dense(0.0), Layers.dense(-0.0));
  }
}
