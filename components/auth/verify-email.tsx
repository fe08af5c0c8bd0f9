"use client";

import Link from "next/link";
import { useState } from "react";
import { Button, Card, FormError } from "@/components/ui/primitives";
import { apiFetch } from "@/lib/client/api";

export function VerifyEmail({ token, email }: { token: string; email: string }) {
  const [error, setError] = useState<unknown>(null);
  const [done, setDone] = useState(false);
  const [pending, setPending] = useState(false);

  async function confirm() {
    setPending(true);
    setError(null);
    try {
      await apiFetch("/api/verify-email", { method: "POST", body: { token } });
      setDone(true);
    } catch (err) {
      setError(err);
    } finally {
      setPending(false);
    }
  }

  return (
    <Card className="p-6">
      <h1 className="mb-2 text-lg font-semibold">Verify your email</h1>
      {done ? (
        <p role="status" className="text-sm text-emerald-700 dark:text-emerald-300">
          {email} is verified. <Link className="font-medium underline" href="/projects">Continue</Link>
        </p>
      ) : (
        <>
          <p className="mb-4 text-sm text-zinc-600 dark:text-zinc-400">Confirm that {email || "this account's address"} is yours.</p>
          <FormError error={error} />
          <Button className="mt-2 w-full" onClick={confirm} disabled={pending || !token}>
            {pending ? "Confirming…" : "Confirm"}
          </Button>
        </>
      )}
    </Card>
  );
}
