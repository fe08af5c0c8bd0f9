// An upstream 429 that outlived the retries tells the client when to come back (DESIGN §1); our own
// limits' 429s carry their own headers and are left alone.
import { describe, expect, it } from "vitest";
import { ApiError } from "@/lib/errors";
import { upstreamRateLimitHeaders } from "@/lib/upstream/call";

function upstream429(retryAfterMs: number | null): ApiError {
  const err = new ApiError("rate_limit_exceeded", "upstream says slow down");
  err.upstreamStatus = 429;
  err.retryAfterMs = retryAfterMs;
  return err;
}

describe("upstreamRateLimitHeaders", () => {
  it("turns the upstream's Retry-After into whole seconds, at least 1", () => {
    const err = upstream429(1_500);
    upstreamRateLimitHeaders(err);
    expect(err.headers).toMatchObject({ "retry-after": "2", "x-ratelimit-reset-requests": "2s" });
    const soon = upstream429(0);
    upstreamRateLimitHeaders(soon);
    expect(soon.headers["retry-after"]).toBe("1");
  });

  it("leaves our own limits' 429 and other errors alone", () => {
    const ours = new ApiError("rate_limit_exceeded", "key limit", { headers: { "retry-after": "7" } });
    upstreamRateLimitHeaders(ours);
    expect(ours.headers).toEqual({ "retry-after": "7" });
    const server = new ApiError("upstream_error", "boom");
    server.upstreamStatus = 500;
    upstreamRateLimitHeaders(server);
    expect(server.headers).toEqual({});
  });
});
