import { useState } from "react";
import { ChevronRight, Clock } from "lucide-react";
import { Badge } from "@/components/ui/badge";
import {
  formatDateTime, formatDuration, formatRelative, formatTimeShort, sentence,
} from "@/lib/format";
import { prettyJSON } from "@/lib/rawjson";
import { cn } from "@/lib/utils";
import type { Attempt } from "./schema";
import { HttpCode } from "./StatusBadge";

function outcome(a: Attempt): "ok" | "fail" {
  return a.statusCode !== null && a.statusCode >= 200 && a.statusCode < 300 ? "ok" : "fail";
}

function ResponseBody({ attempt }: { attempt: Attempt }) {
  const [open, setOpen] = useState(false);
  if (!attempt.responseBody) {
    return <p className="text-xs text-muted-foreground">No response body.</p>;
  }

  const body = prettyJSON(attempt.responseBody);
  return (
    <div>
      <button type="button" onClick={() => setOpen(!open)} aria-expanded={open}
        className="inline-flex cursor-pointer items-center gap-1 rounded text-xs font-medium
          text-muted-foreground hover:text-foreground">
        <ChevronRight className={cn("size-3.5 transition-transform", open && "rotate-90")}
          aria-hidden />
        {open ? "Hide" : "Show"} response body
        {attempt.responseTruncated && " (truncated)"}
      </button>
      {open && (
        <pre className="mt-2 max-h-72 overflow-auto rounded-md border bg-subtle p-3 font-mono
          text-xs leading-relaxed whitespace-pre-wrap break-all" tabIndex={0}
          aria-label={`Response body of attempt ${attempt.attemptNumber}`}>
          {body}
          {attempt.responseTruncated && (
            <span className="mt-2 block font-sans text-muted-foreground">
              … cut here: Chis keeps the first 64 KiB of a response.
            </span>
          )}
        </pre>
      )}
    </div>
  );
}

/**
 * AttemptTimeline lists every delivery attempt, newest first, and the next
 * one when a retry is scheduled.
 */
export function AttemptTimeline({ attempts, nextRetryAt, status }: {
  attempts: Attempt[];
  nextRetryAt: string | null;
  status: string;
}) {
  const ordered = [...attempts].sort((a, b) => b.attemptNumber - a.attemptNumber);
  const upcoming = status === "retry" || status === "pending" || status === "delivering";

  return (
    <ol className="relative" aria-label="Delivery attempts">
      {upcoming && (
        <li className="relative flex gap-4 pb-6">
          <span className="absolute top-6 bottom-0 left-[11px] w-px bg-border" aria-hidden />
          <span className="relative mt-0.5 flex size-6 shrink-0 items-center justify-center
            rounded-full border border-dashed border-muted-foreground/50 bg-card">
            <Clock className="size-3 text-muted-foreground" aria-hidden />
          </span>
          <div className="pt-0.5 text-sm">
            <span className="font-medium">
              {status === "delivering" ? "Delivering now…" : "Next attempt"}
            </span>
            {status !== "delivering" && (
              <span className="text-muted-foreground">
                {" "}{nextRetryAt ? formatRelative(nextRetryAt) : "soon"}
                {nextRetryAt && <> · {formatDateTime(nextRetryAt)}</>}
              </span>
            )}
          </div>
        </li>
      )}

      {ordered.map((a, i) => {
        const ok = outcome(a) === "ok";
        const last = i === ordered.length - 1;
        return (
          <li key={a.id} className="relative flex gap-4 pb-6 last:pb-0"
            data-testid="attempt" data-attempt={a.attemptNumber}>
            {!last && (
              <span className="absolute top-6 bottom-0 left-[11px] w-px bg-border" aria-hidden />
            )}
            <span className={cn("relative mt-0.5 flex size-6 shrink-0 items-center " +
              "justify-center rounded-full text-[11px] font-semibold text-white ring-4 ring-card",
            ok ? "bg-success" : "bg-danger")} aria-hidden>
              {a.attemptNumber}
            </span>
            <div className="min-w-0 flex-1 space-y-2">
              <div className="flex flex-wrap items-center gap-x-3 gap-y-1">
                <span className="text-sm font-medium">Attempt {a.attemptNumber}</span>
                {a.statusCode !== null ? <HttpCode code={a.statusCode} withReason /> : (
                  <Badge tone="danger">No response</Badge>
                )}
                {a.errorClass && !(a.statusCode !== null && a.errorClass.startsWith("http")) && (
                  <Badge tone="neutral" className="font-mono">{a.errorClass}</Badge>
                )}
                <span className="text-xs text-muted-foreground tabular-nums">
                  {formatDuration(a.durationMs)}
                </span>
                <time
                  className="ml-auto text-xs whitespace-nowrap text-muted-foreground tabular-nums"
                  dateTime={a.attemptedAt} title={formatDateTime(a.attemptedAt)}>
                  {formatTimeShort(a.attemptedAt)}
                </time>
              </div>
              {a.errorMessage && (
                <p className={cn("border-l-2 pl-3 text-[13px] break-words",
                  a.statusCode === null ? "border-danger text-danger" :
                    "border-border text-muted-foreground")}>
                  {sentence(a.errorMessage)}
                </p>
              )}
              <ResponseBody attempt={a} />
            </div>
          </li>
        );
      })}
    </ol>
  );
}
