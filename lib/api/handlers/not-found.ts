import { ApiError, errorResponse } from "../../errors";

/** Unknown management routes answer in the documented error shape, not Next's HTML 404. */
export async function notFoundHandler(req: Request): Promise<Response> {
  const { pathname } = new URL(req.url);
  return errorResponse(new ApiError("not_found", `Unknown route: ${req.method} ${pathname}`));
}
