import type { ReactNode } from "react";
import { CheckCircle2, Gauge, Hourglass, XCircle, type LucideIcon } from "lucide-react";
import { Card } from "@/components/ui/card";
import { Skeleton } from "@/components/ui/skeleton";
import { formatCount, formatPercent } from "@/lib/format";
import { cn } from "@/lib/utils";
import type { Stats } from "./schema";

function StatCard({ label, value, hint, icon: Icon, tone }: {
  label: string;
  value: ReactNode;
  hint: ReactNode;
  icon: LucideIcon;
  tone: string;
}) {
  return (
    <Card className="p-5">
      <div className="flex items-center justify-between">
        <span className="text-sm font-medium text-muted-foreground">{label}</span>
        <span className={cn("flex size-8 items-center justify-center rounded-md", tone)}>
          <Icon className="size-4" aria-hidden />
        </span>
      </div>
      <div className="mt-3 text-[28px] leading-none font-semibold tracking-tight tabular-nums">
        {value}
      </div>
      <div className="mt-2 text-xs text-muted-foreground">{hint}</div>
    </Card>
  );
}

export function StatCardsSkeleton() {
  return (
    <div className="grid gap-4 sm:grid-cols-2 xl:grid-cols-4" aria-busy="true"
      aria-label="Loading counts">
      {Array.from({ length: 4 }, (_, i) => <Skeleton key={i} className="h-[122px] rounded-lg" />)}
    </div>
  );
}

/** StatCards shows all-time counts by outcome and the success rate. */
export function StatCards({ stats }: { stats: Stats }) {
  const final = stats.totalWebhooksSent + stats.totalWebhooksFailed;
  const retrying = stats.byState?.retry;

  return (
    <div className="grid gap-4 sm:grid-cols-2 xl:grid-cols-4">
      <StatCard label="Success rate" icon={Gauge} tone="bg-primary-soft text-primary"
        value={final === 0 ? "—" : formatPercent(stats.successRate)}
        hint={final === 0 ? "No finished deliveries yet" :
          `of ${formatCount(final)} finished deliveries`} />
      <StatCard label="Delivered" icon={CheckCircle2} tone="bg-success-soft text-success"
        value={formatCount(stats.totalWebhooksSent)} hint="Receiver answered 2xx" />
      <StatCard label="Failed" icon={XCircle} tone="bg-danger-soft text-danger"
        value={formatCount(stats.totalWebhooksFailed)} hint="Gave up after the last attempt" />
      <StatCard label="In flight" icon={Hourglass} tone="bg-warning-soft text-warning"
        value={formatCount(stats.totalWebhooksQueued)}
        hint={retrying !== undefined ? `${formatCount(retrying)} waiting to retry` :
          "Pending, delivering or retrying"} />
    </div>
  );
}
