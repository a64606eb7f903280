import { useState, type ReactNode } from "react";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { Link, useLocation, useParams } from "react-router";
import { ArrowLeft, History, RotateCw, SearchX } from "lucide-react";
import { CodeBlock } from "@/components/code-block";
import { CopyButton } from "@/components/copy-button";
import { EmptyState } from "@/components/empty-state";
import { ErrorState } from "@/components/error-state";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { Skeleton } from "@/components/ui/skeleton";
import { Tabs, TabsContent, TabsList, TabsTrigger } from "@/components/ui/tabs";
import { toast } from "@/components/ui/toast";
import { ApiError, errorMessage } from "@/lib/http";
import { formatDateTime, formatRelative, plural, sentence } from "@/lib/format";
import { prettyJSON } from "@/lib/rawjson";
import { useOrg } from "@/features/orgs/OrgProvider";
import { getLog, logKeys, retryLog, type DetailWithRaw } from "./api";
import { AttemptTimeline } from "./AttemptTimeline";
import { MethodTag } from "./LogsPage";
import { isFinal } from "./schema";
import { StatusBadge } from "./StatusBadge";

function Fact({ label, children }: { label: string; children: ReactNode }) {
  return (
    <div className="min-w-0">
      <dt className="text-xs font-medium text-muted-foreground">{label}</dt>
      <dd className="mt-1 truncate text-sm">{children}</dd>
    </div>
  );
}

function RetryNow({ orgId, message }: { orgId: string; message: DetailWithRaw }) {
  const queryClient = useQueryClient();
  const retry = useMutation({
    mutationFn: () => retryLog(orgId, message.id),
    onSuccess: async () => {
      toast.success("Retry queued", "Chis will make one more attempt right away.");
      await queryClient.invalidateQueries({ queryKey: logKeys.all(orgId) });
    },
    onError: (err) => toast.error("Couldn't retry", errorMessage(err)),
  });

  return (
    <Button onClick={() => retry.mutate()} loading={retry.isPending}>
      {!retry.isPending && <RotateCw aria-hidden />} Retry now
    </Button>
  );
}

function Payload({ raw }: { raw: string }) {
  const [tab, setTab] = useState("pretty");
  return (
    <Tabs value={tab} onValueChange={setTab}>
      <div className="mb-3 flex items-center justify-between gap-3">
        <p className="text-xs text-muted-foreground">
          Delivered byte for byte as sent; formatting here only changes whitespace.
        </p>
        <TabsList aria-label="Payload view">
          <TabsTrigger value="pretty">Formatted</TabsTrigger>
          <TabsTrigger value="raw">Raw</TabsTrigger>
        </TabsList>
      </div>
      <TabsContent value="pretty"><CodeBlock code={prettyJSON(raw)} label="payload" /></TabsContent>
      <TabsContent value="raw"><CodeBlock code={raw} label="raw payload" /></TabsContent>
    </Tabs>
  );
}

function DetailSkeleton() {
  return (
    <div className="space-y-6" aria-busy="true" aria-label="Loading webhook">
      <Skeleton className="h-8 w-2/3" />
      <Skeleton className="h-28" />
      <div className="grid gap-6 lg:grid-cols-2">
        <Skeleton className="h-64" /><Skeleton className="h-64" />
      </div>
    </div>
  );
}

/** LogDetailPage shows one message: payload, every attempt, and retry. */
export function LogDetailPage() {
  const { id = "" } = useParams();
  const { current } = useOrg();
  const location = useLocation();
  const back = (location.state as { back?: string } | null)?.back ?? "/logs";

  const log = useQuery({
    queryKey: logKeys.detail(current.id, id),
    queryFn: ({ signal }) => getLog(current.id, id, signal),
    refetchInterval: (q) => (q.state.data && !isFinal(q.state.data.status) ? 1000 : false),
  });

  const backLink = (
    <Link to={back} className="mb-5 inline-flex items-center gap-1.5 text-sm font-medium
      text-muted-foreground hover:text-foreground">
      <ArrowLeft className="size-4" aria-hidden /> Webhook log
    </Link>
  );

  if (log.isPending) return <>{backLink}<DetailSkeleton /></>;
  if (log.isError) {
    const missing = log.error instanceof ApiError && log.error.status === 404;
    return (
      <>
        {backLink}
        <Card>
          {missing ? (
            <EmptyState icon={SearchX} title="Webhook not found">
              There's no webhook with this id in {current.name}. It may belong to another
              organisation.
            </EmptyState>
          ) : <ErrorState error={log.error} onRetry={() => void log.refetch()} />}
        </Card>
      </>
    );
  }

  const m = log.data;
  const last = m.deliveryAttempts.reduce<typeof m.deliveryAttempts[number] | undefined>(
    (acc, a) => (!acc || a.attemptNumber > acc.attemptNumber ? a : acc), undefined);

  return (
    <>
      {backLink}
      <div className="mb-6 flex flex-col gap-4 lg:flex-row lg:items-start lg:justify-between">
        <div className="min-w-0 space-y-2">
          <div className="flex items-center gap-3">
            <StatusBadge status={m.status} />
            <span className="text-sm text-muted-foreground">
              {plural(m.attemptCount, "attempt")}
            </span>
          </div>
          <h1 className="flex min-w-0 items-center gap-2 text-lg font-semibold sm:text-xl">
            <MethodTag method={m.method} />
            <span className="font-mono break-all">{m.url}</span>
          </h1>
        </div>
        <div className="flex shrink-0 gap-2">
          <Button variant="secondary" onClick={() => void log.refetch()}
            disabled={log.isFetching}>Refresh</Button>
          {m.status === "failed" && <RetryNow orgId={current.id} message={m} />}
        </div>
      </div>

      {m.status === "failed" && (
        <Alert tone="danger" className="mb-6" title="Delivery failed">
          {m.failureReason ? <p>{sentence(m.failureReason)}.</p> : null}
          {!m.failureReason && last?.errorMessage ? <p>{sentence(last.errorMessage)}</p> : null}
          <p>Fix the receiver, then use Retry now: the same message id and body are sent again.</p>
        </Alert>
      )}

      <Card className="mb-6">
        <CardContent className="pt-5">
          <dl className="grid grid-cols-2 gap-x-6 gap-y-4 md:grid-cols-4">
            <Fact label="Message id">
              <span className="flex items-center gap-1">
                <span className="truncate font-mono text-xs" title={m.id}>{m.id}</span>
                <CopyButton value={m.id} iconOnly label="Copy message id"
                  className="size-6 border-0 shadow-none" />
              </span>
            </Fact>
            <Fact label="Event type">{m.eventType || <span className="text-muted-foreground">
              —</span>}</Fact>
            <Fact label="Created">
              <span title={formatDateTime(m.createdAt)}>{formatRelative(m.createdAt)}</span>
            </Fact>
            <Fact label={m.nextRetryAt ? "Next attempt" : "Last update"}>
              {m.nextRetryAt ? formatRelative(m.nextRetryAt) : (
                <span title={formatDateTime(m.updatedAt)}>{formatRelative(m.updatedAt)}</span>
              )}
            </Fact>
          </dl>
        </CardContent>
      </Card>

      <div className="grid items-start gap-6 lg:grid-cols-[minmax(0,1.25fr)_minmax(0,1fr)]">
        <Card className="min-w-0">
          <CardHeader>
            <CardTitle>Attempts</CardTitle>
            <CardDescription>Each try, with what the receiver answered.</CardDescription>
          </CardHeader>
          <CardContent>
            {m.deliveryAttempts.length === 0 && !m.nextRetryAt && m.status !== "delivering" ? (
              <EmptyState icon={History} title="No attempts yet" className="py-8">
                The first attempt starts within a few seconds.
              </EmptyState>
            ) : (
              <AttemptTimeline attempts={m.deliveryAttempts} nextRetryAt={m.nextRetryAt}
                status={m.status} />
            )}
          </CardContent>
        </Card>
        <Card className="min-w-0">
          <CardHeader>
            <CardTitle>Payload</CardTitle>
          </CardHeader>
          <CardContent><Payload raw={m.rawPayload} /></CardContent>
        </Card>
      </div>
    </>
  );
}
