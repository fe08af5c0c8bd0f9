import { handlers } from "@/lib/auth/config";
import { guardCredentialsCallback } from "@/lib/auth/throttle";
import type { NextRequest } from "next/server";

export const { GET } = handlers;

/** Password sign-ins are throttled per client and per email before next-auth runs scrypt. */
export async function POST(req: NextRequest): Promise<Response> {
  return (await guardCredentialsCallback(req)) ?? handlers.POST(req);
}
