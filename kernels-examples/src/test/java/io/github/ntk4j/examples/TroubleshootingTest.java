package io.github.ntk4j.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * docs/troubleshooting.md lists every error the command line prints: a catalogue of bad invocations
 * runs here, and each message must match a documented row (placeholders such as PATH, N or ...
 * match anything).
 */
class TroubleshootingTest {
  @TempDir Path dir;

  /** One regular expression per backticked message fragment in the first column of the tables. */
  static List<Pattern> documented() throws IOException {
    List<Pattern> out = new ArrayList<>();
    for (String line : Files.readAllLines(Path.of("..", "docs", "troubleshooting.md"))) {
      if (line.startsWith("## In Java")) {
        break; // the command line's table ends here
      }
      if (!line.startsWith("| `")) {
        continue;
      }
      String first = line.substring(1, line.indexOf(" |", 2));
      Matcher m = Pattern.compile("`([^`]+)`").matcher(first);
      while (m.find()) {
        // A fragment must say something: at least 6 characters that are not placeholders.
        String literal = m.group(1).replaceAll("\\.\\.\\.|\\b[A-Z]+(x[A-Z]+)?\\b", "");
        assertTrue(literal.replaceAll("\\s", "").length() >= 6, "too vague to document a message: " + m.group(1));
        out.add(toRegex(m.group(1)));
      }
    }
    return out;
  }

  private static Pattern toRegex(String fragment) {
    StringBuilder re = new StringBuilder();
    Matcher token = Pattern.compile(" ?\\.\\.\\. ?|[A-Za-z0-9_]+|.").matcher(fragment);
    while (token.find()) {
      String t = token.group();
      if (t.trim().equals("...") || t.matches("[A-Z]+(x[A-Z]+)?")) {
        re.append(".*?"); // a placeholder: PATH, N, X, NxN, DIR, ...
      } else {
        re.append(Pattern.quote(t));
      }
    }
    return Pattern.compile(re.toString());
  }

  @Test
  void everyMessageOfTheCatalogueIsDocumented() throws IOException {
    Path csv = Files.writeString(dir.resolve("x.csv"), "1,2,3\n0,1,-1\n2,0,1\n");
    Path wide = Files.writeString(dir.resolve("wide.csv"), "1,2,3,4\n");
    Path dup = Files.writeString(dir.resolve("dup.csv"), "1,2,3\n0,1,0\n1,2,3\n");
    Path y3 = Files.writeString(dir.resolve("y3.csv"), "1\n2\n3\n");
    Path y2 = Files.writeString(dir.resolve("y2.csv"), "1\n2\n");
    Path ragged = Files.writeString(dir.resolve("ragged.csv"), "1,2\n3\n");
    Path nan = Files.writeString(dir.resolve("nan.csv"), "1,nan\n");
    Path text = Files.writeString(dir.resolve("text.csv"), "1,0x1F\n");
    Path badNpy = Files.write(dir.resolve("bad.npy"), new byte[] {1, 2, 3, 4, 5, 6, 7, 8, 9, 10});
    Path idx = Files.createDirectory(dir.resolve("idx"));
    IdxFiles.write(idx, "train", 50, new SplittableRandom(1), false);
    IdxFiles.write(idx, "t10k", 20, new SplittableRandom(2), false);
    Path out = dir.resolve("out.npy");
    String relu = "serial(dense(1.5,0.05),relu(),dense(1.5,0.05))";
    String[][] catalogue = {
      {"frobnicate"},
      {"kernel", "--bogus", "1"},
      {"kernel", "--arch", relu},
      {"kernel", "--arch", relu, "--x1", csv.toString(), "--get", "both", "--out", out.toString()},
      {"kernel", "--arch", relu, "--x1", csv.toString(), "--get", "ntk", "--out", out.toString(), "--threads", "0"},
      {"kernel", "--arch", "serial(dense(1.5),relu())", "--x1", csv.toString(), "--get", "sign-ntk", "--out", out.toString()},
      {"kernel", "--arch", "serial(dense(1.5),gelu(),dense(1))", "--x1", csv.toString(), "--get", "sign-ntk", "--out", out.toString()},
      {"kernel", "--arch", "serial(dense(1.5,parameterization=standard,width=4),relu(),dense(1,parameterization=standard))",
        "--x1", csv.toString(), "--get", "sign-ntk", "--out", out.toString()},
      {"kernel", "--arch", "serial(dense(1.5", "--x1", csv.toString(), "--get", "ntk", "--out", out.toString()},
      {"kernel", "--arch", "serial(relu(),dense(1.5))", "--x1", csv.toString(), "--get", "ntk", "--out", out.toString()},
      {"kernel", "--arch", "serial(dense(1.5,parameterization=standard),relu(),dense(1,parameterization=standard))",
        "--x1", csv.toString(), "--get", "ntk", "--out", out.toString()},
      {"kernel", "--arch", relu, "--x1", dir.resolve("missing.csv").toString(), "--get", "ntk", "--out", out.toString()},
      {"kernel", "--arch", relu, "--x1", ragged.toString(), "--get", "ntk", "--out", out.toString()},
      {"kernel", "--arch", relu, "--x1", nan.toString(), "--get", "ntk", "--out", out.toString()},
      {"kernel", "--arch", relu, "--x1", text.toString(), "--get", "ntk", "--out", out.toString()},
      {"kernel", "--arch", relu, "--x1", badNpy.toString(), "--get", "ntk", "--out", out.toString()},
      {"kernel", "--arch", relu, "--x1", csv.toString(), "--x2", wide.toString(), "--get", "ntk", "--out", out.toString()},
      {"kernel", "--arch", relu, "--x1", csv.toString(), "--get", "ntk", "--out", dir.resolve("k.txt").toString()},
      {"predict", "--arch", relu, "--train-x", csv.toString(), "--train-y", y2.toString(), "--test-x", csv.toString(), "--out", out.toString()},
      {"predict", "--arch", relu, "--train-x", csv.toString(), "--train-y", y3.toString(), "--test-x", wide.toString(), "--out", out.toString()},
      {"predict", "--arch", relu, "--train-x", csv.toString(), "--train-y", y3.toString(), "--test-x", csv.toString(), "--out", out.toString(), "--time", "-1"},
      {"predict", "--arch", relu, "--train-x", dup.toString(), "--train-y", y3.toString(), "--test-x", csv.toString(), "--out", out.toString()},
      {"adaptive", "--plot", dir.resolve("plot.png").toString()},
      {"adaptive", "--fashion-mnist", dir.resolve("nowhere").toString()},
      {"fashion-mnist", "--dir", dir.resolve("nowhere").toString()},
      {"fashion-mnist", "--dir", idx.toString(), "--train", "40", "--validation", "20"},
      {"fashion-mnist", "--dir", idx.toString(), "--train", "30", "--validation", "10", "--sizes", "5"},
      {"fashion-mnist", "--dir", idx.toString(), "--train", "30", "--validation", "10", "--plot-dir", csv.toString()},
      {"fashion-mnist", "--dir", idx.toString(), "--train", "30", "--validation", "10", "--curve-size", "40"},
    };
    List<Pattern> rows = documented();
    assertTrue(rows.size() > 30, "rows found: " + rows.size());
    List<String> undocumented = new ArrayList<>();
    for (String[] args : catalogue) {
      CliRun r = CliRun.of(args);
      assertTrue(r.status() == 1 || r.status() == 2, String.join(" ", args) + " gave status " + r.status());
      assertEquals(1, r.err().strip().lines().count(), r.err());
      String message = r.err().strip().replaceFirst("^ntk4j: error: ", "");
      if (rows.stream().noneMatch(p -> p.matcher(message).find())) {
        undocumented.add(message);
      }
    }
    assertEquals(List.of(), undocumented, "messages without a row in docs/troubleshooting.md");
  }
}
