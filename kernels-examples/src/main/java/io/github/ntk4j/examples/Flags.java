package io.github.ntk4j.examples;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/** Parsed {@code --name value} / {@code --name=value} flags of one command, checked against a known set. */
final class Flags {
  private final String command;
  private final Map<String, String> values = new LinkedHashMap<>();

  private Flags(String command) {
    this.command = command;
  }

  /**
   * Parses {@code args} (the command itself excluded).
   *
   * @param valued flags that take a value
   * @param switches flags without a value
   */
  static Flags parse(String command, String[] args, Set<String> valued, Set<String> switches) {
    Flags f = new Flags(command);
    for (int i = 0; i < args.length; i++) {
      String a = args[i];
      if (!a.startsWith("--")) {
        throw new UsageException(command + ": unexpected argument '" + a + "'; flags start with --");
      }
      String name = a.substring(2);
      String value = null;
      int eq = name.indexOf('=');
      if (eq >= 0) {
        value = name.substring(eq + 1);
        name = name.substring(0, eq);
      }
      if (switches.contains(name)) {
        if (value != null) {
          throw new UsageException(command + ": --" + name + " takes no value");
        }
        value = "true";
      } else if (valued.contains(name)) {
        if (value == null) {
          if (i + 1 >= args.length) {
            throw new UsageException(command + ": --" + name + " needs a value");
          }
          value = args[++i];
        }
      } else {
        throw new UsageException(command + ": unknown flag --" + name + " (see ntk4j " + command + " --help)");
      }
      if (f.values.put(name, value) != null) {
        throw new UsageException(command + ": --" + name + " given twice");
      }
    }
    return f;
  }

  boolean has(String name) {
    return values.containsKey(name);
  }

  String get(String name, String fallback) {
    return values.getOrDefault(name, fallback);
  }

  String require(String name) {
    String v = values.get(name);
    if (v == null) {
      throw new UsageException(command + ": missing required flag --" + name);
    }
    if (v.isBlank()) {
      throw new UsageException(command + ": --" + name + " must not be empty");
    }
    return v;
  }

  String choice(String name, String fallback, String... allowed) {
    String v = get(name, fallback).toLowerCase(Locale.ROOT);
    for (String a : allowed) {
      if (a.equals(v)) {
        return a;
      }
    }
    throw new UsageException(
        command + ": --" + name + " must be one of " + String.join("|", allowed) + ", got '" + get(name, fallback) + "'");
  }

  int positiveInt(String name, int fallback) {
    String v = values.get(name);
    if (v == null) {
      return fallback;
    }
    try {
      int n = Integer.parseInt(v.trim());
      if (n >= 1) {
        return n;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw new UsageException(command + ": --" + name + " must be a whole number >= 1, got '" + v + "'");
  }

  double finiteNumber(String name, double fallback) {
    String v = values.get(name);
    if (v == null) {
      return fallback;
    }
    try {
      double d = Double.parseDouble(v.trim());
      if (Double.isFinite(d)) {
        return d;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw new UsageException(command + ": --" + name + " must be a finite number, got '" + v + "'");
  }
}
