// Passages that talk to the model instead of informing it ("ignore all previous instructions", a fake
// system turn): with guardrails on, retrieval drops them before they reach the prompt
// (docs/policies.md, "RAG passages"). A heuristic over phrasing that ordinary documents do not use;
// bounded patterns, linear in the passage's length.
const PATTERNS: RegExp[] = [
  /\b(?:ignore|disregard|forget|override)\s+(?:all\s+|any\s+|the\s+|your\s+)?(?:previous|prior|above|earlier|preceding|system)\s+(?:instructions|prompts?|rules|messages|directions)\b/i,
  /\b(?:you\s+are\s+now|from\s+now\s+on,?\s+you\s+(?:are|will|must))\b/i,
  /\b(?:new|updated|real)\s+(?:system\s+)?instructions\s*:/i,
  /\b(?:reveal|print|show|repeat|output)\s+(?:your|the)\s+(?:system\s+prompt|hidden\s+instructions|instructions\s+above)\b/i,
  /\bdo\s+not\s+(?:tell|inform|mention\s+(?:this\s+)?to)\s+the\s+user\b/i,
  /<\|(?:im_start|im_end|system|endoftext)\|>|\[\/?INST\]|^\s*#{2,}\s*(?:system|instruction)s?\s*:?\s*$/im,
  /(?:忽略|无视|無視|忘记|忘記)(?:所有|全部|一切)?(?:之前|以上|先前|前面|上述)的?(?:指示|指令|规则|規則|提示)/,
  /(?:你现在是|你現在是|从现在起你|從現在起你)/,
];

/** True when the passage reads as instructions aimed at the model. */
export const looksLikeInjection = (text: string): boolean => PATTERNS.some((p) => p.test(text));
