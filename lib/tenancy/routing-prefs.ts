// Routing preferences, OpenRouter's shape: `models` (fallbacks in order) and
// `provider: {order, only, ignore, allow_fallbacks}`, on a request or as a project's defaults.
import { z } from "zod";

const modelId = z.string().regex(/^[a-z0-9][a-z0-9._-]*\/\S+$/, "expected a model id such as openai/gpt-4o");
const slug = z.string().regex(/^[a-z0-9][a-z0-9-]*$/, "expected a provider name such as openai");

export const fallbackModels = z.array(modelId).min(1).max(10);

export const providerPreferences = z.strictObject({
  /** Providers to try first, in this order; the others follow unless allow_fallbacks is false. */
  order: z.array(slug).max(20).optional(),
  /** Only these providers. */
  only: z.array(slug).max(20).optional(),
  /** Never these providers. */
  ignore: z.array(slug).max(20).optional(),
  /** false: no model beyond the first candidate (or beyond the providers in `order`). Default true. */
  allow_fallbacks: z.boolean().optional(),
});

export type ProviderPreferences = z.infer<typeof providerPreferences>;

export interface RoutingPrefs {
  models?: string[];
  provider?: ProviderPreferences;
}
