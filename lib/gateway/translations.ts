// One translation per model and protocol for a whole request on a translated front door (Messages,
// Responses): the reservation and each attempt (retries included) share it, warnings and refusals alike.
import { reservationMicros } from "../billing/chat";
import type { CatalogModel } from "../catalog/catalog";
import type { Protocol } from "../catalog/providers";
import type { Candidate } from "../upstream/routing/plan";
import type { ChatRequest } from "../wire/chat";

export type Translate = (model: CatalogModel, protocol: Protocol, warnings: string[]) => ChatRequest;

export class Translations {
  private readonly done = new Map<string, { chat: ChatRequest; warnings: string[] } | { error: unknown }>();

  constructor(private readonly translate: Translate) {}

  get(model: CatalogModel, protocol: Protocol): { chat: ChatRequest; warnings: string[] } {
    const key = `${model.rowId}\u0000${protocol}`;
    let entry = this.done.get(key);
    if (!entry) {
      const warnings: string[] = [];
      try {
        entry = { chat: this.translate(model, protocol, warnings), warnings };
      } catch (error) {
        entry = { error };
      }
      this.done.set(key, entry);
    }
    if ("error" in entry) throw entry.error;
    return { chat: entry.chat, warnings: [...entry.warnings] };
  }

  /** What this candidate can cost on its translated protocols: the translated request's bound. */
  worstCase(c: Candidate, translated: (p: Protocol) => boolean): bigint {
    const protocols = c.credentials.map((p) => p.protocol).filter(translated);
    if (protocols.length === 0) return 0n;
    try {
      return reservationMicros(this.get(c.model, protocols[0]!).chat, c.model, protocols);
    } catch {
      return 0n; // a request this model cannot take: its attempt answers the 400
    }
  }
}
