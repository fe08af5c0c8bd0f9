import { describe, expect, it } from "vitest";
import { mergeSettings, projectSettings } from "@/lib/tenancy/project-settings";

describe("project settings (lib/tenancy/project-settings.ts, the one owner)", () => {
  it("reads the stored JSON through its zod schema", () => {
    const stored = { memory_model: "openai/gpt-4o-mini", rerank_model: null, fallback_models: ["openai/gpt-4o"], provider: { only: ["openai"] }, rpm_limit: 5, tpm_limit: null, max_concurrent: 2 };
    expect(projectSettings(stored)).toEqual(stored);
  });

  it("reads a field that no longer parses as unset, and keeps the others", () => {
    expect(projectSettings({ rpm_limit: -1, memory_model: "not a model id", tpm_limit: 100 })).toEqual({ tpm_limit: 100 });
  });

  it("reads anything that is not an object as no settings", () => {
    for (const raw of [null, undefined, "x", 3, ["rpm_limit"]]) expect(projectSettings(raw)).toEqual({});
  });

  it("merges only the fields an input names (null clears one, undefined keeps it)", () => {
    expect(mergeSettings({ rpm_limit: 5, tpm_limit: 10 }, { rpm_limit: null, max_concurrent: 3 })).toEqual({ rpm_limit: null, tpm_limit: 10, max_concurrent: 3 });
    expect(mergeSettings({ rpm_limit: 5 }, { name: "x" } as never)).toBeUndefined();
  });
});
