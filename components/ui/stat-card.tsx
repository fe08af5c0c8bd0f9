import type { ReactNode } from "react";
import { Card } from "./primitives";

/** One number with its label (Overview, Usage, Billing). `testId` sits on the number, which is what specs read. */
export function StatCard({ label, value, detail, testId }: { label: string; value: string; detail?: ReactNode; testId: string }) {
  return (
    <Card className="p-4">
      <p className="text-xs font-medium uppercase tracking-wide text-zinc-500">{label}</p>
      <p className="mt-1 text-2xl font-semibold tabular-nums" data-testid={testId}>
        {value}
      </p>
      {detail ? <p className="mt-1 text-xs text-zinc-500">{detail}</p> : null}
    </Card>
  );
}
