import { cn } from "@/lib/utils";

export function Logo({ className, withName = true }: { className?: string; withName?: boolean }) {
  return (
    <span className={cn("inline-flex items-center gap-2", className)}>
      <svg viewBox="0 0 32 32" className="size-7 shrink-0" aria-hidden>
        <rect width="32" height="32" rx="8" fill="#4f46e5" />
        <path d="M9 17.5 14 22l9-12" fill="none" stroke="#fff" strokeWidth="3.2"
          strokeLinecap="round" strokeLinejoin="round" />
      </svg>
      {withName && <span className="text-[17px] font-semibold tracking-tight">Chis</span>}
    </span>
  );
}
