// Upstream URLs: the credential's base URL (checked when it was entered) plus path segments, each
// percent-encoded, so no value — a catalog upstream_model above all — can add a segment, climb
// with `..`, or start a query or fragment on the operator's key.

/** One path segment; "", "." and ".." are refused (URL parsers resolve them, even as %2E). */
export function pathSegment(value: string): string {
  if (value === "" || value === "." || value === "..") throw new Error(`'${value}' cannot be an upstream path segment`);
  return encodeURIComponent(value);
}

/** `base` + "/" + each segment, encoded; a literal suffix (e.g. ":generateContent") is appended as is. */
export function joinUrl(base: string, segments: readonly string[], suffix = ""): string {
  return `${base.replace(/\/+$/, "")}${segments.map((s) => `/${pathSegment(s)}`).join("")}${suffix}`;
}
