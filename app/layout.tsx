import type { Metadata } from "next";
import type { ReactNode } from "react";
import { Providers } from "@/components/providers";
import "./globals.css";

export const metadata: Metadata = {
  title: { default: "vecstruct", template: "%s · vecstruct" },
  description: "Self-hostable LLM API gateway with RAG, memory, audit and billing.",
  icons: { icon: "/favicon.svg" },
};

// Stored choice ("dark" / "light"), else the system preference. Kept in sync with components/console/theme-toggle.tsx.
const THEME_SCRIPT = `try{var t=localStorage.getItem("vecstruct.theme");if(t==="dark"||(!t&&matchMedia("(prefers-color-scheme: dark)").matches))document.documentElement.classList.add("dark")}catch(e){}`;

export default function RootLayout({ children }: { children: ReactNode }) {
  return (
    // The theme class is set by the inline script before first paint (no flash); React must not fight it.
    <html lang="en" suppressHydrationWarning>
      <head>
        <script dangerouslySetInnerHTML={{ __html: THEME_SCRIPT }} />
      </head>
      <body className="min-h-screen font-sans">
        <Providers>{children}</Providers>
      </body>
    </html>
  );
}
