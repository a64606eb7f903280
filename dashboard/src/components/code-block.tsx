import type { ReactNode } from "react";
import { cn } from "@/lib/utils";
import { CopyButton } from "./copy-button";

/** CodeBlock shows text in a scrollable monospace box with a copy button. */
export function CodeBlock({ code, label, className, copy = true, footer }: {
  code: string;
  label?: string;
  className?: string;
  copy?: boolean;
  footer?: ReactNode;
}) {
  return (
    <div className={cn("relative overflow-hidden rounded-lg border bg-zinc-950", className)}>
      {copy && (
        <div className="absolute top-2 right-2">
          <CopyButton value={code} iconOnly label={label ? `Copy ${label}` : "Copy"}
            className="border-white/10 bg-white/5 text-zinc-300 hover:bg-white/10" />
        </div>
      )}
      <pre className="max-h-96 overflow-auto p-4 pr-12 font-mono text-[12.5px] leading-relaxed
        text-zinc-100" tabIndex={0} aria-label={label}>
        <code>{code}</code>
      </pre>
      {footer}
    </div>
  );
}
