package dev.tokenscope.simulator.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tokenscope.simulator.Fault;
import dev.tokenscope.simulator.FaultRule;
import dev.tokenscope.simulator.Provider;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class FaultInjectorTest {

  private static List<Fault> draws(FaultInjector injector, int n) {
    List<Fault> faults = new ArrayList<>();
    for (long sequence = 1; sequence <= n; sequence++) {
      faults.add(injector.decide(Provider.OPENAI, "gpt-4o", sequence));
    }
    return faults;
  }

  @Test
  void drawsDependOnlyOnSeedAndSequence() {
    List<FaultRule> rules =
        List.of(FaultRule.of(Fault.RATE_LIMIT, 0.2), FaultRule.of(Fault.HANG, 0.1));
    assertThat(draws(new FaultInjector(4, rules), 500))
        .isEqualTo(draws(new FaultInjector(4, rules), 500));
    assertThat(draws(new FaultInjector(4, rules), 500))
        .isNotEqualTo(draws(new FaultInjector(5, rules), 500));
    List<Fault> many = draws(new FaultInjector(4, rules), 5000);
    assertThat(many.stream().filter(f -> f == Fault.RATE_LIMIT).count()).isBetween(850L, 1150L);
    assertThat(many.stream().filter(f -> f == Fault.HANG).count()).isBetween(400L, 600L);
  }

  @Test
  void queuedOrdersComeFirstInOrderAndRespectFilters() {
    FaultInjector injector = new FaultInjector(1, List.of(FaultRule.of(Fault.SERVER_ERROR, 1.0)));
    injector.failNext(1, Fault.OVERLOADED, Provider.ANTHROPIC, null);
    injector.failNext(2, Fault.RATE_LIMIT, null, "gpt-5");

    assertThat(injector.decide(Provider.OPENAI, "gpt-4o", 1)).isEqualTo(Fault.SERVER_ERROR);
    assertThat(injector.decide(Provider.OPENAI, "gpt-5-mini", 2)).isEqualTo(Fault.RATE_LIMIT);
    assertThat(injector.decide(Provider.ANTHROPIC, "claude-haiku-4-5", 3))
        .isEqualTo(Fault.OVERLOADED);
    assertThat(injector.pendingCount()).isEqualTo(1);
    injector.clear();
    assertThat(injector.decide(Provider.OPENAI, "gpt-5", 4)).isNull();
  }

  @Test
  void rulesValidateTheirArguments() {
    assertThatThrownBy(() -> FaultRule.of(Fault.HANG, 1.5))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> FaultRule.of(Fault.HANG, Double.NaN))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> FaultRule.of(Fault.HANG, 0.1).forModel(" "))
        .isInstanceOf(IllegalArgumentException.class);
    FaultRule rule = FaultRule.of(Fault.HANG, 0.1).forProvider(Provider.OPENAI).forModel("gpt-5");
    assertThat(rule.matches(Provider.OPENAI, "gpt-5-nano")).isTrue();
    assertThat(rule.matches(Provider.OPENAI, null)).isFalse();
    assertThat(rule.matches(Provider.ANTHROPIC, "gpt-5")).isFalse();
  }
}
