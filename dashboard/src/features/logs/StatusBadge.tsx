import { CheckCircle2, Clock, Loader2, RotateCw, XCircle, type LucideIcon } from "lucide-react";
import { Badge, type BadgeProps } from "@/components/ui/badge";
import { cn } from "@/lib/utils";

interface StateLook {
  label: string;
  tone: NonNullable<BadgeProps["tone"]>;
  icon: LucideIcon;
  spin?: boolean;
}

export const stateLook: Record<string, StateLook> = {
  pending: { label: "Pending", tone: "neutral", icon: Clock },
  delivering: { label: "Delivering", tone: "info", icon: Loader2, spin: true },
  retry: { label: "Retrying", tone: "warning", icon: RotateCw },
  success: { label: "Delivered", tone: "success", icon: CheckCircle2 },
  failed: { label: "Failed", tone: "danger", icon: XCircle },
};

export function stateLabel(status: string): string {
  return stateLook[status]?.label ?? status;
}

export function StatusBadge({ status, className }: { status: string; className?: string }) {
  const look = stateLook[status] ?? { label: status, tone: "neutral" as const, icon: Clock };
  const Icon = look.icon;

  return (
    <Badge tone={look.tone} className={className} data-status={status}>
      <Icon className={cn(look.spin && "animate-spin")} aria-hidden />
      {look.label}
    </Badge>
  );
}

const reasons: Record<number, string> = {
  200: "OK", 201: "Created", 202: "Accepted", 204: "No Content",
  301: "Moved Permanently", 302: "Found", 307: "Temporary Redirect", 308: "Permanent Redirect",
  400: "Bad Request", 401: "Unauthorized", 403: "Forbidden", 404: "Not Found",
  405: "Method Not Allowed", 408: "Request Timeout", 409: "Conflict", 410: "Gone",
  413: "Payload Too Large", 422: "Unprocessable", 429: "Too Many Requests",
  500: "Internal Server Error", 502: "Bad Gateway", 503: "Service Unavailable",
  504: "Gateway Timeout",
};

/** HttpCode shows a response status coloured by class, with its reason. */
export function HttpCode({ code, withReason = false }: {
  code: number | null;
  withReason?: boolean;
}) {
  if (code === null) return <span className="text-muted-foreground">—</span>;

  const ok = code >= 200 && code < 300;
  return (
    <span className={cn("inline-flex items-center gap-1.5 font-mono text-[13px] font-medium",
      ok ? "text-success" : code >= 500 ? "text-danger" : "text-warning")}>
      <span className={cn("size-1.5 rounded-full",
        ok ? "bg-success" : code >= 500 ? "bg-danger" : "bg-warning")} aria-hidden />
      {code}
      {withReason && reasons[code] && (
        <span className="font-sans font-normal text-muted-foreground">{reasons[code]}</span>
      )}
    </span>
  );
}
