// Warnings for hints a translated front door cannot pass on (DESIGN §1 "Three front doors"): one per
// kind, however many blocks or items carry it. Each dialect names its own kinds.
export class Notes<Kind extends string> {
  private readonly seen = new Set<Kind>();
  constructor(readonly warnings: string[]) {}

  once(kind: Kind, text: string): void {
    if (this.seen.has(kind)) return;
    this.seen.add(kind);
    this.warnings.push(text);
  }
}
