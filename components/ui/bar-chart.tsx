"use client";

import { useEffect, useRef, useState } from "react";

export interface BarDatum {
  /** Full label, used in the tooltip and the summary (e.g. "May 14, 2025"). */
  label: string;
  /** Short label under the axis (e.g. "May 14"). */
  tick: string;
  value: number;
}

interface BarChartProps {
  title: string;
  data: BarDatum[];
  format: (v: number) => string;
  /** Compact format for the y-axis ticks; defaults to `format`. */
  formatTick?: (v: number) => string;
  /** Counts (requests, tokens) get whole-number ticks only. */
  integer?: boolean;
  /** What one bar stands for, in the accessible summary ("days"). */
  noun?: string;
  height?: number;
}

const M = { top: 10, right: 8, bottom: 24, left: 52 };
const TICK_CLASS = "fill-zinc-500 text-[10px]";

/** The smallest 1/2/2.5/5 × 10^n at or above `max`, so gridlines land on round values. */
function niceMax(max: number): number {
  if (max <= 0) return 1;
  const p = 10 ** Math.floor(Math.log10(max));
  for (const m of [1, 2, 2.5, 5, 10]) if (m * p >= max) return m * p;
  return 10 * p;
}

/**
 * The container's width in px. The viewBox follows it 1:1 so text keeps its size at any width
 * (a fixed viewBox would shrink the labels to unreadable on narrow cards).
 */
function useWidth(fallback: number) {
  const ref = useRef<HTMLDivElement>(null);
  const [width, setWidth] = useState(fallback);
  useEffect(() => {
    const el = ref.current;
    if (!el) return;
    const observer = new ResizeObserver(([entry]) => {
      if (entry) setWidth(Math.max(160, Math.round(entry.contentRect.width)));
    });
    observer.observe(el);
    return () => observer.disconnect();
  }, []);
  return [ref, width] as const;
}

function summarize({ title, data, format, noun = "bars" }: BarChartProps): string {
  const total = data.reduce((s, d) => s + d.value, 0);
  const peak = data.reduce<BarDatum | null>((best, d) => (!best || d.value > best.value ? d : best), null);
  if (!peak || peak.value === 0) return `${title}: nothing in these ${data.length} ${noun}.`;
  return `${title}: ${format(total)} in total over ${data.length} ${noun}; highest ${format(peak.value)} on ${peak.label}.`;
}

export function BarChart(props: BarChartProps) {
  const { data, format, formatTick = format, integer = false, height = 180 } = props;
  const [ref, width] = useWidth(320);
  const plotW = width - M.left - M.right;
  const plotH = height - M.top - M.bottom;
  const max = Math.max(0, ...data.map((d) => d.value));
  // Counts get an even top below 10 so the middle gridline is a whole number too (3 → 0, 2, 4).
  const top = integer && max > 1 && max < 10 ? Math.ceil(max / 2) * 2 : niceMax(max);
  const ticks = [0, top / 2, top].filter((t) => !integer || Number.isInteger(t));
  const y = (v: number) => M.top + plotH - (v / top) * plotH;
  const slot = data.length > 0 ? plotW / data.length : plotW;
  const barW = Math.max(1, slot * 0.7);
  // Thin the x labels to roughly one per 56px so they never overlap.
  const every = Math.max(1, Math.ceil(data.length / Math.max(1, Math.floor(plotW / 56))));
  const empty = data.every((d) => d.value === 0);

  return (
    <div ref={ref} className="w-full">
      <svg role="img" aria-label={summarize(props)} viewBox={`0 0 ${width} ${height}`} width="100%" height={height} className="block">
        {ticks.map((t) => (
          <g key={t}>
            <line x1={M.left} x2={width - M.right} y1={y(t)} y2={y(t)} className={t === 0 ? "stroke-zinc-300" : "stroke-zinc-100"} />
            <text x={M.left - 6} y={y(t)} textAnchor="end" dominantBaseline="middle" className={TICK_CLASS}>
              {formatTick(t)}
            </text>
          </g>
        ))}
        {data.map((d, i) => {
          const x = M.left + i * slot;
          const h = M.top + plotH - y(d.value);
          return (
            <g key={d.label} className="group">
              <title>{`${d.label}: ${format(d.value)}`}</title>
              {/* Full-height hit area: the tooltip works even over tiny bars. */}
              <rect x={x} y={M.top} width={slot} height={plotH} fill="transparent" />
              {h > 0 ? (
                <rect x={x + (slot - barW) / 2} y={y(d.value)} width={barW} height={Math.max(1, h)} rx={Math.min(2, barW / 4)} className="fill-zinc-800 group-hover:fill-zinc-500" />
              ) : null}
              {i % every === 0 ? (
                <text x={x + slot / 2} y={height - 8} textAnchor="middle" className={TICK_CLASS}>
                  {d.tick}
                </text>
              ) : null}
            </g>
          );
        })}
        {empty ? (
          <text x={M.left + plotW / 2} y={M.top + plotH / 2} textAnchor="middle" dominantBaseline="middle" className="fill-zinc-400 text-xs">
            No data in this period
          </text>
        ) : null}
      </svg>
    </div>
  );
}
