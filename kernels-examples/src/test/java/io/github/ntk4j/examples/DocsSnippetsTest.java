package io.github.ntk4j.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Code in the documentation is quoted from compiled sources: every {@code ```java} block in
 * README.md and docs/*.md follows a marker {@code <!-- snippet: PATH#NAME -->} and equals the
 * region between {@code // snippet:NAME} and {@code // end-snippet} of that source file (common
 * indentation removed), and every region is quoted somewhere. The sources are compiled by the build
 * and run by {@link GuideTest}, {@link ReadmeTest} and {@link MyKernelPropertiesTest}.
 */
class DocsSnippetsTest {
  static final Path ROOT = Path.of("..");
  private static final Pattern MARKER = Pattern.compile("<!-- snippet: (\\S+)#(\\S+) -->");

  record Quote(Path page, int line, String source, String name, String code) {}

  static List<Path> pages() {
    try (Stream<Path> docs = Files.list(ROOT.resolve("docs"))) {
      List<Path> out = docs.filter(p -> p.toString().endsWith(".md")).sorted().collect(Collectors.toList());
      out.add(ROOT.resolve("README.md"));
      return out;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static List<Quote> quotes(Path page) throws IOException {
    List<String> lines = Files.readAllLines(page);
    List<Quote> out = new ArrayList<>();
    for (int i = 0; i < lines.size(); i++) {
      String l = lines.get(i);
      if (!l.startsWith("```java")) {
        continue;
      }
      int marker = i - 1;
      while (marker >= 0 && lines.get(marker).isBlank()) {
        marker--;
      }
      Matcher m = marker >= 0 ? MARKER.matcher(lines.get(marker).trim()) : null;
      assertTrue(m != null && m.matches(), page + ":" + (i + 1) + ": a java block without a <!-- snippet: PATH#NAME --> marker above it");
      int end = i + 1;
      while (end < lines.size() && !lines.get(end).startsWith("```")) {
        end++;
      }
      out.add(new Quote(page, i + 1, m.group(1), m.group(2), String.join("\n", lines.subList(i + 1, end))));
      i = end;
    }
    return out;
  }

  /** The region NAME of a source file, without its common indentation. */
  static String region(Path source, String name) throws IOException {
    List<String> lines = Files.readAllLines(source);
    int start = -1;
    for (int i = 0; i < lines.size(); i++) {
      if (lines.get(i).trim().equals("// snippet:" + name)) {
        start = i + 1;
        break;
      }
    }
    assertTrue(start > 0, source + " has no '// snippet:" + name + "'");
    int end = start;
    while (end < lines.size() && !lines.get(end).trim().equals("// end-snippet")) {
      end++;
    }
    assertTrue(end < lines.size(), source + ": snippet " + name + " has no '// end-snippet'");
    List<String> body = lines.subList(start, end);
    int indent = body.stream().filter(l -> !l.isBlank()).mapToInt(l -> l.length() - l.stripLeading().length()).min().orElse(0);
    return body.stream().map(l -> l.isBlank() ? "" : l.substring(indent)).collect(Collectors.joining("\n"));
  }

  @Test
  void everyJavaBlockInTheDocsIsAQuotedCompiledRegion() throws IOException {
    int count = 0;
    for (Path page : pages()) {
      for (Quote q : quotes(page)) {
        Path source = ROOT.resolve(q.source());
        assertTrue(Files.isRegularFile(source), q.page() + ":" + q.line() + ": no such source " + q.source());
        String expected = region(source, q.name());
        assertEquals(expected, q.code(), q.page() + ":" + q.line() + " must quote " + q.source() + "#" + q.name() + " verbatim");
        count++;
      }
    }
    assertTrue(count >= 6, "expected the guides' quotes, found " + count);
  }

  @Test
  void everyRegionIsQuotedSomewhere() throws IOException {
    Set<String> quoted = new HashSet<>();
    for (Path page : pages()) {
      for (Quote q : quotes(page)) {
        quoted.add(Path.of(q.source()).normalize() + "#" + q.name());
      }
    }
    List<String> orphans = new ArrayList<>();
    try (Stream<Path> files = Files.walk(Path.of("src"))) {
      for (Path f : files.filter(p -> p.toString().endsWith(".java")).collect(Collectors.toList())) {
        for (String l : Files.readAllLines(f)) {
          if (l.trim().startsWith("// snippet:")) {
            String key = Path.of("kernels-examples").resolve(f).normalize() + "#" + l.trim().substring("// snippet:".length());
            if (!quoted.contains(key)) {
              orphans.add(key);
            }
          }
        }
      }
    }
    assertFalse(quoted.isEmpty());
    assertEquals(List.of(), orphans, "regions that no page quotes");
  }
}
