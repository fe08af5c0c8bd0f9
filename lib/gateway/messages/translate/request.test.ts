import { describe, expect, it } from "vitest";
import { ApiError } from "../../../errors";
import { chatAdapterFor } from "../../../providers/registry";
import type { ChatRequest } from "../../../wire/chat";
import { toChatRequest } from "./request";
import { mintSignature } from "./signature";
import { messages } from "./test-helpers";
import type { Protocol, TranslateOptions } from "./types";

const opts = (extra: Partial<TranslateOptions> = {}): TranslateOptions => ({ protocol: "openai", upstreamModel: "gpt-4o", reasoning: false, betas: [], ...extra });

function translate(body: Record<string, unknown>, extra: Partial<TranslateOptions> = {}) {
  const warnings: string[] = [];
  const chat = toChatRequest(messages(body), opts(extra), warnings);
  return { chat, warnings };
}

function rejects(body: Record<string, unknown>, param: string, extra: Partial<TranslateOptions> = {}) {
  let error: unknown;
  try {
    translate(body, extra);
  } catch (e) {
    error = e;
  }
  expect(error).toBeInstanceOf(ApiError);
  expect((error as ApiError).status).toBe(400);
  expect((error as ApiError).param).toBe(param);
  return error as ApiError;
}

const user = (content: unknown) => ({ role: "user", content });
const assistant = (content: unknown) => ({ role: "assistant", content });

/** What Claude Code 2.1 sends for a non-claude-3-5 model name (captured offline, trimmed). */
const claudeCode = {
  model: "openai/gpt-4o",
  max_tokens: 32000,
  stream: true,
  system: [
    { type: "text", text: "x-anthropic-billing-header: cc_version=2.1.337.089; cc_entrypoint=sdk-cli;" },
    { type: "text", text: "You are a Claude agent, built on Anthropic's Claude Agent SDK.", cache_control: { type: "ephemeral" } },
  ],
  messages: [
    user([{ type: "text", text: "<system-reminder>\nAttribution…\n</system-reminder>\n" }, { type: "text", text: "hi" }]),
    { role: "system", content: [{ type: "text", text: "# Environment\nPrimary working directory: /tmp/x", cache_control: { type: "ephemeral" } }] },
  ],
  tools: [
    { name: "Bash", description: "Run a command", input_schema: { type: "object", properties: { command: { type: "string" } }, required: ["command"], additionalProperties: false } },
    { name: "DeferredToolPlaceholder", description: "Reserved placeholder that keeps deferred tool loading active; never call this tool.", input_schema: { type: "object", properties: {} }, defer_loading: true },
  ],
  metadata: { user_id: '{"device_id":"2020ae1f","account_uuid":"","session_id":"53ea7ba5"}' },
  thinking: { type: "adaptive", display: "omitted" },
  context_management: { edits: [{ type: "clear_thinking_20251015", keep: "all" }] },
  output_config: { effort: "high" },
};
const claudeCodeBetas = [
  "claude-code-20250219",
  "interleaved-thinking-2025-05-14",
  "context-management-2025-06-27",
  "mid-conversation-tool-changes-2026-07-01",
  "thinking-token-count-2026-05-13",
  "advanced-tool-use-2025-11-20",
  "effort-2025-11-24",
];

/** A conversation with every translatable block: a tool round trip with thinking, an image, a PDF. */
const roundTrip = {
  system: "Be brief.",
  max_tokens: 2048,
  temperature: 0.3,
  top_p: 0.9,
  stop_sequences: ["###"],
  tools: [{ name: "get_weather", description: "Weather for a city", input_schema: { type: "object", properties: { city: { type: "string" } }, required: ["city"] } }],
  tool_choice: { type: "auto", disable_parallel_tool_use: true },
  messages: [
    user([
      { type: "text", text: "Weather in Paris, and what is in these?" },
      { type: "image", source: { type: "base64", media_type: "image/png", data: "iVBORw0KGgo=" } },
      { type: "image", source: { type: "url", url: "https://example.com/cat.jpg" } },
      { type: "document", source: { type: "base64", media_type: "application/pdf", data: "JVBERi0xLjQK" }, title: "Report" },
    ]),
    assistant([
      { type: "thinking", thinking: "I need the weather tool.", signature: mintSignature() },
      { type: "text", text: "Let me check." },
      { type: "tool_use", id: "call_abc_gts_RW9wMXQ4RE05QVBu", name: "get_weather", input: { city: "Paris" } },
    ]),
    user([
      { type: "tool_result", tool_use_id: "call_abc_gts_RW9wMXQ4RE05QVBu", content: [{ type: "text", text: '{"temp_c": 18}' }] },
      { type: "text", text: "Thanks. Summarize." },
    ]),
  ],
};

describe("toChatRequest: messages and blocks", () => {
  it("a tool round trip with thinking, images and a PDF", () => {
    const { chat, warnings } = translate(roundTrip, { protocol: "openai-compatible", upstreamModel: "deepseek-chat" });
    expect(warnings).toEqual([]);
    expect(chat).toMatchSnapshot();
    expect(chat.messages.map((m) => m.role)).toEqual(["system", "user", "assistant", "tool", "user"]);
    expect(chat.messages[2]).toEqual({
      role: "assistant",
      content: "Let me check.",
      reasoning_content: "I need the weather tool.",
      tool_calls: [{ id: "call_abc_gts_RW9wMXQ4RE05QVBu", type: "function", function: { name: "get_weather", arguments: '{"city":"Paris"}' } }],
    });
  });

  it("tool results come right after the assistant turn, before the user's text of the same turn; is_error says so", () => {
    const { chat } = translate({
      messages: [
        user("go"),
        assistant([{ type: "tool_use", id: "toolu_1", name: "t", input: {} }, { type: "tool_use", id: "toolu_2", name: "t", input: { a: 1 } }]),
        user([
          { type: "text", text: "and then?" },
          { type: "tool_result", tool_use_id: "toolu_1", content: "ok" },
          { type: "tool_result", tool_use_id: "toolu_2", content: [{ type: "text", text: "disk" }, { type: "text", text: "full" }], is_error: true },
        ]),
      ],
    });
    expect(chat.messages.slice(2)).toEqual([
      { role: "tool", tool_call_id: "toolu_1", content: "ok" },
      { role: "tool", tool_call_id: "toolu_2", content: "Error: disk\n\nfull" },
      { role: "user", content: "and then?" },
    ]);
  });

  it("images inside a tool_result go to a user message after the tool results (with a warning)", () => {
    const { chat, warnings } = translate({
      messages: [
        user("look"),
        assistant([{ type: "tool_use", id: "toolu_9", name: "screenshot", input: {} }]),
        user([{ type: "tool_result", tool_use_id: "toolu_9", content: [{ type: "image", source: { type: "base64", media_type: "image/png", data: "AAAA" } }] }]),
      ],
    });
    expect(chat.messages.slice(2)).toEqual([
      { role: "tool", tool_call_id: "toolu_9", content: "(attachments follow in the next message)" },
      {
        role: "user",
        content: [
          { type: "text", text: "Attachments returned by tool call toolu_9:" },
          { type: "image_url", image_url: { url: "data:image/png;base64,AAAA" } },
        ],
      },
    ]);
    expect(warnings).toEqual([expect.stringContaining("tool_result")]);
  });

  it("system-role messages keep their place; system blocks join with a blank line", () => {
    const { chat } = translate({ system: [{ type: "text", text: "A" }, { type: "text", text: "B" }], messages: [user("hi"), { role: "system", content: "late" }, user("again")] });
    expect(chat.messages).toEqual([
      { role: "system", content: "A\n\nB" },
      { role: "user", content: "hi" },
      { role: "system", content: "late" },
      { role: "user", content: "again" },
    ]);
  });

  it("thinking round trip: our signature's carried text (display omitted) becomes reasoning_content", () => {
    const { chat } = translate(
      { messages: [user("q"), assistant([{ type: "thinking", thinking: "", signature: mintSignature("hidden steps") }, { type: "text", text: "a" }]), user("more")] },
      { protocol: "openai-compatible" },
    );
    expect(chat.messages[1]).toEqual({ role: "assistant", content: "a", reasoning_content: "hidden steps" });
  });

  it("thinking signed by Anthropic (a session switched models) still gives its text as reasoning_content", () => {
    const { chat } = translate(
      { messages: [user("q"), assistant([{ type: "thinking", thinking: "steps", signature: "ErUBCkYIBRgCIkAuJ0Mw" }, { type: "text", text: "a" }]), user("more")] },
      { protocol: "google", upstreamModel: "gemini-2.5-flash" },
    );
    expect(chat.messages[1]).toMatchObject({ reasoning_content: "steps" });
  });

  it("OpenAI never gets reasoning_content back (strict message schema): a warning says it was left out", () => {
    const { chat, warnings } = translate({ messages: [user("q"), assistant([{ type: "thinking", thinking: "steps", signature: "sig" }, { type: "text", text: "a" }]), user("more")] });
    expect(chat.messages[1]).toEqual({ role: "assistant", content: "a" });
    expect(warnings).toEqual([expect.stringContaining("thinking")]);
  });

  it("redacted_thinking is accepted without effect, one warning for many blocks", () => {
    const { chat, warnings } = translate({
      messages: [user("q"), assistant([{ type: "redacted_thinking", data: "abc" }, { type: "redacted_thinking", data: "def" }, { type: "text", text: "a" }]), user("more")],
    });
    expect(chat.messages[1]).toEqual({ role: "assistant", content: "a" });
    expect(warnings).toEqual([expect.stringContaining("redacted_thinking")]);
  });

  it("text documents, content documents and title/context", () => {
    const { chat } = translate({
      messages: [
        user([
          { type: "document", source: { type: "text", media_type: "text/plain", data: "Grass is green." }, title: "Facts", context: "From a wiki" },
          { type: "document", source: { type: "content", content: [{ type: "text", text: "Sky is blue." }] } },
        ]),
      ],
    });
    expect(chat.messages[0]).toEqual({
      role: "user",
      content: [
        { type: "text", text: "Facts\nFrom a wiki" },
        { type: "text", text: "Grass is green." },
        { type: "text", text: "Sky is blue." },
      ],
    });
  });

  it("a PDF is an OpenAI file part, a data URL for Gemini; a PDF URL only reaches Gemini", () => {
    const pdf = { type: "document", source: { type: "base64", media_type: "application/pdf", data: "JVBERi0=" } };
    expect(translate({ messages: [user([pdf])] }).chat.messages[0]).toEqual({ role: "user", content: [{ type: "file", file: { filename: "document.pdf", file_data: "data:application/pdf;base64,JVBERi0=" } }] });
    expect(translate({ messages: [user([pdf])] }, { protocol: "google" }).chat.messages[0]).toEqual({
      role: "user",
      content: [{ type: "image_url", image_url: { url: "data:application/pdf;base64,JVBERi0=" } }],
    });
    const byUrl = { type: "document", source: { type: "url", url: "https://example.com/a.pdf" } };
    expect(translate({ messages: [user([byUrl])] }, { protocol: "google" }).chat.messages[0]).toEqual({ role: "user", content: [{ type: "image_url", image_url: { url: "https://example.com/a.pdf" } }] });
    rejects({ messages: [user([byUrl])] }, "messages[0].content[0].source");
  });

  it("400s naming the block", () => {
    rejects({ messages: [user([{ type: "text", text: "a" }, { type: "search_result", source: "x", title: "t", content: [] }])] }, "messages[0].content[1]");
    rejects({ messages: [user("q"), assistant([{ type: "server_tool_use", id: "srvtoolu_1", name: "web_search", input: {} }])] }, "messages[1].content[0]");
    rejects({ messages: [user([{ type: "image", source: { type: "file", file_id: "file_1" } }])] }, "messages[0].content[0].source");
    rejects({ messages: [user([{ type: "document", source: { type: "base64", media_type: "text/csv", data: "YQ==" } }])] }, "messages[0].content[0].source");
    rejects({ messages: [user([{ type: "document", source: { type: "file", file_id: "file_1" } }])] }, "messages[0].content[0].source");
    rejects({ messages: [user([{ type: "document", source: { type: "text", media_type: "text/plain", data: "a" }, citations: { enabled: true } }])] }, "messages[0].content[0].citations");
    rejects({ messages: [user([{ type: "tool_use", id: "t", name: "n", input: {} }])] }, "messages[0].content[0]");
    rejects({ messages: [user("q"), assistant([{ type: "image", source: { type: "url", url: "https://x/y.png" } }])] }, "messages[1].content[0]");
    rejects({ messages: [user([{ type: "text", text: "a", extra_field: 1 }])] }, "messages[0].content[0].extra_field");
    rejects({ messages: [{ role: "user", content: "a", name: "bob" }] }, "messages[0].name");
    rejects({ messages: [user([])] }, "messages[0].content");
    rejects({ system: "s", messages: [user("q"), { role: "system", content: [{ type: "image", source: { type: "url", url: "https://x/y.png" } }] }] }, "messages[1].content[0]");
    rejects(
      { messages: [user("q"), assistant([{ type: "tool_use", id: "t", name: "n", input: {} }]), user([{ type: "tool_result", tool_use_id: "t", content: [{ type: "search_result", source: "s", title: "t", content: [] }] }])] },
      "messages[2].content[0].content[0]",
    );
  });
});

describe("toChatRequest: tools", () => {
  const tool = (name: string, extra: Record<string, unknown> = {}) => ({ name, input_schema: { type: "object", properties: {} }, ...extra });

  it("custom tools → functions; tool_choice auto/any/tool/none; disable_parallel_tool_use", () => {
    const base = { messages: [user("q")], tools: [tool("a", { description: "A" }), tool("b", { type: "custom", strict: true })] };
    const pick = (tool_choice: unknown) => {
      const { chat } = translate({ ...base, tool_choice });
      return { tool_choice: chat.tool_choice, parallel_tool_calls: chat.parallel_tool_calls };
    };
    expect(translate(base).chat.tools).toEqual([
      { type: "function", function: { name: "a", description: "A", parameters: { type: "object", properties: {} } } },
      { type: "function", function: { name: "b", parameters: { type: "object", properties: {} }, strict: true } },
    ]);
    expect(pick({ type: "auto" })).toEqual({ tool_choice: "auto", parallel_tool_calls: undefined });
    expect(pick({ type: "any", disable_parallel_tool_use: true })).toEqual({ tool_choice: "required", parallel_tool_calls: false });
    expect(pick({ type: "tool", name: "b" })).toEqual({ tool_choice: { type: "function", function: { name: "b" } }, parallel_tool_calls: undefined });
    expect(pick({ type: "none" })).toEqual({ tool_choice: "none", parallel_tool_calls: undefined });
  });

  it("tool_choice auto/none without tools is left out; any/tool without tools is a 400", () => {
    expect(translate({ messages: [user("q")], tool_choice: { type: "none" } }).chat.tool_choice).toBeUndefined();
    rejects({ messages: [user("q")], tool_choice: { type: "any" } }, "tool_choice");
    rejects({ messages: [user("q")], tools: [tool("a")], tool_choice: { type: "tool", name: "zzz" } }, "tool_choice.name");
  });

  it("server tools are a 400 naming tools[i]; tool search and defer_loading are warnings", () => {
    rejects({ messages: [user("q")], tools: [tool("a"), { type: "web_search_20250305", name: "web_search", max_uses: 3 }] }, "tools[1]");
    rejects({ messages: [user("q")], tools: [{ type: "bash_20250124", name: "bash" }] }, "tools[0]");
    const { chat, warnings } = translate({
      messages: [user("q")],
      tools: [{ type: "tool_search_tool_regex_20251119", name: "tool_search_tool_regex" }, tool("a", { defer_loading: true }), tool("b", { defer_loading: true })],
    });
    expect(chat.tools?.map((t) => t.function.name)).toEqual(["a", "b"]);
    expect(warnings).toHaveLength(2);
    expect(warnings.join(" ")).toMatch(/Tool search.*defer_loading/s);
  });

  it("names longer than 64 characters and unknown tool fields are 400s", () => {
    rejects({ messages: [user("q")], tools: [tool("mcp__" + "x".repeat(70))] }, "tools[0].name");
    rejects({ messages: [user("q")], tools: [tool("a", { allowed_callers: ["code_execution_20250825"] })] }, "tools[0].allowed_callers");
  });
});

describe("toChatRequest: parameters", () => {
  it("max_tokens: max_completion_tokens for OpenAI and Gemini, max_tokens for compatible servers", () => {
    expect(translate({ messages: [user("q")] }).chat).toMatchObject({ max_completion_tokens: 1024 });
    expect(translate({ messages: [user("q")] }, { protocol: "google" }).chat).toMatchObject({ max_completion_tokens: 1024 });
    const compatible = translate({ messages: [user("q")] }, { protocol: "openai-compatible" }).chat;
    expect(compatible).toMatchObject({ max_tokens: 1024 });
    expect(compatible.max_completion_tokens).toBeUndefined();
  });

  it("stop_sequences: 4 for OpenAI, 5 for Gemini, the server's own limit for compatible ones", () => {
    const five = { messages: [user("q")], stop_sequences: ["a", "b", "c", "d", "e"] };
    rejects(five, "stop_sequences");
    expect(translate(five, { protocol: "google" }).chat.stop).toEqual(["a", "b", "c", "d", "e"]);
    rejects({ ...five, stop_sequences: ["a", "b", "c", "d", "e", "f"] }, "stop_sequences", { protocol: "google" });
    expect(translate({ ...five, stop_sequences: [...five.stop_sequences, "f"] }, { protocol: "openai-compatible" }).chat.stop).toHaveLength(6);
    expect(translate({ messages: [user("q")], stop_sequences: [] }).chat.stop).toBeUndefined();
  });

  it("top_k: passed to compatible servers, a 400 for OpenAI and Gemini", () => {
    expect(translate({ messages: [user("q")], top_k: 40 }, { protocol: "openai-compatible" }).chat).toMatchObject({ top_k: 40 });
    rejects({ messages: [user("q")], top_k: 40 }, "top_k");
    rejects({ messages: [user("q")], top_k: 40 }, "top_k", { protocol: "google" });
  });

  it("unknown top-level fields are a 400 naming them; nulls ask for nothing", () => {
    rejects({ messages: [user("q")], service_tier: "auto" }, "service_tier");
    rejects({ messages: [user("q")], mcp_servers: [] }, "mcp_servers");
    rejects({ messages: [user("q")], container: "c" }, "container");
    expect(() => translate({ messages: [user("q")], container: null })).not.toThrow();
    rejects({ messages: [user("q")], metadata: { user_id: "u", tier: "gold" } }, "metadata.tier");
    rejects({ messages: [user("q")], output_config: { effort: "low", task_budget: 5 } }, "output_config.task_budget");
    rejects({ messages: [user("q")], thinking: { type: "enabled", budget_tokens: 2000, mode: "x" } }, "thinking.mode");
  });

  it("output_config.format json_schema → strict response_format; other formats are a 400", () => {
    const schema = { type: "object", properties: { a: { type: "string" } }, required: ["a"], additionalProperties: false };
    expect(translate({ messages: [user("q")], output_config: { format: { type: "json_schema", schema } } }).chat.response_format).toEqual({
      type: "json_schema",
      json_schema: { name: "output", schema, strict: true },
    });
    rejects({ messages: [user("q")], output_config: { format: { type: "xml" } } }, "output_config.format");
  });
});

describe("toChatRequest: thinking and effort", () => {
  const effort = (body: Record<string, unknown>, reasoning: boolean) => translate({ messages: [user("q")], ...body }, { reasoning });

  it("with a reasoning control: effort wins, budget maps to the nearest effort (with a warning), adaptive alone is the upstream default", () => {
    expect(effort({ thinking: { type: "adaptive" }, output_config: { effort: "max" } }, true)).toEqual(expect.objectContaining({ warnings: [] }));
    expect(effort({ thinking: { type: "adaptive" }, output_config: { effort: "max" } }, true).chat.reasoning_effort).toBe("high");
    expect(effort({ output_config: { effort: "low" } }, true).chat.reasoning_effort).toBe("low");
    expect(effort({ thinking: { type: "adaptive" } }, true).chat.reasoning_effort).toBeUndefined();
    for (const [budget, level] of [[1024, "low"], [2048, "low"], [8000, "medium"], [16000, "high"]] as const) {
      const { chat, warnings } = effort({ max_tokens: 32000, thinking: { type: "enabled", budget_tokens: budget } }, true);
      expect(chat.reasoning_effort).toBe(level);
      expect(warnings).toEqual([expect.stringContaining(`"${level}"`)]);
    }
    const disabled = effort({ thinking: { type: "disabled" }, output_config: { effort: "high" } }, true);
    expect(disabled.chat.reasoning_effort).toBeUndefined();
    expect(disabled.warnings).toEqual([expect.stringContaining("disabled")]);
  });

  it("without one: adaptive is silently no reasoning; enabled and effort are warnings", () => {
    expect(effort({ thinking: { type: "adaptive" } }, false)).toMatchObject({ warnings: [] });
    const enabled = effort({ max_tokens: 4096, thinking: { type: "enabled", budget_tokens: 2000 }, output_config: { effort: "low" } }, false);
    expect(enabled.chat.reasoning_effort).toBeUndefined();
    expect(enabled.warnings).toEqual([expect.stringContaining("no reasoning control"), expect.stringContaining("output_config.effort")]);
  });
});

describe("toChatRequest: what Claude Code sends", () => {
  it("is accepted on every protocol, each hint kind warned once", () => {
    for (const protocol of ["openai", "openai-compatible", "google"] as Protocol[]) {
      const warnings: string[] = [];
      const chat = toChatRequest(messages(claudeCode), opts({ protocol, betas: claudeCodeBetas }), warnings);
      expect(chat.messages.map((m) => m.role)).toEqual(["system", "user", "system"]);
      expect(chat.tools?.map((t) => t.function.name)).toEqual(["Bash", "DeferredToolPlaceholder"]);
      expect(warnings.map((w) => w.split(" ")[0])).toEqual(["context_management", "anthropic-beta", "cache_control", "defer_loading", "output_config.effort", "metadata.user_id"]);
    }
  });

  it("on a reasoning model its effort becomes reasoning_effort (no effort warning)", () => {
    const warnings: string[] = [];
    const chat = toChatRequest(messages(claudeCode), opts({ reasoning: true, upstreamModel: "o4-mini", betas: claudeCodeBetas }), warnings);
    expect(chat.reasoning_effort).toBe("high");
    expect(warnings.filter((w) => w.startsWith("output_config.effort"))).toEqual([]);
  });
});

describe("the upstream request each adapter builds from a translated request", () => {
  const target = { baseUrl: "https://upstream.example/v1", apiKey: "sk-test", upstreamModel: "" };
  const cases: [Protocol, string, boolean][] = [
    ["openai", "gpt-4o", false],
    ["openai-compatible", "deepseek-chat", true],
    ["google", "gemini-3-pro-preview", true],
  ];
  for (const [protocol, upstreamModel, reasoning] of cases) {
    it(`${protocol} (${upstreamModel})`, () => {
      const warnings: string[] = [];
      const chat: ChatRequest = toChatRequest(messages({ ...roundTrip, stream: true, thinking: { type: "enabled", budget_tokens: 1024 } }), opts({ protocol, upstreamModel, reasoning }), warnings);
      const upstream = chatAdapterFor(protocol)!.buildRequest(chat, { ...target, upstreamModel }, { stream: true });
      expect({ url: upstream.url, body: upstream.body, warnings: [...warnings, ...upstream.warnings] }).toMatchSnapshot();
    });
  }

  it("Claude Code's request, as each adapter sends it", () => {
    for (const [protocol, upstreamModel, reasoning] of cases) {
      const warnings: string[] = [];
      const chat = toChatRequest(messages(claudeCode), opts({ protocol, upstreamModel, reasoning, betas: claudeCodeBetas }), warnings);
      const upstream = chatAdapterFor(protocol)!.buildRequest(chat, { ...target, upstreamModel }, { stream: true });
      expect({ protocol, body: upstream.body, warnings: [...warnings, ...upstream.warnings] }).toMatchSnapshot();
    }
  });
});
