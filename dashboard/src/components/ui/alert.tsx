import type { HTMLAttributes, ReactNode } from "react";
import { AlertTriangle, CheckCircle2, Info, XCircle } from "lucide-react";
import { cva, type VariantProps } from "class-variance-authority";
import { cn } from "@/lib/utils";

const alertVariants = cva("flex gap-3 rounded-md border px-4 py-3 text-sm", {
  variants: {
    tone: {
      info: "border-info/25 bg-info-soft text-info [&_p]:text-foreground/80",
      success: "border-success/25 bg-success-soft text-success [&_p]:text-foreground/80",
      warning: "border-warning/30 bg-warning-soft text-warning [&_p]:text-foreground/80",
      danger: "border-danger/25 bg-danger-soft text-danger [&_p]:text-foreground/80",
    },
  },
  defaultVariants: { tone: "info" },
});

const icons = { info: Info, success: CheckCircle2, warning: AlertTriangle, danger: XCircle };

export interface AlertProps
  extends Omit<HTMLAttributes<HTMLDivElement>, "title">,
    VariantProps<typeof alertVariants> {
  title?: ReactNode;
}

export function Alert({ className, tone, title, children, ...props }: AlertProps) {
  const Icon = icons[tone ?? "info"];

  return (
    <div
      role={tone === "danger" ? "alert" : "status"}
      className={cn(alertVariants({ tone }), className)}
      {...props}
    >
      <Icon className="mt-0.5 size-4 shrink-0" aria-hidden />
      <div className="min-w-0 space-y-1">
        {title && <div className="font-medium">{title}</div>}
        {children && <div className="text-foreground/80">{children}</div>}
      </div>
    </div>
  );
}
