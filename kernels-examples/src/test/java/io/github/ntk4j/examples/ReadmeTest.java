package io.github.ntk4j.examples;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The README quotes QuickStart.java (DocsSnippetsTest keeps the two identical); this runs it. */
class ReadmeTest {
  @Test
  void theExampleRuns() {
    PrintStream old = System.out;
    ByteArrayOutputStream buf = new ByteArrayOutputStream();
    System.setOut(new PrintStream(buf, true, StandardCharsets.UTF_8));
    try {
      QuickStart.main(new String[0]);
    } finally {
      System.setOut(old);
    }
    String out = buf.toString(StandardCharsets.UTF_8);
    assertTrue(out.contains("NTK  Matrix[3x2"), out);
    assertTrue(out.contains("ntk(x_0, y_1) = "), out);
  }
}
