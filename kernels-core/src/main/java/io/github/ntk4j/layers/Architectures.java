package io.github.ntk4j.layers;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Reads architecture strings (shared/specs/cli.md, "Architecture strings").
 *
 * <p>Grammar: {@code serial(l1, l2, ...)} or a single layer; each layer is {@code name(args)} with
 * positional and/or named ({@code name=value}) arguments; whitespace is ignored. The canonical
 * string of any layer ({@link Layer#toString()}) parses back to an equal layer.
 *
 * <table>
 *   <caption>Layers</caption>
 *   <tr><th>string</th><th>layer</th></tr>
 *   <tr><td>{@code dense(weightStd, biasStd=0, parameterization=ntk, width=0, bias)}</td><td>{@link Dense}</td></tr>
 *   <tr><td>{@code relu()}</td><td>{@link Relu}</td></tr>
 *   <tr><td>{@code abrelu(a, b)}</td><td>{@link AbRelu}</td></tr>
 *   <tr><td>{@code erf(a=1, b=1, c=0)}</td><td>{@link Erf}</td></tr>
 *   <tr><td>{@code leakyrelu(alpha)}</td><td>{@link LeakyRelu}</td></tr>
 *   <tr><td>{@code abs()}, {@code identity()}</td><td>{@link Abs}, {@link Identity}</td></tr>
 *   <tr><td>{@code gelu()}</td><td>{@link Gelu}</td></tr>
 *   <tr><td>{@code sin(a=1, b=1, c=0)}, {@code cos(a=1, b=1, c=0)}</td><td>{@link Sin}, {@link Cos}</td></tr>
 *   <tr><td>{@code exp(a, b)}, {@code gaussian(a, b)}</td><td>{@link Exp}, {@link Gaussian}</td></tr>
 *   <tr><td>{@code rbf(gamma)}</td><td>{@link Rbf}</td></tr>
 *   <tr><td>{@code sign()}, {@code step()}</td><td>{@link Sign}, {@link Step}</td></tr>
 *   <tr><td>{@code monomial(k)}</td><td>{@link Monomial}</td></tr>
 *   <tr><td>{@code scale(c)}, {@code bias(biasStd)}, {@code layernorm()}</td><td>{@link Scale}, {@link Bias},
 *       {@link LayerNorm}</td></tr>
 *   <tr><td>{@code parallel(layer, ..., fanin=sum|concat)}</td><td>{@link Parallel}</td></tr>
 *   <tr><td>{@code serial(layer, ...)}</td><td>{@link Serial}</td></tr>
 * </table>
 */
public final class Architectures {
  private static final Pattern DECIMAL =
      Pattern.compile("[+-]?(\\d+(\\.\\d*)?|\\.\\d+)([eE][+-]?\\d+)?");
  private static final Pattern INTEGER = Pattern.compile("[+]?\\d{1,9}");

  private static final List<String> SYNTAX =
      List.of(
          "dense(weightStd, biasStd=0, parameterization=ntk|standard, width=0, bias=true|false)",
          "relu()",
          "abrelu(a, b)",
          "erf(a=1, b=1, c=0)",
          "leakyrelu(alpha)",
          "abs()",
          "identity()",
          "gelu()",
          "sin(a=1, b=1, c=0)",
          "cos(a=1, b=1, c=0)",
          "exp(a, b)",
          "gaussian(a, b)",
          "rbf(gamma)",
          "sign()",
          "step()",
          "monomial(k)",
          "scale(c)",
          "bias(biasStd)",
          "layernorm()",
          "parallel(layer, layer, ..., fanin=sum|concat)",
          "serial(layer, layer, ...)");

  private Architectures() {}

  /**
   * One line per layer the parser knows, with its arguments and defaults.
   *
   * @return the lines, e.g. {@code dense(weightStd, biasStd = 0)}
   */
  public static List<String> syntax() {
    return SYNTAX;
  }

  /**
   * Parses an architecture string.
   *
   * @param spec e.g. {@code serial(dense(1.5, 0.1), relu(), dense(1.5))}
   * @return the layer
   * @throws IllegalArgumentException naming the position and the problem when the string is
   *     malformed or a parameter is invalid
   */
  public static Layer parse(String spec) {
    if (spec == null) {
      throw new IllegalArgumentException("architecture: expected a string, got null");
    }
    StringBuilder sb = new StringBuilder(spec.length());
    for (int i = 0; i < spec.length(); i++) {
      char ch = spec.charAt(i);
      if (!Character.isWhitespace(ch)) {
        sb.append(ch);
      }
    }
    String s = sb.toString();
    if (s.isEmpty()) {
      throw new IllegalArgumentException("architecture: the string is empty");
    }
    Parser p = new Parser(s);
    Layer layer = p.layer();
    if (p.pos != s.length()) {
      throw p.error("unexpected '" + s.substring(p.pos) + "' after the end of the architecture");
    }
    return layer;
  }

  private static final class Parser {
    private final String s;
    private int pos;

    Parser(String s) {
      this.s = s;
    }

    IllegalArgumentException error(String message) {
      return new IllegalArgumentException(
          "architecture: " + message + " (at character " + (pos + 1) + " of '" + s + "')");
    }

    private boolean peek(char c) {
      return pos < s.length() && s.charAt(pos) == c;
    }

    private void expect(char c) {
      if (!peek(c)) {
        throw error(
            "expected '" + c + "' but found " + (pos < s.length() ? "'" + s.charAt(pos) + "'" : "the end"));
      }
      pos++;
    }

    private String identifier() {
      int start = pos;
      while (pos < s.length() && (Character.isLetterOrDigit(s.charAt(pos)) || s.charAt(pos) == '_')) {
        pos++;
      }
      if (start == pos) {
        throw error(
            "expected a layer name but found " + (pos < s.length() ? "'" + s.charAt(pos) + "'" : "the end"));
      }
      return s.substring(start, pos);
    }

    Layer layer() {
      int start = pos;
      String name = identifier().toLowerCase(Locale.ROOT);
      expect('(');
      if (name.equals("serial")) {
        List<Layer> layers = new ArrayList<>();
        if (peek(')')) {
          pos = start;
          throw error("serial() needs at least one layer");
        }
        do {
          layers.add(layer());
        } while (consume(','));
        expect(')');
        return new Serial(layers);
      }
      if (name.equals("parallel")) {
        return parallel(start);
      }
      Args args = arguments(name, start);
      try {
        Layer layer = build(name, args);
        args.finish();
        return layer;
      } catch (IllegalArgumentException e) {
        if (e.getMessage() != null && e.getMessage().startsWith("architecture:")) {
          throw e;
        }
        pos = start;
        throw error(e.getMessage());
      }
    }

    /** parallel(b1, b2, ..., fanin=sum|concat): layers, then the fan-in (default sum). */
    private Layer parallel(int start) {
      List<Layer> branches = new ArrayList<>();
      Parallel.FanIn fanIn = null;
      if (peek(')')) {
        pos = start;
        throw error("parallel() needs at least one branch");
      }
      do {
        if (s.startsWith("fanin=", pos) || s.startsWith("FANIN=", pos)) {
          int at = pos;
          pos += "fanin=".length();
          int vs = pos;
          while (pos < s.length() && "(),=".indexOf(s.charAt(pos)) < 0) {
            pos++;
          }
          String v = s.substring(vs, pos).toLowerCase(Locale.ROOT);
          if (fanIn != null) {
            pos = at;
            throw error("parallel: fanin given twice");
          }
          if (v.equals("sum")) {
            fanIn = Parallel.FanIn.SUM;
          } else if (v.equals("concat")) {
            fanIn = Parallel.FanIn.CONCAT;
          } else {
            pos = at;
            throw error("parallel: fanin must be sum or concat, got '" + v + "'");
          }
        } else {
          if (fanIn != null) {
            throw error("parallel: branches must come before fanin=...");
          }
          branches.add(layer());
        }
      } while (consume(','));
      expect(')');
      if (branches.isEmpty()) {
        pos = start;
        throw error("parallel(...) needs at least one branch");
      }
      return new Parallel(branches, fanIn == null ? Parallel.FanIn.SUM : fanIn);
    }

    private boolean consume(char c) {
      if (peek(c)) {
        pos++;
        return true;
      }
      return false;
    }

    private Args arguments(String layer, int layerStart) {
      Args args = new Args(layer, this, layerStart);
      if (consume(')')) {
        return args;
      }
      do {
        int start = pos;
        while (pos < s.length() && "(),=".indexOf(s.charAt(pos)) < 0) {
          pos++;
        }
        String token = s.substring(start, pos);
        if (peek('=')) {
          pos++;
          int vs = pos;
          while (pos < s.length() && "(),=".indexOf(s.charAt(pos)) < 0) {
            pos++;
          }
          String value = s.substring(vs, pos);
          if (token.isEmpty() || value.isEmpty()) {
            pos = start;
            throw error("malformed named argument in " + layer + "(...)");
          }
          if (args.named.put(token, value) != null) {
            pos = start;
            throw error(layer + ": argument '" + token + "' given twice");
          }
        } else {
          if (token.isEmpty()) {
            throw error("expected an argument of " + layer + "(...)");
          }
          if (!args.named.isEmpty()) {
            pos = start;
            throw error(layer + ": positional argument '" + token + "' after a named one");
          }
          args.positional.add(token);
        }
      } while (consume(','));
      expect(')');
      return args;
    }
  }

  /** The arguments of one layer, consumed by name or position. */
  private static final class Args {
    final String layer;
    final Parser parser;
    final int start;
    final List<String> positional = new ArrayList<>();
    final Map<String, String> named = new LinkedHashMap<>();
    private int used;

    Args(String layer, Parser parser, int start) {
      this.layer = layer;
      this.parser = parser;
      this.start = start;
    }

    /** The raw value of parameter {@code name} at {@code index}, or null when absent. */
    private String raw(int index, String name) {
      String byName = named.remove(name);
      if (byName != null) {
        if (index >= 0 && index < positional.size()) {
          throw new IllegalArgumentException(
              layer + ": '" + name + "' given both by position and by name");
        }
        return byName;
      }
      if (index >= 0 && index < positional.size()) {
        used = Math.max(used, index + 1);
        return positional.get(index);
      }
      return null;
    }

    double number(int index, String name, Double fallback) {
      String v = raw(index, name);
      if (v == null) {
        if (fallback == null) {
          throw new IllegalArgumentException(layer + ": missing argument '" + name + "'");
        }
        return fallback;
      }
      if (!DECIMAL.matcher(v).matches()) {
        throw new IllegalArgumentException(
            layer + ": " + name + " must be a decimal number, got '" + v + "'");
      }
      return Double.parseDouble(v);
    }

    int integer(int index, String name, int fallback) {
      String v = raw(index, name);
      if (v == null) {
        return fallback;
      }
      if (!INTEGER.matcher(v).matches()) {
        throw new IllegalArgumentException(
            layer + ": " + name + " must be a whole number >= 0, got '" + v + "'");
      }
      return Integer.parseInt(v.startsWith("+") ? v.substring(1) : v);
    }

    String word(int index, String name, String fallback, String... allowed) {
      String v = raw(index, name);
      if (v == null) {
        return fallback;
      }
      String lower = v.toLowerCase(Locale.ROOT);
      for (String a : allowed) {
        if (a.equals(lower)) {
          return a;
        }
      }
      throw new IllegalArgumentException(
          layer + ": " + name + " must be one of " + String.join("|", allowed) + ", got '" + v + "'");
    }

    void finish() {
      if (!named.isEmpty()) {
        throw new IllegalArgumentException(
            layer + ": unknown argument '" + named.keySet().iterator().next() + "'");
      }
      if (used < positional.size()) {
        throw new IllegalArgumentException(
            layer + ": too many arguments (" + positional.size() + " given, " + used + " expected)");
      }
    }
  }

  private static Layer build(String name, Args a) {
    switch (name) {
      case "dense": {
        double w = a.number(0, "weightStd", null);
        double b = a.number(1, "biasStd", 0.0);
        Parameterization p =
            a.word(2, "parameterization", "ntk", "ntk", "standard").equals("standard")
                ? Parameterization.STANDARD
                : Parameterization.NTK;
        int width = a.integer(3, "width", 0);
        String bias = a.word(4, "bias", null, "true", "false");
        boolean trained = bias == null ? b > 0 : bias.equals("true");
        return new Dense(w, b, p, width, trained);
      }
      case "relu":
        return new Relu();
      case "abrelu":
        return new AbRelu(a.number(0, "a", null), a.number(1, "b", null));
      case "erf":
        return new Erf(a.number(0, "a", 1.0), a.number(1, "b", 1.0), a.number(2, "c", 0.0));
      case "leakyrelu":
        return new LeakyRelu(a.number(0, "alpha", null));
      case "abs":
        return new Abs();
      case "identity":
        return new Identity();
      case "gelu":
        return new Gelu();
      case "sin":
        return new Sin(a.number(0, "a", 1.0), a.number(1, "b", 1.0), a.number(2, "c", 0.0));
      case "cos":
        return new Cos(a.number(0, "a", 1.0), a.number(1, "b", 1.0), a.number(2, "c", 0.0));
      case "exp":
        return new Exp(a.number(0, "a", null), a.number(1, "b", null));
      case "gaussian":
        return new Gaussian(a.number(0, "a", null), a.number(1, "b", null));
      case "rbf":
        return new Rbf(a.number(0, "gamma", null));
      case "sign":
        return new Sign();
      case "step":
        return new Step();
      case "monomial":
        return new Monomial(a.integer(0, "k", -1));
      case "scale":
        return new Scale(a.number(0, "c", null));
      case "bias":
        return new Bias(a.number(0, "biasStd", null));
      case "layernorm":
        return new LayerNorm();
      case "elementwise":
        throw new IllegalArgumentException(
            "elementwise(...) wraps Java functions and has no string form that can be parsed; build it in code with"
                + " Layers.elementwise(name, f, df)");
      default:
        throw new IllegalArgumentException(
            "unknown layer '" + name + "'; known layers: dense, relu, abrelu, erf, leakyrelu, abs, identity, gelu, sin,"
                + " cos, exp, gaussian, rbf, sign, step, monomial, scale, bias, layernorm, parallel, serial");
    }
  }
}
