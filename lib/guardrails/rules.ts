// A project's guardrail rules (PUT /api/projects/{id}/guardrails, docs/policies.md): validation, and
// the compiled form the gateway scans with. Custom patterns compile with RE2 (re2js: linear time, no
// backreferences or lookaround), so no pattern a tenant writes can stall a request.
import { RE2JS } from "re2js";
import { z } from "zod";
import { builtinSpans, DETECTORS, PLACEHOLDER, type Detector, type Span } from "./detectors";

export const ACTIONS = ["redact", "block", "log"] as const;
export type Action = (typeof ACTIONS)[number];

const MAX_RULES = 50;
const MAX_PATTERN = 500;
const MAX_TERMS = 500;

export const ruleSchema = z
  .strictObject({
    detector: z.enum(DETECTORS),
    input: z.enum(ACTIONS).optional(),
    output: z.enum(ACTIONS).optional(),
    pattern: z.string().min(1).max(MAX_PATTERN).optional(),
    terms: z.array(z.string().trim().min(1).max(200)).min(1).max(MAX_TERMS).optional(),
  })
  .superRefine((r, ctx) => {
    if (!r.input && !r.output) ctx.addIssue({ code: "custom", path: ["input"], message: "a rule needs an action on input, output or both" });
    if (r.detector === "regex") {
      if (!r.pattern) ctx.addIssue({ code: "custom", path: ["pattern"], message: "a regex rule needs a pattern" });
      else {
        try {
          RE2JS.compile(r.pattern);
        } catch (err) {
          ctx.addIssue({ code: "custom", path: ["pattern"], message: `not a pattern RE2 accepts (no backreferences or lookaround): ${(err as Error).message.slice(0, 200)}` });
        }
      }
    } else if (r.pattern !== undefined) ctx.addIssue({ code: "custom", path: ["pattern"], message: "only regex rules take a pattern" });
    if (r.detector === "deny" && !r.terms) ctx.addIssue({ code: "custom", path: ["terms"], message: "a deny rule needs terms" });
    if (r.detector !== "deny" && r.terms !== undefined) ctx.addIssue({ code: "custom", path: ["terms"], message: "only deny rules take terms" });
  });

export const guardrailsInput = z.strictObject({ rules: z.array(ruleSchema).max(MAX_RULES) });
export type GuardrailRule = z.infer<typeof ruleSchema>;

/** Stored rules, each re-validated (one that no longer parses is left out, not fatal). */
export function storedRules(raw: unknown): GuardrailRule[] {
  if (!raw || typeof raw !== "object" || !Array.isArray((raw as { rules?: unknown }).rules)) return [];
  return ((raw as { rules: unknown[] }).rules)
    .map((r) => ruleSchema.safeParse(r))
    .filter((r) => r.success)
    .map((r) => r.data);
}

export type Side = "input" | "output";

/** A rule ready to scan with. */
export interface CompiledRule {
  detector: Detector;
  input?: Action;
  output?: Action;
  find: (text: string) => Span[];
}

const escapeRe = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

function re2Spans(pattern: RE2JS, text: string): Span[] {
  const out: Span[] = [];
  const m = pattern.matcher(text);
  while (m.find()) {
    const start = m.start();
    const end = m.end();
    if (end > start) out.push({ start, end });
  }
  return out;
}

export function compileRules(rules: GuardrailRule[]): CompiledRule[] {
  return rules.map((r): CompiledRule => {
    const base = { detector: r.detector, ...(r.input ? { input: r.input } : {}), ...(r.output ? { output: r.output } : {}) };
    if (r.detector === "regex") {
      const re = RE2JS.compile(r.pattern!);
      return { ...base, find: (t) => re2Spans(re, t) };
    }
    if (r.detector === "deny") {
      // Whole words, any case: "ban" does not match "banana".
      const re = RE2JS.compile(`(?i)(?:^|\\b)(?:${r.terms!.map(escapeRe).join("|")})(?:\\b|$)`);
      return { ...base, find: (t) => re2Spans(re, t) };
    }
    const detector = r.detector;
    return { ...base, find: (t) => builtinSpans(detector, t) };
  });
}

/** What a scan found, per (detector, action, side): what the audit row and the warnings report. */
export interface Finding {
  detector: Detector;
  action: Action;
  where: Side;
  count: number;
}

export function addFinding(findings: Finding[], f: Omit<Finding, "count">, count: number): void {
  if (count === 0) return;
  const same = findings.find((x) => x.detector === f.detector && x.action === f.action && x.where === f.where);
  if (same) same.count += count;
  else findings.push({ ...f, count });
}

/** A match of a rule acting on a side (positions only: the matched text is never kept). */
export interface Match extends Span {
  detector: Detector;
  action: Action;
}

/** Every match in `text` of the rules that act on `side`, by start. */
export function matchesOf(rules: CompiledRule[], side: Side, text: string): Match[] {
  const out: Match[] = [];
  for (const rule of rules) {
    const action = rule[side];
    if (!action) continue;
    for (const s of rule.find(text)) out.push({ ...s, detector: rule.detector, action });
  }
  return out.sort((a, b) => a.start - b.start || b.end - a.end);
}

/** `text` with its `redact` matches replaced by their placeholders (overlaps: the earlier, longer one wins). */
export function redact(text: string, matches: Match[]): string {
  let out = "";
  let at = 0;
  for (const m of matches) {
    if (m.action !== "redact" || m.start < at) continue;
    out += text.slice(at, m.start) + PLACEHOLDER[m.detector];
    at = m.end;
  }
  return at === 0 ? text : out + text.slice(at);
}

export function count(findings: Finding[], side: Side, matches: Match[]): void {
  for (const m of matches) addFinding(findings, { detector: m.detector, action: m.action, where: side }, 1);
}

/**
 * Scans a whole text: redactions applied, each match counted in `findings`, and where the first
 * `block` match starts (null when none). A blocked output keeps only what comes before that match.
 */
export function scan(rules: CompiledRule[], side: Side, text: string, findings: Finding[]): { text: string; blockedAt: number | null } {
  const matches = matchesOf(rules, side, text);
  count(findings, side, matches);
  const block = matches.find((m) => m.action === "block");
  return { text: redact(text, matches), blockedAt: block ? block.start : null };
}

/** vecstruct.warnings lines: one per (detector, action, side). */
export const findingWarnings = (findings: Finding[]): string[] => findings.map((f) => `guardrails: ${f.detector} ${f.action} on ${f.where} (${f.count})`);
