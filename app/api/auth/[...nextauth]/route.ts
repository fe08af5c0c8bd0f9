import { NextRequest } from "next/server";
import { handlers } from "@/lib/auth/config";
import { errorResponse } from "@/lib/errors";
import { withBufferedBody } from "@/lib/gateway/body";

export const { GET } = handlers;

/** Sign-in forms are small: the body is read under a 64 KiB cap before next-auth parses it. */
export async function POST(req: NextRequest): Promise<Response> {
  let capped: Request;
  try {
    capped = await withBufferedBody(req, 64 * 1024);
  } catch (err) {
    return errorResponse(err);
  }
  return handlers.POST(new NextRequest(capped));
}
