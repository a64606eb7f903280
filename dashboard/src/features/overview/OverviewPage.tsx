import { lazy, Suspense, type ReactNode } from "react";
import { useQuery } from "@tanstack/react-query";
import { Link, useSearchParams } from "react-router";
import {
  AreaChart as AreaIcon, ArrowRight, CheckCircle2, FlaskConical, KeyRound, ScrollText, Timer,
} from "lucide-react";
import { EmptyState } from "@/components/empty-state";
import { ErrorState } from "@/components/error-state";
import { PageHeader } from "@/components/page-header";
import { Button } from "@/components/ui/button";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { NativeSelect } from "@/components/ui/native-select";
import { Skeleton } from "@/components/ui/skeleton";
import { formatCount, formatDuration, formatRelative, plural } from "@/lib/format";
import { useOrg } from "@/features/orgs/OrgProvider";
import { listLogs, logKeys } from "@/features/logs/api";
import { StatusBadge } from "@/features/logs/StatusBadge";
import { getStats, getTimeseries, overviewKeys } from "./api";
import { summarise } from "./summary";

// The chart library is the largest part of the bundle: load it with the page.
const DeliveriesChart = lazy(() =>
  import("./charts").then((m) => ({ default: m.DeliveriesChart })));
const LatencyChart = lazy(() => import("./charts").then((m) => ({ default: m.LatencyChart })));

const chartFallback = <Skeleton className="h-[260px]" />;
import { WINDOWS, type Stats, type Window } from "./schema";
import { StatCards, StatCardsSkeleton } from "./StatCards";

function readWindow(v: string | null): Window {
  return WINDOWS.find((w) => w.value === v)?.value ?? "24h";
}

function ChartCard({ title, description, children }: {
  title: string;
  description: ReactNode;
  children: ReactNode;
}) {
  return (
    <Card className="min-w-0">
      <CardHeader>
        <CardTitle>{title}</CardTitle>
        <CardDescription>{description}</CardDescription>
      </CardHeader>
      <CardContent>{children}</CardContent>
    </Card>
  );
}

function Charts({ orgId, window }: { orgId: string; window: Window }) {
  const series = useQuery({
    queryKey: overviewKeys.timeseries(orgId, window),
    queryFn: () => getTimeseries(orgId, window),
    refetchInterval: 15_000,
  });
  const label = WINDOWS.find((w) => w.value === window)!.label.toLowerCase();

  if (series.isPending) {
    return (
      <div className="grid gap-6 lg:grid-cols-2" aria-busy="true" aria-label="Loading charts">
        <Skeleton className="h-[362px] rounded-lg" /><Skeleton className="h-[362px] rounded-lg" />
      </div>
    );
  }
  if (series.isError) {
    return (
      <Card>
        <ErrorState error={series.error} onRetry={() => void series.refetch()}
          title="Couldn't load deliveries over time" />
      </Card>
    );
  }

  const points = series.data.points;
  const sum = summarise(points);

  if (sum.total === 0) {
    return (
      <Card>
        <EmptyState icon={AreaIcon} title={`No delivery attempts in the ${label}`}>
          Charts of outcomes and response times appear as soon as webhooks go out.
        </EmptyState>
      </Card>
    );
  }

  return (
    <div className="grid gap-6 lg:grid-cols-2">
      <ChartCard title="Deliveries"
        description={`${plural(sum.total, "attempt")} in the ${label}: ` +
          `${formatCount(sum.success)} delivered, ${formatCount(sum.retried)} retried, ` +
          `${formatCount(sum.failed)} failed`}>
        <Suspense fallback={chartFallback}>
          <DeliveriesChart points={points} window={window} />
        </Suspense>
      </ChartCard>
      <ChartCard title="Response time"
        description={sum.worstP95 === null ? "No timed attempts" :
          `Worst p95 ${formatDuration(sum.worstP95)} in the ${label}`}>
        <Suspense fallback={chartFallback}>
          <LatencyChart points={points} window={window} />
        </Suspense>
      </ChartCard>
    </div>
  );
}

function RecentFailures({ orgId }: { orgId: string }) {
  const q = { status: "failed", limit: 5 };
  const failures = useQuery({
    queryKey: logKeys.list(orgId, q),
    queryFn: () => listLogs(orgId, q),
    refetchInterval: 15_000,
  });

  return (
    <Card>
      <CardHeader className="flex-row items-start justify-between gap-4">
        <div className="space-y-1">
          <CardTitle>Recent failures</CardTitle>
          <CardDescription>Webhooks that ran out of attempts.</CardDescription>
        </div>
        <Button asChild variant="ghost" size="sm">
          <Link to="/logs?status=failed">View all <ArrowRight aria-hidden /></Link>
        </Button>
      </CardHeader>
      {failures.isPending && (
        <div className="space-y-2 px-5 pb-5">
          <Skeleton className="h-10" /><Skeleton className="h-10" />
        </div>
      )}
      {failures.isError && <ErrorState error={failures.error}
        onRetry={() => void failures.refetch()} />}
      {failures.data && failures.data.data.length === 0 && (
        <EmptyState icon={CheckCircle2} title="No failed webhooks" className="py-10">
          Everything you've sent has been delivered or is still being tried.
        </EmptyState>
      )}
      {failures.data && failures.data.data.length > 0 && (
        <ul className="divide-y border-t">
          {failures.data.data.map((r) => (
            <li key={r.id}>
              <Link to={`/logs/${r.id}`} className="flex items-center gap-3 px-5 py-3
                transition-colors hover:bg-subtle">
                <StatusBadge status={r.status} />
                <span className="min-w-0 flex-1 truncate font-mono text-[13px]">{r.endpoint}</span>
                <span className="shrink-0 text-xs text-muted-foreground">
                  {formatRelative(r.createdAt)}
                </span>
              </Link>
            </li>
          ))}
        </ul>
      )}
    </Card>
  );
}

function GettingStarted({ isAdmin }: { isAdmin: boolean }) {
  const steps = [
    { icon: KeyRound, title: "Create an API key", text: "Your backend uses it to send webhooks.",
      to: "/keys", cta: "API keys", show: isAdmin },
    { icon: FlaskConical, title: "Send a test webhook",
      text: "Try a delivery from the playground, no code needed.", to: "/playground",
      cta: "Playground", show: true },
    { icon: ScrollText, title: "Watch it arrive",
      text: "Every attempt, status and response is in the log.", to: "/logs", cta: "Webhook log",
      show: true },
  ].filter((s) => s.show);

  return (
    <Card className="overflow-hidden">
      <CardHeader>
        <CardTitle>Get started</CardTitle>
        <CardDescription>Send your first webhook in under a minute.</CardDescription>
      </CardHeader>
      <ol className="grid gap-px border-t bg-border sm:grid-cols-3">
        {steps.map((s, i) => (
          <li key={s.title} className="flex flex-col gap-3 bg-card p-5">
            <span className="flex items-center gap-2 text-xs font-semibold text-primary">
              <span className="flex size-6 items-center justify-center rounded-full
                bg-primary-soft">{i + 1}</span>
              <s.icon className="size-4" aria-hidden />
            </span>
            <div>
              <div className="font-medium">{s.title}</div>
              <p className="mt-0.5 text-sm text-muted-foreground">{s.text}</p>
            </div>
            <Button asChild variant="secondary" size="sm" className="mt-auto self-start">
              <Link to={s.to}>{s.cta} <ArrowRight aria-hidden /></Link>
            </Button>
          </li>
        ))}
      </ol>
    </Card>
  );
}

function isEmpty(s: Stats) {
  return s.totalWebhooksSent + s.totalWebhooksFailed + s.totalWebhooksQueued === 0;
}

/** OverviewPage answers "are my webhooks getting through?" at a glance. */
export function OverviewPage() {
  const { current, isAdmin } = useOrg();
  const [params, setParams] = useSearchParams();
  const window = readWindow(params.get("window"));

  const stats = useQuery({
    queryKey: overviewKeys.stats(current.id),
    queryFn: () => getStats(current.id),
    refetchInterval: 10_000,
  });

  return (
    <>
      <PageHeader
        title="Overview"
        description={`How ${current.name}'s webhooks are getting through.`}
        actions={
          <div className="flex items-center gap-2">
            <Timer className="size-4 text-muted-foreground" aria-hidden />
            <label htmlFor="window" className="sr-only">Time window</label>
            <NativeSelect id="window" value={window} className="w-44"
              onChange={(e) => setParams((p) => {
                const next = new URLSearchParams(p);
                next.set("window", e.target.value);
                return next;
              }, { replace: true })}>
              {WINDOWS.map((w) => <option key={w.value} value={w.value}>{w.label}</option>)}
            </NativeSelect>
          </div>
        }
      />

      <div className="grid gap-6">
        {stats.isPending && <StatCardsSkeleton />}
        {stats.isError && (
          <Card><ErrorState error={stats.error} onRetry={() => void stats.refetch()}
            title="Couldn't load the counts" /></Card>
        )}
        {stats.data && isEmpty(stats.data) && <GettingStarted isAdmin={isAdmin} />}
        {stats.data && <StatCards stats={stats.data} />}

        <Charts orgId={current.id} window={window} />
        {stats.data && !isEmpty(stats.data) && <RecentFailures orgId={current.id} />}
      </div>
    </>
  );
}
