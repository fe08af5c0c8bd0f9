// Keyset pagination of management lists (core: every layer that lists rows uses it).
import { z } from "zod";
import { ApiError } from "./errors";

export const pageQuery = {
  limit: z.coerce.number().int().min(1).max(200).default(50),
  cursor: z.string().min(1).optional(),
};

type Cursor = { createdAt: Date; id: string };

// Opaque keyset cursor over (createdAt desc, id desc): stable under inserts, no lookup needed.
export function encodeCursor(row: Cursor): string {
  return Buffer.from(`${row.createdAt.toISOString()}|${row.id}`).toString("base64url");
}

export function decodeCursor(cursor: string): Cursor {
  const [iso, id] = Buffer.from(cursor, "base64url").toString("utf8").split("|");
  const createdAt = new Date(iso ?? "");
  if (!id || Number.isNaN(createdAt.getTime())) throw new ApiError("invalid_value", "Invalid 'cursor'.", { param: "cursor" });
  return { createdAt, id };
}

/** Prisma `where` fragment and `orderBy` for a keyset page. */
export function pageArgs(page: { limit: number; cursor?: string | undefined }) {
  const c = page.cursor ? decodeCursor(page.cursor) : undefined;
  return {
    where: c ? { OR: [{ createdAt: { lt: c.createdAt } }, { createdAt: c.createdAt, id: { lt: c.id } }] } : {},
    orderBy: [{ createdAt: "desc" as const }, { id: "desc" as const }],
    take: page.limit + 1,
  };
}

export function toPage<R extends Cursor, T>(rows: R[], limit: number, serialize: (row: R) => T) {
  const more = rows.length > limit;
  const items = more ? rows.slice(0, limit) : rows;
  const last = items[items.length - 1];
  return { data: items.map(serialize), next_cursor: more && last ? encodeCursor(last) : null };
}
