"use client";

// The console's current organization and project, kept in localStorage so a reload keeps them.
import { createContext, useCallback, useContext, useMemo, useSyncExternalStore, type ReactNode } from "react";
import { useOrganizations, useProjects, type Organization, type Project } from "@/lib/client/hooks";

interface ScopeValue {
  orgs: Organization[];
  orgsLoading: boolean;
  orgsError: unknown;
  orgId: string | null;
  setOrgId: (id: string) => void;
  projects: Project[];
  projectId: string | null;
  setProjectId: (id: string | null) => void;
}

const ScopeContext = createContext<ScopeValue | null>(null);
const ORG_KEY = "vecstruct.org";
const PROJECT_KEY = "vecstruct.project";

const CHANGE_EVENT = "vecstruct:scope";

function subscribe(onChange: () => void) {
  window.addEventListener("storage", onChange);
  window.addEventListener(CHANGE_EVENT, onChange);
  return () => {
    window.removeEventListener("storage", onChange);
    window.removeEventListener(CHANGE_EVENT, onChange);
  };
}

/** A localStorage value that renders as null on the server and on hydration. */
function useStored(key: string): string | null {
  return useSyncExternalStore(subscribe, () => window.localStorage.getItem(key), () => null);
}

function store(key: string, value: string | null) {
  if (value) window.localStorage.setItem(key, value);
  else window.localStorage.removeItem(key);
  window.dispatchEvent(new Event(CHANGE_EVENT));
}

export function ScopeProvider({ children }: { children: ReactNode }) {
  const orgsQuery = useOrganizations();
  const orgs = useMemo(() => orgsQuery.data?.data ?? [], [orgsQuery.data]);
  const chosenOrg = useStored(ORG_KEY);
  const chosenProject = useStored(PROJECT_KEY);

  const orgId = orgs.find((o) => o.id === chosenOrg)?.id ?? orgs[0]?.id ?? null;
  const projectsQuery = useProjects(orgId);
  const projects = useMemo(() => projectsQuery.data?.data ?? [], [projectsQuery.data]);
  const projectId = projects.find((p) => p.id === chosenProject)?.id ?? projects[0]?.id ?? null;

  const setOrgId = useCallback((id: string) => {
    store(PROJECT_KEY, null);
    store(ORG_KEY, id);
  }, []);
  const setProjectId = useCallback((id: string | null) => store(PROJECT_KEY, id), []);

  const value: ScopeValue = {
    orgs,
    orgsLoading: orgsQuery.isPending,
    orgsError: orgsQuery.error,
    orgId,
    setOrgId,
    projects,
    projectId,
    setProjectId,
  };
  return <ScopeContext.Provider value={value}>{children}</ScopeContext.Provider>;
}

export function useScope(): ScopeValue {
  const value = useContext(ScopeContext);
  if (!value) throw new Error("useScope must be used inside <ScopeProvider>");
  return value;
}
