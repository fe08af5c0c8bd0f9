import { NextRequest } from "next/server";
import { handlers } from "@/lib/auth/config";
import { guardCredentialsCallback } from "@/lib/auth/throttle";
import { errorResponse } from "@/lib/errors";
import { withBufferedBody } from "@/lib/http/body";

export const { GET } = handlers;

/** Sign-in forms are small: the body is read under a 64 KiB cap, then password sign-ins are
 *  throttled per client and per email before next-auth runs scrypt. */
export async function POST(req: NextRequest): Promise<Response> {
  let capped: NextRequest;
  try {
    capped = new NextRequest(await withBufferedBody(req, 64 * 1024));
  } catch (err) {
    return errorResponse(err);
  }
  return (await guardCredentialsCallback(capped)) ?? handlers.POST(capped);
}
