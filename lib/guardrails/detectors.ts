// Built-in detectors of the guardrails (docs/policies.md). Every pattern has bounded repetition, so
// V8's backtracking stays linear in the text's length; candidates are then checked (Luhn for cards,
// ISO 7064 mod 97 for IBANs, digit counts for phones) so that order numbers and times are left alone.
// Custom patterns run on RE2 (lib/guardrails/rules.ts), never on V8's engine.

export const DETECTORS = ["email", "phone", "card", "iban", "ip", "secret", "regex", "deny"] as const;
export type Detector = (typeof DETECTORS)[number];

export const PLACEHOLDER: Record<Detector, string> = {
  email: "[EMAIL]",
  phone: "[PHONE]",
  card: "[CARD]",
  iban: "[IBAN]",
  ip: "[IP]",
  secret: "[SECRET]",
  regex: "[REDACTED]",
  deny: "[REDACTED]",
};

export interface Span {
  start: number;
  end: number;
}

/** Spans of `re` (global) in `text` that pass `accept`. */
function spans(re: RegExp, text: string, accept: (m: string) => boolean = () => true): Span[] {
  const out: Span[] = [];
  for (const m of text.matchAll(re)) if (accept(m[0])) out.push({ start: m.index, end: m.index + m[0].length });
  return out;
}

export function luhn(digits: string): boolean {
  let sum = 0;
  for (let i = 0; i < digits.length; i++) {
    let d = digits.charCodeAt(digits.length - 1 - i) - 48;
    if (i % 2 === 1) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
  }
  return digits.length > 0 && sum % 10 === 0;
}

export function ibanValid(raw: string): boolean {
  const s = raw.replace(/ /g, "").toUpperCase();
  if (s.length < 15 || s.length > 34) return false;
  const moved = s.slice(4) + s.slice(0, 4);
  let rem = 0;
  for (const ch of moved) {
    const v = ch >= "A" && ch <= "Z" ? String(ch.charCodeAt(0) - 55) : ch;
    for (const d of v) rem = (rem * 10 + (d.charCodeAt(0) - 48)) % 97;
  }
  return rem === 1;
}

const EMAIL = /[A-Za-z0-9._%+-]{1,64}@[A-Za-z0-9-]{1,63}(?:\.[A-Za-z0-9-]{1,63}){0,8}\.[A-Za-z]{2,24}/g;
const CARD = /(?<![\d-])\d(?:[ -]?\d){12,18}(?![\d-])/g;
const PHONE = /(?<![\w+])(?:\+\d{1,3}[ .-]?)?(?:\(\d{1,4}\)[ .-]?)?\d{1,4}(?:[ .-]?\d{1,4}){1,5}(?![\w])/g;
const IBAN = /\b[A-Z]{2}\d{2}(?: ?[A-Z0-9]){11,30}\b/g;
const IPV4 = /(?<![\d.])(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(?:\.(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}(?![\d.])/g;
const IPV6 = /(?<![0-9A-Fa-f:])(?:[0-9A-Fa-f]{1,4}:){7}[0-9A-Fa-f]{1,4}(?![0-9A-Fa-f:])|(?<![0-9A-Fa-f:])(?:[0-9A-Fa-f]{1,4}:){1,6}:(?:[0-9A-Fa-f]{1,4}(?::[0-9A-Fa-f]{1,4}){0,5})?(?![0-9A-Fa-f:])/g;
// API-key shapes: OpenAI (sk-, sk-proj-), Anthropic (sk-ant-), GitHub (ghp_, gho_, ghu_, ghs_, ghr_,
// github_pat_), AWS access key ids, Slack tokens, Google API keys, PEM private keys, and vecstruct's own keys.
const SECRET =
  /\bsk-(?:proj-|ant-(?:api\d\d-)?)?[A-Za-z0-9_-]{20,200}|\bgh[pousr]_[A-Za-z0-9]{36,255}\b|\bgithub_pat_[A-Za-z0-9_]{22,255}\b|\bAKIA[0-9A-Z]{16}\b|\bxox[abprs]-[A-Za-z0-9-]{10,200}|\bAIza[0-9A-Za-z_-]{35}\b|-----BEGIN (?:RSA |EC |OPENSSH |DSA )?PRIVATE KEY-----|\bvs-[A-Za-z0-9_-]{20,200}/g;

const digitsOf = (s: string) => s.replace(/\D/g, "");

/** Where a built-in detector matches in `text` (non-overlapping, in order). */
export function builtinSpans(detector: Exclude<Detector, "regex" | "deny">, text: string): Span[] {
  switch (detector) {
    case "email":
      return spans(EMAIL, text);
    case "card":
      return spans(CARD, text, (m) => luhn(digitsOf(m)));
    case "phone":
      // 9–15 digits (E.164) written as a number is ("+33 6 12 34 56 78", "(02) 1234-5678"): a leading "+"
      // or separators, so a bare order number is not a phone; and not a payment card (the card detector's).
      return spans(PHONE, text, (m) => {
        const d = digitsOf(m);
        return d.length >= 9 && d.length <= 15 && (m.startsWith("+") || /[ .()-]/.test(m)) && !(d.length >= 13 && luhn(d));
      });
    case "iban":
      return spans(IBAN, text, ibanValid);
    case "ip":
      return [...spans(IPV4, text), ...spans(IPV6, text, (m) => /[A-Fa-f]/.test(m) || m.includes("::"))].sort((a, b) => a.start - b.start);
    case "secret":
      return spans(SECRET, text);
    default: {
      const never: never = detector;
      return never;
    }
  }
}
