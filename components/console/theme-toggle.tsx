"use client";

import { useSyncExternalStore } from "react";
import { Button } from "@/components/ui/primitives";

// The <html> class is the source of truth (app/layout.tsx sets it before paint); the choice is kept in localStorage.
const EVENT = "vecstruct:theme";
const subscribe = (cb: () => void) => {
  window.addEventListener(EVENT, cb);
  return () => window.removeEventListener(EVENT, cb);
};
const isDark = () => document.documentElement.classList.contains("dark");

export function ThemeToggle() {
  const dark = useSyncExternalStore(subscribe, isDark, () => false);
  return (
    <Button
      variant="ghost"
      className="px-2"
      aria-pressed={dark}
      aria-label="Dark theme"
      onClick={() => {
        const next = !isDark();
        document.documentElement.classList.toggle("dark", next);
        try {
          localStorage.setItem("vecstruct.theme", next ? "dark" : "light");
        } catch {
          /* private mode: the toggle still works for this page */
        }
        window.dispatchEvent(new Event(EVENT));
      }}
    >
      {dark ? "☀ Light" : "☾ Dark"}
    </Button>
  );
}
