import { Badge } from "@/components/ui/primitives";
import { isIngesting, type RagDocument } from "@/lib/client/hooks-documents";

const TONE = { queued: "zinc", processing: "amber", ready: "green", failed: "red" } as const;

export function DocumentStatusBadge({ doc }: { doc: Pick<RagDocument, "status"> }) {
  return (
    <Badge tone={TONE[doc.status] ?? "zinc"}>
      {isIngesting(doc.status) ? <span className="mr-1.5 h-3 w-3 animate-spin self-center rounded-full border-2 border-current border-t-transparent" aria-hidden="true" /> : null}
      {doc.status}
    </Badge>
  );
}
