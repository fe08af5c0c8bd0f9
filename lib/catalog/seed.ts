// List prices (USD per million tokens) of the models each provider is seeded with. Operators edit
// prices and add models in the console; seeding never overwrites an existing row.
export type ModelKind = "chat" | "embedding" | "rerank";

export interface SeedModel {
  name: string; // public id is `${provider}/${name}`
  upstream: string;
  kind: ModelKind;
  input: number;
  output: number;
  cachedInput?: number;
  /** Prompt-cache writes; Anthropic's 5-minute writes cost 1.25× the input price. */
  cacheWrite?: number;
  contextWindow?: number;
  maxOutput?: number;
}

export const SEED_MODELS = {
  openai: [
    { name: "gpt-4o", upstream: "gpt-4o", kind: "chat", input: 2.5, output: 10, cachedInput: 1.25, contextWindow: 128_000, maxOutput: 16_384 },
    { name: "gpt-4o-mini", upstream: "gpt-4o-mini", kind: "chat", input: 0.15, output: 0.6, cachedInput: 0.075, contextWindow: 128_000, maxOutput: 16_384 },
    { name: "gpt-4.1", upstream: "gpt-4.1", kind: "chat", input: 2, output: 8, cachedInput: 0.5, contextWindow: 1_047_576, maxOutput: 32_768 },
    { name: "gpt-4.1-mini", upstream: "gpt-4.1-mini", kind: "chat", input: 0.4, output: 1.6, cachedInput: 0.1, contextWindow: 1_047_576, maxOutput: 32_768 },
    { name: "o4-mini", upstream: "o4-mini", kind: "chat", input: 1.1, output: 4.4, cachedInput: 0.275, contextWindow: 200_000, maxOutput: 100_000 },
    { name: "text-embedding-3-small", upstream: "text-embedding-3-small", kind: "embedding", input: 0.02, output: 0, contextWindow: 8_191 },
    { name: "text-embedding-3-large", upstream: "text-embedding-3-large", kind: "embedding", input: 0.13, output: 0, contextWindow: 8_191 },
  ],
  anthropic: [
    { name: "claude-3-5-sonnet", upstream: "claude-3-5-sonnet-20241022", kind: "chat", input: 3, output: 15, cachedInput: 0.3, cacheWrite: 3.75, contextWindow: 200_000, maxOutput: 8_192 },
    { name: "claude-3-5-haiku", upstream: "claude-3-5-haiku-20241022", kind: "chat", input: 0.8, output: 4, cachedInput: 0.08, cacheWrite: 1, contextWindow: 200_000, maxOutput: 8_192 },
    { name: "claude-sonnet-4", upstream: "claude-sonnet-4-20250514", kind: "chat", input: 3, output: 15, cachedInput: 0.3, cacheWrite: 3.75, contextWindow: 200_000, maxOutput: 64_000 },
    { name: "claude-opus-4", upstream: "claude-opus-4-20250514", kind: "chat", input: 15, output: 75, cachedInput: 1.5, cacheWrite: 18.75, contextWindow: 200_000, maxOutput: 32_000 },
  ],
  google: [
    { name: "gemini-2.0-flash", upstream: "gemini-2.0-flash", kind: "chat", input: 0.1, output: 0.4, cachedInput: 0.025, contextWindow: 1_048_576, maxOutput: 8_192 },
    { name: "gemini-2.5-flash", upstream: "gemini-2.5-flash", kind: "chat", input: 0.3, output: 2.5, cachedInput: 0.075, contextWindow: 1_048_576, maxOutput: 65_536 },
    { name: "gemini-2.5-pro", upstream: "gemini-2.5-pro", kind: "chat", input: 1.25, output: 10, cachedInput: 0.31, contextWindow: 1_048_576, maxOutput: 65_536 },
  ],
  cohere: [{ name: "rerank-v3.5", upstream: "rerank-v3.5", kind: "rerank", input: 0, output: 0, contextWindow: 4_096 }],
} as const satisfies Record<string, readonly SeedModel[]>;
