"use client";

import Link from "next/link";
import { useRouter } from "next/navigation";
import { signIn } from "next-auth/react";
import { useState, type FormEvent } from "react";
import { Button, Card, FormError, Input, Label } from "@/components/ui/primitives";
import { useHydrated } from "./hydrated";
import { safeNext } from "./next";
import { apiFetch } from "@/lib/client/api";

export function SignUpForm({ next = null }: { next?: string | null }) {
  const target = safeNext(next);
  const router = useRouter();
  const [error, setError] = useState<unknown>(null);
  const [pending, setPending] = useState(false);
  const hydrated = useHydrated();

  async function onSubmit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const form = new FormData(e.currentTarget);
    const email = String(form.get("email") ?? "");
    const password = String(form.get("password") ?? "");
    const name = String(form.get("name") ?? "").trim();
    setPending(true);
    setError(null);
    try {
      // The API answers a new and an existing address alike; signing in with the password just
      // chosen tells the two apart for the one person who may know: works for a new account.
      await apiFetch("/api/sign-up", { method: "POST", body: { email, password, ...(name ? { name } : {}) } });
      const result = await signIn("credentials", { email, password, redirect: false });
      if (result?.status === 429) throw new Error("Too many attempts. Wait a minute, then sign in.");
      if (!result || result.error) throw new Error("This email address may already have an account: sign in instead.");
      router.replace(target);
      router.refresh();
    } catch (err) {
      setError(err);
      setPending(false);
    }
  }

  return (
    <Card className="p-6">
      <h1 className="mb-4 text-lg font-semibold">Create your account</h1>
      {/* method=post: even a submit that JavaScript does not catch never puts the password in a URL. */}
      <form onSubmit={onSubmit} method="post" className="space-y-4">
        <div>
          <Label htmlFor="name">Name</Label>
          <Input id="name" name="name" autoComplete="name" />
        </div>
        <div>
          <Label htmlFor="email">Email</Label>
          <Input id="email" name="email" type="email" autoComplete="email" required />
        </div>
        <div>
          <Label htmlFor="password">Password</Label>
          <Input id="password" name="password" type="password" autoComplete="new-password" minLength={8} required />
          <p className="mt-1 text-xs text-zinc-500">At least 8 characters.</p>
        </div>
        <FormError error={error} />
        <Button type="submit" className="w-full" disabled={pending || !hydrated}>
          {pending ? "Creating account…" : "Sign up"}
        </Button>
      </form>
      <p className="mt-4 text-center text-sm text-zinc-600 dark:text-zinc-400">
        Already have an account?{" "}
        <Link href={next ? `/sign-in?next=${encodeURIComponent(target)}` : "/sign-in"} className="font-medium text-zinc-900 underline dark:text-zinc-100">
          Sign in
        </Link>
      </p>
    </Card>
  );
}
