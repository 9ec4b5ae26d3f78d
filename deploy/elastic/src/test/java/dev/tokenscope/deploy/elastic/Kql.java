package dev.tokenscope.deploy.elastic;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;

/**
 * The part of Kibana Query Language the TokenScope assets use, parsed so tests can list the fields
 * a query names and evaluate it against mapped documents.
 *
 * <p>Supported: {@code field : value}, {@code field : "quoted value"}, {@code field : *} (exists),
 * {@code field > n} ({@code >=}, {@code <}, {@code <=}), {@code and}, {@code or}, {@code not},
 * parentheses and value lists {@code field : (a or b)}. Anything else is a parse error, so an asset
 * cannot use syntax these tests do not understand.
 */
final class Kql {

  private final Predicate<ApmDocument> predicate;
  private final Set<String> fields;

  private Kql(Predicate<ApmDocument> predicate, Set<String> fields) {
    this.predicate = predicate;
    this.fields = fields;
  }

  static Kql parse(String query) {
    if (query == null || query.isBlank()) {
      return new Kql(doc -> true, Set.of());
    }
    Parser parser = new Parser(tokenize(query));
    Set<String> fields = new LinkedHashSet<>();
    Predicate<ApmDocument> predicate = parser.or(fields);
    if (parser.position != parser.tokens.size()) {
      throw new IllegalArgumentException("unexpected '" + parser.peek() + "' in KQL: " + query);
    }
    return new Kql(predicate, fields);
  }

  boolean matches(ApmDocument document) {
    return predicate.test(document);
  }

  Set<String> fields() {
    return fields;
  }

  private static List<String> tokenize(String query) {
    List<String> tokens = new ArrayList<>();
    int i = 0;
    while (i < query.length()) {
      char c = query.charAt(i);
      if (Character.isWhitespace(c)) {
        i++;
      } else if (c == '"') {
        int end = query.indexOf('"', i + 1);
        if (end < 0) {
          throw new IllegalArgumentException("unterminated string in KQL: " + query);
        }
        tokens.add(query.substring(i, end + 1));
        i = end + 1;
      } else if (c == '(' || c == ')' || c == ':') {
        tokens.add(String.valueOf(c));
        i++;
      } else if (c == '<' || c == '>') {
        boolean eq = i + 1 < query.length() && query.charAt(i + 1) == '=';
        tokens.add(eq ? c + "=" : String.valueOf(c));
        i += eq ? 2 : 1;
      } else {
        int start = i;
        while (i < query.length()
            && !Character.isWhitespace(query.charAt(i))
            && "():<>\"".indexOf(query.charAt(i)) < 0) {
          i++;
        }
        tokens.add(query.substring(start, i));
      }
    }
    return tokens;
  }

  private static final class Parser {
    final List<String> tokens;
    int position;

    Parser(List<String> tokens) {
      this.tokens = tokens;
    }

    String peek() {
      return position < tokens.size() ? tokens.get(position) : "<end>";
    }

    String next() {
      if (position >= tokens.size()) {
        throw new IllegalArgumentException("KQL ends too early: " + tokens);
      }
      return tokens.get(position++);
    }

    Predicate<ApmDocument> or(Set<String> fields) {
      Predicate<ApmDocument> left = and(fields);
      while (peek().equalsIgnoreCase("or")) {
        next();
        left = left.or(and(fields));
      }
      return left;
    }

    Predicate<ApmDocument> and(Set<String> fields) {
      Predicate<ApmDocument> left = unary(fields);
      while (peek().equalsIgnoreCase("and")) {
        next();
        left = left.and(unary(fields));
      }
      return left;
    }

    Predicate<ApmDocument> unary(Set<String> fields) {
      if (peek().equalsIgnoreCase("not")) {
        next();
        return unary(fields).negate();
      }
      if (peek().equals("(")) {
        next();
        Predicate<ApmDocument> inner = or(fields);
        expect(")");
        return inner;
      }
      String field = next();
      if (!field.matches("[A-Za-z_@][\\w.@]*")) {
        throw new IllegalArgumentException("expected a field name, got '" + field + "'");
      }
      fields.add(field);
      String operator = next();
      switch (operator) {
        case ":" -> {
          return values(field);
        }
        case ">", ">=", "<", "<=" -> {
          double bound = Double.parseDouble(next());
          return doc -> {
            Double value = doc.number(field);
            if (value == null) {
              return false;
            }
            return switch (operator) {
              case ">" -> value > bound;
              case ">=" -> value >= bound;
              case "<" -> value < bound;
              default -> value <= bound;
            };
          };
        }
        default -> throw new IllegalArgumentException("unsupported KQL operator " + operator);
      }
    }

    private Predicate<ApmDocument> values(String field) {
      if (peek().equals("(")) {
        next();
        Predicate<ApmDocument> any = value(field, next());
        while (peek().equalsIgnoreCase("or")) {
          next();
          any = any.or(value(field, next()));
        }
        expect(")");
        return any;
      }
      return value(field, next());
    }

    private static Predicate<ApmDocument> value(String field, String token) {
      if (token.equals("*")) {
        return doc -> doc.has(field);
      }
      String expected = token.startsWith("\"") ? token.substring(1, token.length() - 1) : token;
      return doc -> {
        Object actual = doc.get(field);
        if (actual instanceof Number n) {
          try {
            return n.doubleValue() == Double.parseDouble(expected);
          } catch (NumberFormatException e) {
            return false;
          }
        }
        if (actual instanceof List<?> list) {
          return list.stream().anyMatch(v -> v.toString().equals(expected));
        }
        return actual != null && actual.toString().equals(expected);
      };
    }

    private void expect(String token) {
      String actual = next();
      if (!actual.equals(token)) {
        throw new IllegalArgumentException("expected '" + token + "', got '" + actual + "'");
      }
    }
  }
}
