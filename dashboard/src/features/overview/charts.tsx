import {
  Bar, BarChart, CartesianGrid, Legend, Line, LineChart, ResponsiveContainer, Tooltip, XAxis,
  YAxis,
} from "recharts";
import { formatCount, formatDuration } from "@/lib/format";
import type { Point, Window } from "./schema";

const colors = {
  success: "#10b981",
  failed: "#ef4444",
  retried: "#f59e0b",
  p50: "#6366f1",
  p95: "#a855f7",
  p99: "#ec4899",
};

function tickFormatter(window: Window) {
  const fmt = new Intl.DateTimeFormat(undefined, window === "7d"
    ? { weekday: "short", hour: "2-digit", minute: "2-digit" }
    : { hour: "2-digit", minute: "2-digit" });
  return (t: number) => fmt.format(new Date(t));
}

const labelFmt = new Intl.DateTimeFormat(undefined, {
  month: "short", day: "numeric", hour: "2-digit", minute: "2-digit",
});

const axis = { stroke: "#9aa1ad", fontSize: 11, tickLine: false, axisLine: false } as const;
const tooltipStyle = {
  contentStyle: {
    borderRadius: 8, border: "1px solid #e5e7ec", fontSize: 12,
    boxShadow: "0 10px 30px -8px rgb(16 24 40 / 0.18)",
  },
  labelStyle: { fontWeight: 600, marginBottom: 4, color: "#0b0d12" },
};

function rows(points: Point[]) {
  return points.map((p) => ({ ...p, t: Date.parse(p.time) }));
}

/** DeliveriesChart stacks attempts per bucket by outcome. */
export function DeliveriesChart({ points, window }: { points: Point[]; window: Window }) {
  return (
    <ResponsiveContainer width="100%" height={260}>
      <BarChart data={rows(points)} margin={{ top: 8, right: 8, bottom: 0, left: -16 }}
        barCategoryGap={1}>
        <CartesianGrid vertical={false} stroke="#eef0f3" />
        <XAxis dataKey="t" type="number" scale="time" domain={["dataMin", "dataMax"]}
          padding={{ left: 6, right: 6 }} tickFormatter={tickFormatter(window)} minTickGap={40}
          {...axis} />
        <YAxis allowDecimals={false} tickFormatter={formatCount} width={48} {...axis} />
        <Tooltip {...tooltipStyle} cursor={{ fill: "#f4f5f7" }}
          labelFormatter={(t) => labelFmt.format(new Date(Number(t)))}
          formatter={(v) => formatCount(Number(v))} />
        <Legend iconType="circle" iconSize={8} wrapperStyle={{ fontSize: 12, paddingTop: 8 }} />
        <Bar dataKey="success" name="Delivered" stackId="1" fill={colors.success}
          isAnimationActive={false} />
        <Bar dataKey="retried" name="Retried" stackId="1" fill={colors.retried}
          isAnimationActive={false} />
        <Bar dataKey="failed" name="Failed" stackId="1" fill={colors.failed}
          radius={[2, 2, 0, 0]} isAnimationActive={false} />
      </BarChart>
    </ResponsiveContainer>
  );
}

/** LatencyChart draws the attempt latency percentiles per bucket. */
export function LatencyChart({ points, window }: { points: Point[]; window: Window }) {
  return (
    <ResponsiveContainer width="100%" height={260}>
      <LineChart data={rows(points)} margin={{ top: 8, right: 8, bottom: 0, left: -8 }}>
        <CartesianGrid vertical={false} stroke="#eef0f3" />
        <XAxis dataKey="t" type="number" scale="time" domain={["dataMin", "dataMax"]}
          tickFormatter={tickFormatter(window)} minTickGap={40} {...axis} />
        <YAxis tickFormatter={(v: number) => formatDuration(v)} width={56} {...axis} />
        <Tooltip {...tooltipStyle} labelFormatter={(t) => labelFmt.format(new Date(Number(t)))}
          formatter={(v) => formatDuration(Number(v))} />
        <Legend iconType="circle" iconSize={8} wrapperStyle={{ fontSize: 12, paddingTop: 8 }} />
        <Line type="monotone" dataKey="p50Ms" name="p50" stroke={colors.p50} strokeWidth={2}
          dot={{ r: 2.5, strokeWidth: 0, fill: colors.p50 }} connectNulls={false}
          isAnimationActive={false} />
        <Line type="monotone" dataKey="p95Ms" name="p95" stroke={colors.p95} strokeWidth={2}
          dot={{ r: 2.5, strokeWidth: 0, fill: colors.p95 }} connectNulls={false}
          isAnimationActive={false} />
        <Line type="monotone" dataKey="p99Ms" name="p99" stroke={colors.p99} strokeWidth={2}
          dot={{ r: 2.5, strokeWidth: 0, fill: colors.p99 }} connectNulls={false}
          isAnimationActive={false} strokeDasharray="4 3" />
      </LineChart>
    </ResponsiveContainer>
  );
}
