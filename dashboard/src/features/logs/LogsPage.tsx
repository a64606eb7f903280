import { keepPreviousData, useQuery } from "@tanstack/react-query";
import { Link, useLocation, useNavigate } from "react-router";
import { FlaskConical, Inbox, RotateCw, SearchX } from "lucide-react";
import { EmptyState } from "@/components/empty-state";
import { ErrorState } from "@/components/error-state";
import { PageHeader } from "@/components/page-header";
import { Button } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { Skeleton } from "@/components/ui/skeleton";
import {
  Table, TableBody, TableCell, TableHead, TableHeader, TableRow,
} from "@/components/ui/table";
import { formatDateTime, formatDuration, formatRelative, plural } from "@/lib/format";
import { cn } from "@/lib/utils";
import { useOrg } from "@/features/orgs/OrgProvider";
import { listLogs, logKeys } from "./api";
import { hasFilters, toQuery, useLogFilters } from "./filters";
import { LogFiltersBar } from "./LogFiltersBar";
import { Pagination } from "./Pagination";
import type { LogRow } from "./schema";
import { HttpCode, StatusBadge } from "./StatusBadge";

export function MethodTag({ method }: { method: string }) {
  return (
    <span className="inline-flex h-5 shrink-0 items-center rounded border bg-subtle px-1.5
      font-mono text-[10.5px] font-semibold tracking-wide text-foreground/70">
      {method}
    </span>
  );
}

function LogTable({ rows, back }: { rows: LogRow[]; back: string }) {
  const navigate = useNavigate();

  return (
    <Table>
      <TableHeader>
        <TableRow>
          <TableHead className="w-32">State</TableHead>
          <TableHead>Endpoint</TableHead>
          <TableHead className="hidden md:table-cell">Response</TableHead>
          <TableHead className="hidden text-right sm:table-cell">Attempts</TableHead>
          <TableHead className="text-right">Created</TableHead>
        </TableRow>
      </TableHeader>
      <TableBody>
        {rows.map((r) => (
          <TableRow
            key={r.id}
            data-clickable
            className="cursor-pointer"
            onClick={(e) => {
              if ((e.target as HTMLElement).closest("a")) return;
              navigate(`/logs/${r.id}`, { state: { back } });
            }}
          >
            <TableCell><StatusBadge status={r.status} /></TableCell>
            <TableCell className="max-w-0 min-w-48">
              <div className="flex min-w-0 items-center gap-2">
                <MethodTag method={r.method} />
                <Link
                  to={`/logs/${r.id}`}
                  state={{ back }}
                  className="truncate font-mono text-[13px] font-medium hover:underline"
                  title={r.endpoint}
                >
                  {r.endpoint}
                </Link>
              </div>
              {r.eventType && (
                <div className="mt-1 truncate text-xs text-muted-foreground">{r.eventType}</div>
              )}
            </TableCell>
            <TableCell className="hidden whitespace-nowrap md:table-cell">
              <div className="flex items-center gap-3">
                <HttpCode code={r.statusCode} />
                {r.responseTimeMs !== null && (
                  <span className="text-xs text-muted-foreground">
                    {formatDuration(r.responseTimeMs)}
                  </span>
                )}
              </div>
            </TableCell>
            <TableCell className="hidden text-right tabular-nums sm:table-cell">
              {r.attemptCount}
            </TableCell>
            <TableCell className="text-right whitespace-nowrap text-muted-foreground"
              title={formatDateTime(r.createdAt)}>
              {formatRelative(r.createdAt)}
            </TableCell>
          </TableRow>
        ))}
      </TableBody>
    </Table>
  );
}

/** LogList is the log on a phone: one compact item per webhook. */
function LogList({ rows, back }: { rows: LogRow[]; back: string }) {
  return (
    <ul className="divide-y" aria-label="Webhooks">
      {rows.map((r) => (
        <li key={r.id}>
          <Link to={`/logs/${r.id}`} state={{ back }}
            className="block px-4 py-3 transition-colors hover:bg-subtle">
            <div className="flex items-center gap-2">
              <StatusBadge status={r.status} />
              <HttpCode code={r.statusCode} />
              <span className="ml-auto text-xs text-muted-foreground">
                {formatRelative(r.createdAt)}
              </span>
            </div>
            <div className="mt-2 flex min-w-0 items-center gap-2">
              <MethodTag method={r.method} />
              <span className="truncate font-mono text-[13px]">{r.endpoint}</span>
            </div>
            <div className="mt-1 text-xs text-muted-foreground">
              {[r.eventType, plural(r.attemptCount, "attempt")].filter(Boolean).join(" · ")}
            </div>
          </Link>
        </li>
      ))}
    </ul>
  );
}

function RowsSkeleton() {
  return (
    <div className="divide-y" aria-busy="true" aria-label="Loading webhooks">
      {Array.from({ length: 6 }, (_, i) => (
        <div key={i} className="flex items-center gap-4 px-4 py-3.5">
          <Skeleton className="h-5 w-20 rounded-full" />
          <Skeleton className="h-4 flex-1" />
          <Skeleton className="hidden h-4 w-16 md:block" />
          <Skeleton className="h-4 w-20" />
        </div>
      ))}
    </div>
  );
}

/** LogsPage is the filterable, paged list of every message of the organisation. */
export function LogsPage() {
  const { current } = useOrg();
  const { filters, update, clear } = useLogFilters();
  const location = useLocation();

  const logs = useQuery({
    queryKey: logKeys.list(current.id, filters),
    queryFn: ({ signal }) => listLogs(current.id, toQuery(filters), signal),
    placeholderData: keepPreviousData,
    refetchInterval: 5000,
  });

  const back = location.pathname + location.search;
  const data = logs.data;

  return (
    <>
      <PageHeader
        title="Webhook log"
        description="Every webhook your organisation has sent, newest first."
        actions={
          <>
            <Button variant="secondary" onClick={() => void logs.refetch()}
              disabled={logs.isFetching}>
              <RotateCw className={cn(logs.isFetching && "animate-spin")} aria-hidden />
              Refresh
            </Button>
            <Button asChild>
              <Link to="/playground"><FlaskConical aria-hidden /> Send a test</Link>
            </Button>
          </>
        }
      />

      <Card className="overflow-hidden">
        <LogFiltersBar filters={filters} update={update} clear={clear} />

        {logs.isPending && <RowsSkeleton />}
        {logs.isError && !data && (
          <ErrorState error={logs.error} onRetry={() => void logs.refetch()}
            title="Couldn't load the webhook log" />
        )}

        {data && data.data.length === 0 && (hasFilters(filters) || filters.page > 1 ? (
          <EmptyState icon={SearchX} title="No webhooks match"
            action={<Button variant="secondary" onClick={clear}>Clear filters</Button>}>
            Try another state, a wider time range, or part of the URL.
          </EmptyState>
        ) : (
          <EmptyState icon={Inbox} title="No webhooks yet"
            action={<Button asChild><Link to="/playground">Send a test webhook</Link></Button>}>
            Webhooks you send with <code className="font-mono text-xs">POST /webhook/send</code>
            {" "}show up here with every delivery attempt.
          </EmptyState>
        ))}

        {data && data.data.length > 0 && (
          <div className={cn("transition-opacity", logs.isPlaceholderData && "opacity-60")}>
            <div className="hidden sm:block"><LogTable rows={data.data} back={back} /></div>
            <div className="sm:hidden"><LogList rows={data.data} back={back} /></div>
          </div>
        )}

        {data && data.total > 0 && (
          <Pagination page={filters.page} limit={filters.limit} total={data.total}
            totalPages={data.totalPages} onPage={(page) => update({ page })}
            onLimit={(limit) => update({ limit })} />
        )}
      </Card>
    </>
  );
}
