package dev.tokenscope.simulator;

import static java.util.Objects.requireNonNull;

import org.jspecify.annotations.Nullable;

/**
 * Injects {@code fault} into a fraction {@code rate} of the requests that match the optional
 * provider and model filters. Which requests fail is decided from the simulator's seed and the
 * request's sequence number, so a run with the same seed and request order fails the same requests:
 * retry storms are reproducible.
 *
 * <pre>{@code
 * FaultRule.of(Fault.RATE_LIMIT, 0.2).forProvider(Provider.OPENAI).forModel("gpt-5-mini")
 * }</pre>
 *
 * @param fault what to inject
 * @param rate the fraction of matching requests to fail, in [0, 1]
 * @param provider only requests to this provider, or any provider when null
 * @param model only requests whose model starts with this prefix, or any model when null
 */
public record FaultRule(
    Fault fault, double rate, @Nullable Provider provider, @Nullable String model) {

  public FaultRule {
    requireNonNull(fault, "fault");
    if (!(rate >= 0 && rate <= 1)) {
      throw new IllegalArgumentException("fault rate must be within [0, 1], got " + rate);
    }
    if (model != null && model.isBlank()) {
      throw new IllegalArgumentException("model prefix must not be blank");
    }
  }

  /** A rule for every provider and model. */
  public static FaultRule of(Fault fault, double rate) {
    return new FaultRule(fault, rate, null, null);
  }

  /** This rule restricted to one provider. */
  public FaultRule forProvider(Provider provider) {
    return new FaultRule(fault, rate, requireNonNull(provider, "provider"), model);
  }

  /** This rule restricted to models whose name starts with {@code modelPrefix}. */
  public FaultRule forModel(String modelPrefix) {
    return new FaultRule(fault, rate, provider, requireNonNull(modelPrefix, "modelPrefix"));
  }

  /** Whether this rule covers a request to {@code provider} for {@code model}. */
  public boolean matches(Provider requestProvider, @Nullable String requestModel) {
    if (provider != null && provider != requestProvider) {
      return false;
    }
    return model == null || (requestModel != null && requestModel.startsWith(model));
  }
}
