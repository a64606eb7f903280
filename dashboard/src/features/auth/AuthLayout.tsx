import type { ReactNode } from "react";
import { Activity, RefreshCcw, ShieldCheck } from "lucide-react";
import { Logo } from "@/components/logo";

const points = [
  { icon: ShieldCheck, text: "Every delivery signed with your secret, byte for byte." },
  { icon: RefreshCcw, text: "Automatic retries with backoff, and a button to try again." },
  { icon: Activity, text: "Every attempt recorded: status, latency, response." },
];

const glow = "radial-gradient(circle at 15% 15%, rgba(99,102,241,0.38), transparent 45%), " +
  "radial-gradient(circle at 85% 95%, rgba(16,185,129,0.2), transparent 40%)";

/** AuthLayout frames the sign-in and sign-up forms. */
export function AuthLayout({ title, subtitle, children, footer }: {
  title: string;
  subtitle: ReactNode;
  children: ReactNode;
  footer?: ReactNode;
}) {
  return (
    <div className="grid min-h-dvh lg:grid-cols-[minmax(0,1fr)_minmax(0,1.05fr)]">
      <aside className="relative hidden overflow-hidden bg-zinc-950 p-12 text-white lg:flex
        lg:flex-col lg:justify-between">
        <div aria-hidden className="absolute inset-0" style={{ background: glow }} />
        <Logo className="relative text-white" />
        <div className="relative max-w-md space-y-8">
          <p className="text-3xl leading-tight font-semibold tracking-tight">
            Webhooks that arrive. And proof when they don't.
          </p>
          <ul className="space-y-4">
            {points.map(({ icon: Icon, text }) => (
              <li key={text} className="flex items-start gap-3 text-[15px] text-zinc-300">
                <span className="mt-0.5 flex size-7 shrink-0 items-center justify-center
                  rounded-md bg-white/10 text-indigo-300">
                  <Icon className="size-4" aria-hidden />
                </span>
                {text}
              </li>
            ))}
          </ul>
        </div>
        <p className="relative text-sm text-zinc-500">Chis webhook delivery</p>
      </aside>

      <main className="flex items-center justify-center px-5 py-12 sm:px-10">
        <div className="w-full max-w-sm">
          <Logo className="mb-10 lg:hidden" />
          <h1 className="text-2xl font-semibold tracking-tight">{title}</h1>
          <p className="mt-2 mb-8 text-sm text-muted-foreground">{subtitle}</p>
          {children}
          {footer && <div className="mt-8 text-sm text-muted-foreground">{footer}</div>}
        </div>
      </main>
    </div>
  );
}
