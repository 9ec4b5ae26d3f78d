/**
 * LLM pricing: a catalog in LiteLLM's format that keeps itself current, model-name resolution, and
 * exact cost calculation. No OpenTelemetry dependency.
 */
package dev.tokenscope.pricing;
