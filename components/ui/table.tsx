import type { HTMLAttributes, ReactNode } from "react";
import { EmptyState, ErrorState, Loading } from "./primitives";

const cx = (...parts: (string | false | null | undefined)[]) => parts.filter(Boolean).join(" ");

export interface Column<T> {
  /** Header text; omit for an actions column. */
  header?: ReactNode;
  align?: "right";
  /** Extra classes of this column's header cell. */
  headerClassName?: string;
  /** Classes of this column's cells (padding included; default `px-4 py-3`). */
  className?: string | ((row: T) => string);
  cell: (row: T) => ReactNode;
}

export interface TableProps<T> {
  columns: Column<T>[];
  rows: readonly T[];
  rowKey: (row: T) => string;
  /** `data-testid` of every row (what the specs count). */
  rowTestId?: string;
  /** Extra classes of every row (e.g. `align-top`). */
  rowClassName?: string;
  /** Per-row attributes, e.g. a click target or `aria-selected`. */
  rowProps?: (row: T) => HTMLAttributes<HTMLTableRowElement>;
  /** Shown instead of the table while loading (a label), on error, and when there are no rows. */
  loading?: string | false;
  error?: unknown;
  onRetry?: () => void;
  empty?: ReactNode;
  /** No header row (compact lists): rows divided by a top border, the first one too unless `flushFirst`. */
  headless?: boolean;
  flushFirst?: boolean;
  /** A wide table scrolls inside its card instead of squeezing the console sidebar. */
  scroll?: boolean;
  className?: string;
}

/** The console's one table: same header, row borders and padding on every page, dark mode included. */
export function Table<T>({ columns, rows, rowKey, rowTestId, rowClassName, rowProps, loading, error, onRetry, empty, headless, flushFirst, scroll, className }: TableProps<T>) {
  if (loading) return <Loading label={loading} />;
  if (error) return <ErrorState error={error} onRetry={onRetry} />;
  if (rows.length === 0 && empty !== undefined) return typeof empty === "string" ? <EmptyState title={empty} /> : <>{empty}</>;
  const rowBase = headless ? cx("border-t border-zinc-100 dark:border-zinc-800", flushFirst && "first:border-0") : ROW;
  return (
    <TableFrame columns={headless ? undefined : columns} scroll={scroll} className={className}>
      {rows.map((row) => {
        const extra = rowProps?.(row);
        return (
          <tr key={rowKey(row)} data-testid={rowTestId} {...extra} className={cx(rowBase, rowClassName, extra?.className)}>
            {columns.map((c, i) => (
              <td key={i} className={cx((typeof c.className === "function" ? c.className(row) : c.className) ?? CELL, c.align === "right" && "text-right")}>
                {c.cell(row)}
              </td>
            ))}
          </tr>
        );
      })}
    </TableFrame>
  );
}

/** Row and cell classes of the console's tables; ROW also for rows that are components of their own (they hold state). */
export const ROW = "border-b border-zinc-100 last:border-0 dark:border-zinc-800";
const CELL = "px-4 py-3";

/** The table with its header (from `columns`; none when omitted) around rows rendered by the caller. */
export function TableFrame({ columns, scroll, className, children }: { columns?: Pick<Column<never>, "header" | "align" | "headerClassName">[]; scroll?: boolean; className?: string; children: ReactNode }) {
  const table = (
    <table className={cx("w-full text-left text-sm", className)}>
      {columns ? (
        <thead className="border-b border-zinc-200 text-xs uppercase text-zinc-500 dark:border-zinc-800">
          <tr>
            {columns.map((c, i) => (
              <th key={i} className={cx("px-4 py-2", c.header !== undefined && "font-medium", c.align === "right" && "text-right", c.headerClassName)}>
                {c.header}
              </th>
            ))}
          </tr>
        </thead>
      ) : null}
      <tbody>{children}</tbody>
    </table>
  );
  return scroll ? <div className="overflow-x-auto [contain:inline-size]">{table}</div> : table;
}
