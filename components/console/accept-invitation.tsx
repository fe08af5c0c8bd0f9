"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { Button, Card, ErrorState, Loading } from "@/components/ui/primitives";
import { useToast } from "@/components/ui/toast";
import { apiFetch } from "@/lib/client/api";

interface Preview {
  org_name: string;
  role: string;
  email: string | null;
  expires_at: string;
}

export function AcceptInvitation({ token, email }: { token: string; email: string }) {
  const router = useRouter();
  const toast = useToast();
  const qc = useQueryClient();
  const preview = useQuery({ queryKey: ["invitation", token], retry: false, queryFn: () => apiFetch<Preview>("/api/invitations/preview", { method: "POST", body: { token } }) });
  const accept = useMutation({
    mutationFn: () => apiFetch<{ org_id: string; org_name: string; role: string }>("/api/invitations/accept", { method: "POST", body: { token } }),
    onSuccess: (r) => {
      // Open the console in the organization just joined (components/console/scope.tsx keys).
      window.localStorage.setItem("vecstruct.org", r.org_id);
      window.localStorage.removeItem("vecstruct.project");
      void qc.invalidateQueries();
      toast(`You joined ${r.org_name} as ${r.role}.`);
      router.replace("/overview");
      router.refresh();
    },
  });
  if (preview.isPending) return <Loading label="Checking the invitation…" />;
  if (preview.isError) return <ErrorState error={preview.error} />;
  const p = preview.data;
  return (
    <Card className="p-6">
      <h1 className="mb-2 text-lg font-semibold">Join {p.org_name}</h1>
      <p className="mb-4 text-sm text-zinc-600 dark:text-zinc-400">
        You are invited as <strong>{p.role}</strong>. You are signed in as {email}. The link expires {new Date(p.expires_at).toLocaleDateString()}.
      </p>
      {accept.error ? <ErrorState error={accept.error} /> : null}
      <Button className="w-full" onClick={() => accept.mutate()} disabled={accept.isPending}>
        {accept.isPending ? "Joining…" : `Join ${p.org_name}`}
      </Button>
    </Card>
  );
}
