// The GenerateContentResponse this adapter reads (a JSON answer, or one stream event), as a loose zod
// schema: the fields read are checked, the rest (safetyRatings, citationMetadata, groundingMetadata,
// parts of kinds we do not convert) are kept and ignored. Gemini's JSON omits unset fields, so
// nothing here is nullable.
import { z } from "zod";
import type { GeminiResponse } from "./wire";

const count = z.number().optional();
const logprobCandidate = z.looseObject({ token: z.string().optional(), tokenId: count, logProbability: count });

const part = z.looseObject({
  text: z.string().optional(),
  thought: z.boolean().optional(),
  thoughtSignature: z.string().optional(),
  functionCall: z.looseObject({ name: z.string(), args: z.record(z.string(), z.unknown()).optional(), id: z.string().optional() }).optional(),
});

const candidate = z.looseObject({
  content: z.looseObject({ role: z.enum(["user", "model"]).optional(), parts: z.array(part).optional() }).optional(),
  finishReason: z.string().optional(),
  finishMessage: z.string().optional(),
  index: count,
  logprobsResult: z
    .looseObject({
      topCandidates: z.array(z.looseObject({ candidates: z.array(logprobCandidate).optional() })).optional(),
      chosenCandidates: z.array(logprobCandidate).optional(),
    })
    .optional(),
});

export const geminiResponseSchema = z.looseObject({
  candidates: z.array(candidate).optional(),
  promptFeedback: z.looseObject({ blockReason: z.string().optional(), blockReasonMessage: z.string().optional() }).optional(),
  usageMetadata: z
    .looseObject({
      promptTokenCount: count,
      cachedContentTokenCount: count,
      candidatesTokenCount: count,
      toolUsePromptTokenCount: count,
      thoughtsTokenCount: count,
      totalTokenCount: count,
    })
    .optional(),
  modelVersion: z.string().optional(),
  responseId: z.string().optional(),
  error: z.looseObject({ code: count, message: z.string().optional(), status: z.string().optional() }).optional(),
}) satisfies z.ZodType<GeminiResponse>;
