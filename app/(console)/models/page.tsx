import type { Metadata } from "next";
import { ModelsView } from "@/components/console/models-view";

export const metadata: Metadata = { title: "Models & pricing" };

export default function ModelsPage() {
  return <ModelsView />;
}
