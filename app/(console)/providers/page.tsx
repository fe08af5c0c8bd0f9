import type { Metadata } from "next";
import { ProvidersView } from "@/components/console/providers-view";

export const metadata: Metadata = { title: "Providers & models" };

export default function ProvidersPage() {
  return <ProvidersView />;
}
