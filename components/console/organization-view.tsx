"use client";

import { useQueryClient } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { useState, type FormEvent } from "react";
import { ConfirmDialog } from "@/components/ui/confirm";
import { Badge, Button, Card, EmptyState, ErrorState, FormError, Input, Label, Loading, PageHeader } from "@/components/ui/primitives";
import { ROW, Table, TableFrame } from "@/components/ui/table";
import { useToast } from "@/components/ui/toast";
import { useMe } from "@/lib/client/hooks";
import { useCreateInvitation, useInvitations, useMembers, useRemoveMember, useRevokeInvitation, useUpdateMember, type CreatedInvitation, type Member } from "@/lib/client/hooks-members";
import { useScope } from "./scope";

const select = "rounded-md border border-zinc-300 bg-white px-2 py-1 text-sm dark:border-zinc-700 dark:bg-zinc-900";
const ROLE_HELP = "Owners and admins manage projects, keys, providers and members (only owners manage owners); members use projects, documents, memory and the playground, and read logs and usage.";

function InviteForm() {
  const { orgId } = useScope();
  const create = useCreateInvitation(orgId);
  const [created, setCreated] = useState<CreatedInvitation | null>(null);
  async function onSubmit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const f = new FormData(e.currentTarget);
    const email = String(f.get("email") ?? "").trim();
    setCreated(await create.mutateAsync({ role: String(f.get("role")), expires_in_days: Number(f.get("days")), ...(email ? { email } : {}) }));
    e.currentTarget?.reset();
  }
  const link = created ? `${window.location.origin}${created.path}` : "";
  return (
    <Card className="p-4">
      <h2 className="mb-3 font-semibold">Invite by link</h2>
      <form onSubmit={(e) => void onSubmit(e).catch(() => {})} className="flex flex-wrap items-end gap-3">
        <div>
          <Label htmlFor="invite-role">Role</Label>
          <select id="invite-role" name="role" className={select} defaultValue="member">
            <option value="member">member</option>
            <option value="admin">admin</option>
          </select>
        </div>
        <div className="min-w-56 flex-1">
          <Label htmlFor="invite-email">Only for this email (optional)</Label>
          <Input id="invite-email" name="email" type="email" placeholder="anyone with the link" />
        </div>
        <div>
          <Label htmlFor="invite-days">Expires in (days)</Label>
          <Input id="invite-days" name="days" type="number" min={1} max={30} defaultValue={7} className="w-24" />
        </div>
        <Button type="submit" disabled={create.isPending}>
          Create link
        </Button>
      </form>
      <FormError error={create.error} />
      {created ? (
        <div className="mt-4 rounded-md border border-emerald-300 bg-emerald-50 p-3 text-sm dark:border-emerald-800 dark:bg-emerald-950">
          <p className="mb-2 font-medium">Copy this link now: it is shown only once.</p>
          <div className="flex gap-2">
            <Input readOnly value={link} aria-label="Invitation link" data-testid="invite-link" onFocus={(e) => e.currentTarget.select()} />
            <Button variant="secondary" onClick={() => void navigator.clipboard?.writeText(link)}>
              Copy
            </Button>
          </div>
        </div>
      ) : null}
    </Card>
  );
}

function Invitations() {
  const { orgId } = useScope();
  const toast = useToast();
  const list = useInvitations(orgId, true);
  const revoke = useRevokeInvitation(orgId);
  const [confirm, setConfirm] = useState<string | null>(null);
  const pending = (list.data?.data ?? []).filter((i) => i.status === "pending");
  if (list.isPending) return <Loading />;
  if (list.isError) return <ErrorState error={list.error} />;
  if (pending.length === 0) return null;
  return (
    <Card className="overflow-x-auto">
      <h2 className="px-4 pt-4 font-semibold">Pending invitations</h2>
      <Table
        headless
        className="mt-2"
        rows={pending}
        rowKey={(i) => i.id}
        rowTestId="invitation-row"
        columns={[
          { className: "px-4 py-2", cell: (i) => i.email ?? "anyone with the link" },
          { className: "px-4 py-2", cell: (i) => i.role },
          { className: "px-4 py-2 text-zinc-500", cell: (i) => `expires ${new Date(i.expires_at).toLocaleString()}` },
          {
            align: "right",
            className: "px-4 py-2",
            cell: (i) => (
              <Button variant="ghost" className="text-red-700 dark:text-red-400" onClick={() => setConfirm(i.id)}>
                Revoke
              </Button>
            ),
          },
        ]}
      />
      {confirm ? (
        <ConfirmDialog
          title="Revoke this invitation?"
          confirmLabel="Revoke"
          pending={revoke.isPending}
          onCancel={() => setConfirm(null)}
          onConfirm={() =>
            revoke.mutate(confirm, {
              onSuccess: () => toast("Invitation revoked: the link no longer works."),
              onError: (err) => toast(err.message, "error"),
              onSettled: () => setConfirm(null),
            })
          }
        >
          The link stops working at once.
        </ConfirmDialog>
      ) : null}
    </Card>
  );
}

function MemberRow({ m, myRole }: { m: Member; myRole: string }) {
  const { orgId } = useScope();
  const toast = useToast();
  const update = useUpdateMember(orgId);
  const remove = useRemoveMember(orgId);
  const router = useRouter();
  const qc = useQueryClient();
  const [confirm, setConfirm] = useState(false);
  const admin = myRole === "admin" || myRole === "owner";
  // Mirrors the API's rules (which enforce them): owners are managed by owners only.
  const canChange = admin && (m.role !== "owner" || myRole === "owner");
  return (
    <tr className={ROW} data-testid="member-row">
      <td className="px-4 py-3">
        <p className="font-medium">
          {m.name ?? m.email} {m.you ? <Badge>you</Badge> : null}
        </p>
        <p className="text-xs text-zinc-500">{m.email}</p>
      </td>
      <td className="px-4 py-3">
        {canChange ? (
          <select
            aria-label={`Role of ${m.email}`}
            className={select}
            value={m.role}
            disabled={update.isPending}
            onChange={(e) =>
              update.mutate(
                { id: m.id, role: e.target.value },
                { onSuccess: (r) => toast(`${r.email} is now ${r.role}.`), onError: (err) => toast(err.message, "error") },
              )
            }
          >
            <option value="member">member</option>
            <option value="admin">admin</option>
            {myRole === "owner" ? <option value="owner">owner</option> : null}
          </select>
        ) : (
          <Badge tone={m.role === "owner" ? "green" : "zinc"}>{m.role}</Badge>
        )}
      </td>
      <td className="px-4 py-3 text-zinc-500">{new Date(m.created_at).toLocaleDateString()}</td>
      <td className="px-4 py-3 text-right">
        {canChange || m.you ? (
          <Button variant="ghost" className="text-red-700 dark:text-red-400" onClick={() => setConfirm(true)}>
            {m.you ? "Leave" : "Remove"}
          </Button>
        ) : null}
        {confirm ? (
          <ConfirmDialog
            title={m.you ? "Leave this organization?" : `Remove ${m.email}?`}
            confirmLabel={m.you ? "Leave" : "Remove"}
            pending={remove.isPending}
            onCancel={() => setConfirm(false)}
            onConfirm={() =>
              remove.mutate(m.id, {
                onSuccess: () => {
                  toast(m.you ? "You left the organization." : `${m.email} was removed.`);
                  if (m.you) {
                    // The organization is gone from this user's list: start over from the first one left.
                    window.localStorage.removeItem("vecstruct.org");
                    void qc.invalidateQueries();
                    router.push("/projects");
                  }
                },
                onError: (err) => toast(err.message, "error"),
                onSettled: () => setConfirm(false),
              })
            }
          >
            {m.you ? "You lose access to its projects at once." : "They lose access to this organization's projects at once. Their API keys keep working until revoked."}
          </ConfirmDialog>
        ) : null}
      </td>
    </tr>
  );
}

export function OrganizationView() {
  const { orgId, orgs } = useScope();
  const me = useMe(orgId);
  const members = useMembers(orgId);
  const role = me.data?.operator ? "owner" : (me.data?.role ?? "member");
  const admin = role === "admin" || role === "owner";
  const org = orgs.find((o) => o.id === orgId);

  const body = (() => {
    if (members.isPending) return <Loading label="Loading members…" />;
    if (members.isError) return <ErrorState error={members.error} onRetry={() => void members.refetch()} />;
    if (members.data.data.length === 0) return <EmptyState title="No members">Invite someone with a link.</EmptyState>;
    return (
      <TableFrame columns={[{ header: "Member" }, { header: "Role" }, { header: "Joined" }, {}]}>
        {members.data.data.map((m) => (
          <MemberRow key={m.id} m={m} myRole={role} />
        ))}
      </TableFrame>
    );
  })();

  return (
    <div className="space-y-6">
      <PageHeader title={org ? `Organization · ${org.name}` : "Organization"} description={ROLE_HELP} />
      {!admin && me.data ? (
        <p className="rounded-md border border-zinc-200 bg-white p-3 text-sm text-zinc-600 dark:border-zinc-800 dark:bg-zinc-900 dark:text-zinc-400" data-testid="member-notice">
          You are a <strong>member</strong> of this organization: ask an admin to invite people or change roles.
        </p>
      ) : null}
      {admin ? <InviteForm /> : null}
      {admin ? <Invitations /> : null}
      <Card className="overflow-x-auto">{body}</Card>
    </div>
  );
}
