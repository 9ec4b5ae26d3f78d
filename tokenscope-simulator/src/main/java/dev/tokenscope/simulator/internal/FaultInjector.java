package dev.tokenscope.simulator.internal;

import dev.tokenscope.simulator.Fault;
import dev.tokenscope.simulator.FaultRule;
import dev.tokenscope.simulator.Provider;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * Decides which requests fail and how: first the queue of "fail the next N requests" orders, then
 * the rate rules, with one uniform draw per request taken from the seed and the request's sequence
 * number (so the same seed and request order fail the same requests).
 */
public final class FaultInjector {

  private record Pending(Fault fault, @Nullable Provider provider, @Nullable String model) {}

  private final long seed;
  private volatile List<FaultRule> rules;
  private final LinkedList<Pending> pending = new LinkedList<>();

  public FaultInjector(long seed, List<FaultRule> rules) {
    this.seed = seed;
    this.rules = List.copyOf(rules);
  }

  public void rules(List<FaultRule> newRules) {
    this.rules = List.copyOf(newRules);
  }

  public List<FaultRule> rules() {
    return rules;
  }

  public synchronized void failNext(
      int count, Fault fault, @Nullable Provider provider, @Nullable String model) {
    for (int i = 0; i < count; i++) {
      pending.add(new Pending(fault, provider, model));
    }
  }

  public synchronized int pendingCount() {
    return pending.size();
  }

  public synchronized void clear() {
    pending.clear();
    rules = List.of();
  }

  /** The fault for request {@code sequence}, or null to answer normally. */
  public @Nullable Fault decide(Provider provider, @Nullable String model, long sequence) {
    synchronized (this) {
      for (Iterator<Pending> it = pending.iterator(); it.hasNext(); ) {
        Pending p = it.next();
        if ((p.provider() == null || p.provider() == provider)
            && (p.model() == null || (model != null && model.startsWith(p.model())))) {
          it.remove();
          return p.fault();
        }
      }
    }
    List<FaultRule> current = rules;
    if (current.isEmpty()) {
      return null;
    }
    double draw = Seeds.uniform(seed, "fault", sequence);
    double cumulative = 0;
    List<FaultRule> matching = new ArrayList<>();
    for (FaultRule rule : current) {
      if (rule.matches(provider, model)) {
        matching.add(rule);
      }
    }
    for (FaultRule rule : matching) {
      cumulative += rule.rate();
      if (draw < cumulative) {
        return rule.fault();
      }
    }
    return null;
  }
}
