// What an authenticated /v1 caller is: shared by the gateway (which builds it) and the layers below
// it that reserve, route and audit on its behalf (DESIGN.md §4: wire types sit below both).
export interface KeyContext {
  id: string;
  orgId: string;
  projectId: string;
  models: string[] | null;
  /** Other projects it may name in vecstruct.project_id (`["*"]`: any of its organization); null = none. */
  projects: string[] | null;
  rpmLimit: number | null;
  tpmLimit: number | null;
  maxConcurrent: number | null;
  budgetMicros: bigint | null;
  expiresAt: number | null;
  /** Set when the console session stands in for a key (playground); the audit row gets no key id. */
  consoleUserId?: string;
}
