// Thinking blocks need a `signature` (the Anthropic SDKs and Claude Code send it back unchanged on
// the next turn). Translated upstreams have none, so we mint one that says where the block came
// from and, when the client asked for `thinking.display: "omitted"`, carries the reasoning text the
// block itself leaves out: DeepSeek-style upstreams want `reasoning_content` back on later turns.
//
//   vecstruct.<base64url JSON {"v":1,"t"?: reasoning text}>
const PREFIX = "vecstruct.";

interface Payload {
  v: 1;
  t?: string;
}

export function mintSignature(omittedText?: string): string {
  const payload: Payload = omittedText ? { v: 1, t: omittedText } : { v: 1 };
  return PREFIX + Buffer.from(JSON.stringify(payload), "utf8").toString("base64url");
}

/** Our signature's payload, or null for anything else (an Anthropic signature, a client's string). */
export function readSignature(signature: string | undefined): Payload | null {
  if (!signature?.startsWith(PREFIX)) return null;
  try {
    const parsed: unknown = JSON.parse(Buffer.from(signature.slice(PREFIX.length), "base64url").toString("utf8"));
    if (typeof parsed !== "object" || parsed === null || (parsed as Payload).v !== 1) return null;
    const t = (parsed as Payload).t;
    return typeof t === "string" ? { v: 1, t } : { v: 1 };
  } catch {
    return null;
  }
}
