// Outgoing mail through nodemailer, only when VECSTRUCT_SMTP_URL is set. Sending never blocks or
// fails the request that caused it: failures are logged (without the message) and dropped.
import nodemailer, { type Transporter } from "nodemailer";
import { env } from "../env";
import { track } from "../invocation";
import { log } from "../log";

let transport: Transporter | null | undefined;

export function mailConfigured(): boolean {
  return Boolean(env().VECSTRUCT_SMTP_URL);
}

function transporter(): Transporter | null {
  if (transport === undefined) {
    const url = env().VECSTRUCT_SMTP_URL;
    transport = url ? nodemailer.createTransport(url) : null;
  }
  return transport;
}

/** The console's public origin for links in mails (never a request's Host header). */
export function publicUrl(path: string): string {
  return new URL(path, env().VECSTRUCT_PUBLIC_URL).toString();
}

export function sendMailInBackground(message: { to: string; subject: string; text: string }): void {
  const t = transporter();
  if (!t) return;
  // Tracked: a serverless invocation ends only once the mail is handed to the SMTP server (lib/invocation.ts).
  track(
    t.sendMail({ from: env().VECSTRUCT_MAIL_FROM, ...message }).catch((err: unknown) => {
      log.error("could not send mail", { subject: message.subject }, err);
    }),
  );
}
