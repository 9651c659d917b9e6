package io.github.ntk4j.internal;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;

/** The library's version, read once from the resource written at build time. */
public final class Versions {
  private static final String LIBRARY = load();

  private Versions() {}

  private static String load() {
    try (InputStream in = Versions.class.getResourceAsStream("/io/github/ntk4j/ntk4j.properties")) {
      if (in == null) {
        return "unknown";
      }
      Properties p = new Properties();
      p.load(in);
      return p.getProperty("version", "unknown");
    } catch (IOException e) {
      return "unknown";
    }
  }

  /** The ntk4j version, e.g. {@code 0.1.0}. */
  public static String library() {
    return LIBRARY;
  }
}
