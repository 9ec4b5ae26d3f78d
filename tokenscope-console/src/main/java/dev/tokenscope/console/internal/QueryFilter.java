package dev.tokenscope.console.internal;

import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/** The time range and the service / workflow / model filters every query accepts. */
public record QueryFilter(
    long fromMillis,
    long toMillis,
    @Nullable String service,
    @Nullable String workflow,
    @Nullable String model) {

  long fromNanos() {
    return fromMillis * 1_000_000L;
  }

  long toNanos() {
    return toMillis * 1_000_000L;
  }

  /** The same filters over another time range. */
  QueryFilter withRange(long from, long to) {
    return new QueryFilter(from, to, service, workflow, model);
  }

  /** A WHERE clause (without the keyword) over {@code spans} aliased as {@code alias}. */
  Sql where(String alias, boolean llmOnly) {
    String p = alias.isEmpty() ? "" : alias + ".";
    Sql sql = new Sql();
    sql.append(p + "start_ns >= ? AND " + p + "start_ns < ?", fromNanos(), toNanos());
    return dimensions(p, llmOnly, sql);
  }

  /**
   * {@link #where} for the LLM calls of this filter's dimensions that started in any of the {@code
   * ranges}' time ranges (one scan for several ranges).
   */
  Sql whereCallsIn(String alias, List<QueryFilter> ranges) {
    String p = alias.isEmpty() ? "" : alias + ".";
    Sql sql = new Sql().append("(");
    for (int i = 0; i < ranges.size(); i++) {
      sql.append(
          (i == 0 ? "" : " OR ") + "(" + p + "start_ns >= ? AND " + p + "start_ns < ?)",
          ranges.get(i).fromNanos(),
          ranges.get(i).toNanos());
    }
    return dimensions(p, true, sql.append(")"));
  }

  private Sql dimensions(String p, boolean llmOnly, Sql sql) {
    if (llmOnly) {
      sql.append(" AND " + p + "is_llm");
    }
    if (service != null) {
      sql.append(" AND " + p + "service = ?", service);
    }
    if (workflow != null) {
      sql.append(" AND " + p + "workflow = ?", workflow);
    }
    if (model != null) {
      sql.append(" AND " + p + "model = ?", model);
    }
    return sql;
  }

  /** SQL text with its positional parameters. */
  static final class Sql {
    final StringBuilder text = new StringBuilder();
    final List<Object> params = new ArrayList<>();

    Sql append(String fragment, Object... parameters) {
      text.append(fragment);
      params.addAll(List.of(parameters));
      return this;
    }

    Sql append(Sql other) {
      text.append(other.text);
      params.addAll(other.params);
      return this;
    }

    @Override
    public String toString() {
      return text.toString();
    }
  }
}
