// Malformed bodies must always get a 4xx in the documented shape: never a 5xx, never a hang.
import { beforeAll, describe, expect, it } from "vitest";
import { baseURL, newKey } from "./helpers";

let key: string;
beforeAll(async () => {
  key = (await newKey()).key;
});

// Deterministic PRNG so a failure reproduces.
function rng(seed: number) {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

const FIELDS = [
  "model", "messages", "temperature", "top_p", "n", "stream", "stream_options", "stop", "max_tokens", "max_completion_tokens",
  "presence_penalty", "frequency_penalty", "logit_bias", "logprobs", "top_logprobs", "seed", "user", "tools", "tool_choice",
  "parallel_tool_calls", "response_format", "reasoning_effort", "modalities", "vecstruct",
];

function randomValue(r: () => number, depth = 0): unknown {
  const k = Math.floor(r() * (depth > 2 ? 7 : 10));
  switch (k) {
    case 0: return null;
    case 1: return r() < 0.5;
    case 2: return Math.floor((r() - 0.5) * 1e6);
    case 3: return (r() - 0.5) * 1e3;
    case 4: return "x".repeat(Math.floor(r() * 50));
    case 5: return ["user", "assistant", "tool", "system", "", "\u0000", "openai/gpt-4o"][Math.floor(r() * 7)];
    case 6: return 1e308 * (r() < 0.5 ? 1 : -1);
    case 7: return Array.from({ length: Math.floor(r() * 4) }, () => randomValue(r, depth + 1));
    default: {
      const o: Record<string, unknown> = {};
      for (let i = 0; i < Math.floor(r() * 4); i++) o[["role", "content", "type", "text", "image_url", "function", "name", "tool_calls", "url"][Math.floor(r() * 9)]!] = randomValue(r, depth + 1);
      return o;
    }
  }
}

async function send(body: string, contentType = "application/json") {
  const started = Date.now();
  const res = await fetch(`${baseURL}/v1/chat/completions`, {
    method: "POST",
    headers: { authorization: `Bearer ${key}`, "content-type": contentType },
    body,
    signal: AbortSignal.timeout(10_000),
  });
  const text = await res.text();
  return { status: res.status, text, ms: Date.now() - started };
}

describe("fuzzing /v1/chat/completions with malformed bodies", () => {
  it("answers every garbage body with a 4xx error body", async () => {
    const bodies = [
      "", " ", "null", "[]", "42", '"str"', "{", "}", "{}", '{"model":', "\u0000\u0001", "\xff\xfe", '{"model": NaN}',
      JSON.stringify({ model: "openai/gpt-4o", messages: "hi" }),
      JSON.stringify({ model: "openai/gpt-4o", messages: [{}] }),
      JSON.stringify({ model: "openai/gpt-4o", messages: [{ role: "user" }] }),
      JSON.stringify({ model: "openai/gpt-4o", messages: [{ role: "user", content: [{ type: "image_url" }] }] }),
      JSON.stringify({ model: "openai/gpt-4o", messages: [{ role: "tool", content: "x" }] }),
      JSON.stringify({ model: ["openai/gpt-4o"], messages: [{ role: "user", content: "hi" }] }),
      JSON.stringify({ model: "openai/gpt-4o", messages: [{ role: "user", content: "hi" }], tools: [{ type: "function", function: { name: "bad name!" } }] }),
      "[".repeat(5000) + "]".repeat(5000),
      JSON.stringify({ model: "x".repeat(100_000), messages: [{ role: "user", content: "hi" }] }),
    ];
    const r = rng(42);
    for (let i = 0; i < 150; i++) {
      const body: Record<string, unknown> = { model: r() < 0.7 ? "openai/gpt-4o" : randomValue(r), messages: r() < 0.5 ? [{ role: "user", content: "hi" }] : randomValue(r) };
      for (const f of FIELDS) if (r() < 0.15) body[f] = randomValue(r);
      if (r() < 0.1) body[`unknown_${i}`] = randomValue(r);
      bodies.push(JSON.stringify(body));
    }
    let ok = 0;
    for (const body of bodies) {
      const res = await send(body);
      if (res.status === 200) {
        ok += 1; // a random body may be valid: fine, as long as it answers
        continue;
      }
      expect(res.status, body.slice(0, 200)).toBeGreaterThanOrEqual(400);
      expect(res.status, `${body.slice(0, 200)} → ${res.text.slice(0, 300)}`).toBeLessThan(500);
      const err = JSON.parse(res.text).error;
      expect(typeof err.message).toBe("string");
      expect(typeof err.type).toBe("string");
    }
    expect(ok).toBeLessThan(bodies.length);
  });

  it("answers a wrong content type and a huge body quickly", async () => {
    const form = await send("a=b", "application/x-www-form-urlencoded");
    expect(form.status).toBe(400);
    const huge = await send(JSON.stringify({ model: "openai/gpt-4o", messages: [{ role: "user", content: "y".repeat(3 * 1024 * 1024) }] }));
    expect(huge.status).toBe(413);
  });
});
