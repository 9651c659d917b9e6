package io.github.ntk4j.examples;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** The README quotes QuickStart.java; this keeps the two identical and the example running. */
class ReadmeTest {
  private static String snippet() throws IOException {
    String src = Files.readString(Path.of("src/main/java/io/github/ntk4j/examples/QuickStart.java"));
    String body = src.substring(src.indexOf("// README-BEGIN\n") + 16, src.indexOf("    // README-END"));
    return Arrays.stream(body.split("\n")).map(l -> l.replaceFirst("^    ", "")).collect(Collectors.joining("\n"));
  }

  @Test
  void readmeQuotesTheCompiledExample() throws IOException {
    String readme = Files.readString(Path.of("..", "README.md"));
    String s = snippet();
    assertTrue(readme.contains(s), "README.md must contain the QuickStart snippet verbatim:\n" + s);
  }

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
