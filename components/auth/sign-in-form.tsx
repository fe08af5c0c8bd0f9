"use client";

import Link from "next/link";
import { useRouter } from "next/navigation";
import { signIn } from "next-auth/react";
import { useState, type FormEvent } from "react";
import { Button, Card, FormError, Input, Label } from "@/components/ui/primitives";
import { useHydrated } from "./hydrated";
import { safeNext } from "./next";

/** `next`: where to go after signing in (an invitation link); only same-site paths are followed. */
export function SignInForm({ providers, next = null, notice = null }: { providers: { id: string; name: string }[]; next?: string | null; notice?: string | null }) {
  const target = safeNext(next);
  const router = useRouter();
  const [error, setError] = useState<string | null>(notice);
  const [pending, setPending] = useState(false);
  const hydrated = useHydrated();

  async function onSubmit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const form = new FormData(e.currentTarget);
    setPending(true);
    setError(null);
    const result = await signIn("credentials", { email: form.get("email"), password: form.get("password"), redirect: false });
    setPending(false);
    if (!result || result.error) {
      setError(result?.status === 429 ? "Too many attempts. Wait a minute, then try again." : "Wrong email or password.");
      return;
    }
    router.replace(target);
    router.refresh();
  }

  return (
    <Card className="p-6">
      <h1 className="mb-4 text-lg font-semibold">Sign in</h1>
      {/* method=post: even a submit that JavaScript does not catch never puts the password in a URL. */}
      <form onSubmit={onSubmit} method="post" className="space-y-4">
        <div>
          <Label htmlFor="email">Email</Label>
          <Input id="email" name="email" type="email" autoComplete="email" required />
        </div>
        <div>
          <Label htmlFor="password">Password</Label>
          <Input id="password" name="password" type="password" autoComplete="current-password" required />
        </div>
        <FormError error={error} />
        <Button type="submit" className="w-full" disabled={pending || !hydrated}>
          {pending ? "Signing in…" : "Sign in"}
        </Button>
      </form>
      {providers.length > 0 ? (
        <div className="mt-4 space-y-2 border-t border-zinc-200 pt-4 dark:border-zinc-800">
          {providers.map((p) => (
            <Button key={p.id} variant="secondary" className="w-full" onClick={() => signIn(p.id, { redirectTo: target })}>
              Continue with {p.name}
            </Button>
          ))}
        </div>
      ) : null}
      <p className="mt-4 text-center text-sm text-zinc-600 dark:text-zinc-400">
        No account?{" "}
        <Link href={next ? `/sign-up?next=${encodeURIComponent(target)}` : "/sign-up"} className="font-medium text-zinc-900 underline dark:text-zinc-100">
          Sign up
        </Link>
      </p>
    </Card>
  );
}
