import { useEffect, useState } from "react";
import { useForm } from "react-hook-form";
import { zodResolver } from "@hookform/resolvers/zod";
import { useQuery } from "@tanstack/react-query";
import { Link } from "react-router";
import { ArrowRight, Eye, EyeOff, Radio, Send, WandSparkles } from "lucide-react";
import { EmptyState } from "@/components/empty-state";
import { Field } from "@/components/form-field";
import { PageHeader } from "@/components/page-header";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import {
  Card, CardContent, CardDescription, CardFooter, CardHeader, CardTitle,
} from "@/components/ui/card";
import { Input } from "@/components/ui/input";
import { NativeSelect } from "@/components/ui/native-select";
import { Textarea } from "@/components/ui/textarea";
import { ApiError } from "@/lib/http";
import { applyServerError } from "@/lib/forms";
import { formatDuration } from "@/lib/format";
import { prettyJSON } from "@/lib/rawjson";
import { cn } from "@/lib/utils";
import { useOrg } from "@/features/orgs/OrgProvider";
import { getLog, logKeys } from "@/features/logs/api";
import { AttemptTimeline } from "@/features/logs/AttemptTimeline";
import { isFinal } from "@/features/logs/schema";
import { StatusBadge, stateLabel } from "@/features/logs/StatusBadge";
import { sendWebhook } from "./api";
import { METHODS, sendForm, type SendForm } from "./schema";

const samplePayload = `{
  "event": "order.created",
  "data": {
    "id": "ord_1042",
    "amount": 4999,
    "currency": "EUR"
  }
}`;

interface Seen {
  status: string;
  at: number;
}

/** Watch follows one sent message until it is delivered or has failed. */
function Watch({ orgId, messageId, sentAt }: { orgId: string; messageId: string; sentAt: number }) {
  const [seen, setSeen] = useState<Seen[]>([{ status: "pending", at: sentAt }]);

  const log = useQuery({
    queryKey: logKeys.detail(orgId, messageId),
    queryFn: ({ signal }) => getLog(orgId, messageId, signal),
    refetchInterval: (q) => (q.state.data && isFinal(q.state.data.status) ? false : 700),
    retry: (n, err) => !(err instanceof ApiError && err.status === 404) && n < 3,
  });

  const status = log.data?.status;
  useEffect(() => {
    if (!status) return;
    setSeen((prev) => (prev[prev.length - 1]?.status === status ? prev :
      [...prev, { status, at: Date.now() }]));
  }, [status]);

  if (log.isError) {
    const otherOrg = log.error instanceof ApiError && log.error.status === 404;
    return (
      <Alert tone="warning" title="Sent, but can't follow it here">
        {otherOrg ? "The key belongs to another organisation than the one selected. Switch " +
          "organisation to see this webhook in its log." : (log.error as Error).message}
      </Alert>
    );
  }

  const current = status ?? "pending";

  return (
    <div className="grid gap-6">
      <div className="flex flex-wrap items-center gap-3">
        <span className="text-sm text-muted-foreground">State</span>
        <StatusBadge status={current} className="px-2.5 py-1 text-sm" />
        <Button asChild variant="ghost" size="sm" className="ml-auto">
          <Link to={`/logs/${messageId}`}>Open in log <ArrowRight aria-hidden /></Link>
        </Button>
      </div>

      <ol className="flex flex-wrap items-center gap-x-2 gap-y-2 text-sm" aria-label="States seen"
        data-testid="states-seen">
        {seen.map((s, i) => (
          <li key={`${s.status}-${i}`} className="flex items-center gap-2">
            {i > 0 && <ArrowRight className="size-3.5 text-muted-foreground" aria-hidden />}
            <span className={cn("rounded-md border px-2 py-0.5",
              i === seen.length - 1 ? "bg-card font-medium shadow-card" : "bg-subtle " +
                "text-muted-foreground")}>
              {stateLabel(s.status)}
              {i > 0 && <span className="ml-1.5 text-xs text-muted-foreground tabular-nums">
                +{formatDuration(s.at - sentAt)}</span>}
            </span>
          </li>
        ))}
      </ol>

      <div>
        <h3 className="mb-3 text-sm font-medium">Attempts</h3>
        {log.data && log.data.deliveryAttempts.length > 0 ? (
          <AttemptTimeline attempts={log.data.deliveryAttempts} nextRetryAt={log.data.nextRetryAt}
            status={log.data.status} />
        ) : (
          <p className="text-sm text-muted-foreground">Waiting for the first attempt…</p>
        )}
      </div>

      <p className="font-mono text-xs text-muted-foreground">Message {messageId}</p>
    </div>
  );
}

/** PlaygroundPage sends a test webhook with an API key and watches it. */
export function PlaygroundPage() {
  const { current } = useOrg();
  const [showKey, setShowKey] = useState(false);
  const [formError, setFormError] = useState<string | null>(null);
  const [sent, setSent] = useState<{ id: string; at: number } | null>(null);

  const form = useForm<SendForm>({
    resolver: zodResolver(sendForm),
    defaultValues: { apiKey: "", url: "", method: "POST", eventType: "order.created",
      payload: samplePayload },
  });
  const { errors, isSubmitting } = form.formState;

  const onSubmit = form.handleSubmit(async (values) => {
    setFormError(null);
    try {
      const res = await sendWebhook(values);
      setSent({ id: res.messageId, at: Date.now() });
    } catch (err) {
      const msg = applyServerError(err, form.setError,
        ["url", "method", "eventType", "payload"]);
      setFormError(err instanceof ApiError && err.status === 401
        ? "That API key was not accepted. Check that it was copied whole and is not revoked."
        : msg);
    }
  });

  return (
    <>
      <PageHeader
        title="Playground"
        description="Send a real webhook as your backend would, and watch it being delivered."
      />
      <div className="grid items-start gap-6 lg:grid-cols-2">
        <Card>
          <CardHeader>
            <CardTitle>Request</CardTitle>
            <CardDescription>
              <code className="font-mono text-xs">POST /webhook/send</code> with an API key of
              {" "}{current.name}.
            </CardDescription>
          </CardHeader>
          <form onSubmit={onSubmit} noValidate>
            <CardContent className="grid gap-5">
              {formError && <Alert tone="danger" title="Not sent">{formError}</Alert>}
              <Field label="API key" error={errors.apiKey?.message}
                hint={<>Shown once when created. <Link to="/keys" className="text-primary
                  hover:underline">Create one</Link> if you don't have it.</>}
                addon={
                  <button type="button" onClick={() => setShowKey(!showKey)}
                    aria-label={showKey ? "Hide key" : "Show key"}
                    className="absolute top-1/2 right-2 -translate-y-1/2 rounded p-1
                      text-muted-foreground hover:text-foreground">
                    {showKey ? <EyeOff className="size-4" /> : <Eye className="size-4" />}
                  </button>
                }>
                <Input type={showKey ? "text" : "password"} autoComplete="off"
                  spellCheck={false} className="pr-10 font-mono" placeholder="chis_…"
                  {...form.register("apiKey")} />
              </Field>
              <div className="grid gap-5 sm:grid-cols-[8rem_minmax(0,1fr)]">
                <Field label="Method" error={errors.method?.message}>
                  <NativeSelect {...form.register("method")}>
                    {METHODS.map((m) => <option key={m} value={m}>{m}</option>)}
                  </NativeSelect>
                </Field>
                <Field label="Receiver URL" error={errors.url?.message}>
                  <Input type="url" inputMode="url" placeholder="https://example.com/webhooks"
                    className="font-mono text-[13px]" {...form.register("url")} />
                </Field>
              </div>
              <Field label="Event type" optional error={errors.eventType?.message}>
                <Input placeholder="order.created" {...form.register("eventType")} />
              </Field>
              <Field label="Payload" error={errors.payload?.message}
                hint="Any JSON value. It is delivered byte for byte as written here.">
                <Textarea rows={9} spellCheck={false} className="font-mono text-[12.5px]"
                  {...form.register("payload")} />
              </Field>
            </CardContent>
            <CardFooter className="justify-between">
              <Button type="button" variant="ghost" size="sm" onClick={() =>
                form.setValue("payload", prettyJSON(form.getValues("payload")))}>
                <WandSparkles aria-hidden /> Format JSON
              </Button>
              <Button type="submit" loading={isSubmitting}>
                {!isSubmitting && <Send aria-hidden />} Send webhook
              </Button>
            </CardFooter>
          </form>
        </Card>

        <Card className="min-w-0" aria-live="polite">
          <CardHeader>
            <CardTitle>Delivery</CardTitle>
            <CardDescription>Follows the webhook through each state as it happens.</CardDescription>
          </CardHeader>
          <CardContent>
            {sent ? (
              <Watch key={sent.id} orgId={current.id} messageId={sent.id} sentAt={sent.at} />
            ) : (
              <EmptyState icon={Radio} title="Nothing sent yet" className="py-10">
                Send a webhook and its state appears here: pending, delivering, then delivered
                or retrying.
              </EmptyState>
            )}
          </CardContent>
        </Card>
      </div>
    </>
  );
}
