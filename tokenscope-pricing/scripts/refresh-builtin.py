#!/usr/bin/env python3
"""Regenerates TokenScope's built-in price table from a LiteLLM price file.

Usage: python3 refresh-builtin.py <model_prices_and_context_window.json> <snapshot-date YYYY-MM-DD>

Keeps the models listed in MODELS below (those teams use most, plus the dated and
provider-qualified names that carry different prices), and of each entry only the facts pricing
needs: provider, mode and the per-token rates. Writes the table and its properties next to the
pricing classes. Review the diff; the test BuiltinTableMatchesSnapshotTest checks every rate
against the snapshot in shared/data/pricing.
"""
import json
import re
import sys
from pathlib import Path

MODELS = [
    # OpenAI
    "gpt-5", "gpt-5-2025-08-07", "gpt-5-mini", "gpt-5-mini-2025-08-07", "gpt-5-nano",
    "gpt-5-nano-2025-08-07", "gpt-5-pro", "gpt-5-codex", "gpt-5-chat-latest",
    "gpt-5.1", "gpt-5.1-codex", "gpt-5.1-codex-mini", "gpt-5.2", "gpt-5.2-pro",
    "gpt-5.4", "gpt-5.4-mini", "gpt-5.4-nano", "gpt-5.4-pro", "gpt-5.5", "gpt-5.5-pro", "gpt-5.6",
    "gpt-4.1", "gpt-4.1-mini", "gpt-4.1-nano",
    "gpt-4o", "gpt-4o-2024-05-13", "gpt-4o-2024-08-06", "gpt-4o-2024-11-20",
    "gpt-4o-mini", "gpt-4o-mini-2024-07-18",
    "o1", "o1-pro", "o3", "o3-pro", "o3-mini", "o4-mini",
    "gpt-4-turbo", "gpt-4", "gpt-3.5-turbo",
    "text-embedding-3-small", "text-embedding-3-large", "text-embedding-ada-002",
    "ft:gpt-4o-2024-08-06", "ft:gpt-4o-mini-2024-07-18", "ft:gpt-4.1-2025-04-14",
    "ft:gpt-4.1-mini-2025-04-14", "ft:gpt-4.1-nano-2025-04-14",
    # Azure OpenAI
    "azure/gpt-4o", "azure/gpt-4o-mini", "azure/gpt-4.1", "azure/gpt-4.1-mini", "azure/gpt-5",
    "azure/gpt-5-mini", "azure/o3", "azure/o4-mini",
    # Anthropic
    "claude-opus-4-8", "claude-opus-5", "claude-sonnet-5", "claude-fable-5",
    "claude-opus-4-7", "claude-opus-4-7-20260416", "claude-opus-4-6", "claude-opus-4-6-20260205",
    "claude-opus-4-5", "claude-opus-4-5-20251101", "claude-opus-4-1", "claude-opus-4-1-20250805",
    "claude-opus-4-20250514", "claude-sonnet-4-6", "claude-sonnet-4-5", "claude-sonnet-4-5-20250929",
    "claude-sonnet-4-20250514", "claude-haiku-4-5", "claude-haiku-4-5-20251001",
    "claude-3-7-sonnet-20250219", "claude-3-haiku-20240307", "claude-3-opus-20240229",
    # Anthropic on Bedrock and Vertex
    "anthropic.claude-sonnet-4-5-20250929-v1:0", "us.anthropic.claude-sonnet-4-5-20250929-v1:0",
    "eu.anthropic.claude-sonnet-4-5-20250929-v1:0", "global.anthropic.claude-sonnet-4-5-20250929-v1:0",
    "anthropic.claude-haiku-4-5-20251001-v1:0", "us.anthropic.claude-haiku-4-5-20251001-v1:0",
    "anthropic.claude-sonnet-4-6", "us.anthropic.claude-sonnet-4-6", "anthropic.claude-opus-4-7",
    "vertex_ai/claude-sonnet-4-5", "vertex_ai/claude-sonnet-4-6", "vertex_ai/claude-haiku-4-5",
    "vertex_ai/claude-opus-4-7",
    # Google
    "gemini-2.0-flash", "gemini-2.0-flash-lite", "gemini-2.5-pro", "gemini-2.5-flash",
    "gemini-2.5-flash-lite", "gemini-3-pro-preview", "gemini-3-flash-preview",
    "gemini-3.1-pro-preview", "gemini-3.1-flash-lite", "gemini-3.5-flash",
    "gemini/gemini-2.0-flash", "gemini/gemini-2.0-flash-lite", "gemini/gemini-2.5-pro",
    "gemini/gemini-2.5-flash", "gemini/gemini-2.5-flash-lite", "gemini/gemini-3-pro-preview",
    "gemini/gemini-3-flash-preview", "gemini/gemini-3.1-pro-preview", "gemini/gemini-3.1-flash-lite",
    "gemini/gemini-3.5-flash", "text-embedding-005",
    # Mistral
    "mistral/mistral-large-latest", "mistral/mistral-large-2512", "mistral/mistral-medium-latest",
    "mistral/mistral-medium-2508", "mistral/mistral-small-latest", "mistral/codestral-latest",
    "mistral/ministral-8b-latest", "mistral/magistral-medium-latest", "mistral/magistral-small-latest",
    "mistral/devstral-small-latest", "mistral/pixtral-large-latest", "mistral/open-mistral-nemo",
    "mistral/mistral-embed",
]

RATE = re.compile(
    r"^(input_cost_per_token|output_cost_per_token|cache_read_input_token_cost|"
    r"cache_creation_input_token_cost|output_cost_per_reasoning_token)"
)


def main():
    source, date = Path(sys.argv[1]), sys.argv[2]
    catalog = json.loads(source.read_text())
    table, missing = {}, []
    for key in MODELS:
        entry = catalog.get(key)
        if entry is None:
            missing.append(key)
            continue
        kept = {k: v for k, v in entry.items()
                if k in ("litellm_provider", "mode", "tiered_pricing") or RATE.match(k)}
        table[key] = dict(sorted(kept.items()))
    out = Path(__file__).resolve().parent.parent / "src/main/resources/dev/tokenscope/pricing/internal"
    (out / "builtin-prices.json").write_text(json.dumps(table, indent=1) + "\n")
    (out / "builtin-prices.properties").write_text(
        "# Written by tokenscope-pricing/scripts/refresh-builtin.py; do not edit by hand.\n"
        f"snapshot={date}\nmodels={len(table)}\n")
    print(f"{len(table)} models written", file=sys.stderr)
    if missing:
        print("not in the source file: " + ", ".join(missing), file=sys.stderr)


if __name__ == "__main__":
    main()
