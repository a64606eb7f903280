import { Suspense, useEffect, useState } from "react";
import { NavLink, Outlet, useLocation, useNavigate } from "react-router";
import { useQuery, useQueryClient } from "@tanstack/react-query";
import {
  FlaskConical, KeyRound, LayoutDashboard, LogOut, Mail, Menu, ScrollText, Settings, Users,
  type LucideIcon,
} from "lucide-react";
import { Logo } from "@/components/logo";
import { Button } from "@/components/ui/button";
import { Skeleton } from "@/components/ui/skeleton";
import { Dialog, DialogTitle, SheetContent } from "@/components/ui/dialog";
import {
  DropdownMenu, DropdownMenuContent, DropdownMenuItem, DropdownMenuLabel,
  DropdownMenuSeparator, DropdownMenuTrigger,
} from "@/components/ui/dropdown-menu";
import { session } from "@/lib/session";
import { cn } from "@/lib/utils";
import { getMe, meKey } from "@/features/auth/api";
import { invitationKeys, listPendingInvitations } from "@/features/members/api";
import { useOrg } from "@/features/orgs/OrgProvider";
import { OrgSwitcher } from "@/features/orgs/OrgSwitcher";

interface NavItem {
  to: string;
  label: string;
  icon: LucideIcon;
  end?: boolean;
  badge?: number;
}

function NavSection({ title, items, onNavigate }: {
  title?: string;
  items: NavItem[];
  onNavigate?: () => void;
}) {
  return (
    <div className="space-y-0.5">
      {title && (
        <div className="px-2.5 pt-5 pb-1.5 text-[11px] font-semibold tracking-wider
          text-muted-foreground/80 uppercase">
          {title}
        </div>
      )}
      {items.map(({ to, label, icon: Icon, end, badge }) => (
        <NavLink
          key={to}
          to={to}
          end={end}
          onClick={onNavigate}
          className={({ isActive }) => cn(
            "group flex items-center gap-2.5 rounded-md px-2.5 py-1.5 text-sm font-medium " +
              "transition-colors",
            isActive
              ? "bg-card text-foreground shadow-card ring-1 ring-border"
              : "text-muted-foreground hover:bg-muted hover:text-foreground",
          )}
        >
          {({ isActive }) => (
            <>
              <Icon className={cn("size-4", isActive ? "text-primary" : "")} aria-hidden />
              <span className="flex-1">{label}</span>
              {badge ? (
                <span className="rounded-full bg-primary px-1.5 text-[11px] leading-5
                  font-semibold text-white" aria-label={`${badge} pending`}>
                  {badge}
                </span>
              ) : null}
            </>
          )}
        </NavLink>
      ))}
    </div>
  );
}

function UserMenu() {
  const me = useQuery({ queryKey: meKey, queryFn: getMe, staleTime: 5 * 60_000 });
  const queryClient = useQueryClient();
  const navigate = useNavigate();

  const name = me.data ? `${me.data.firstName} ${me.data.lastName}`.trim() : "Your account";
  const initials = me.data
    ? (me.data.firstName[0] ?? "") + (me.data.lastName[0] ?? "") : "";

  const signOut = () => {
    session.end("signed-out");
    queryClient.clear();
    navigate("/login", { replace: true });
  };

  return (
    <DropdownMenu>
      <DropdownMenuTrigger
        className="flex w-full items-center gap-2.5 rounded-lg px-2 py-2 text-left
          transition-colors hover:bg-muted"
        aria-label="Account menu"
      >
        <span className="flex size-8 shrink-0 items-center justify-center rounded-full
          bg-zinc-900 text-xs font-semibold text-white uppercase">
          {initials || "·"}
        </span>
        <span className="min-w-0 flex-1">
          <span className="block truncate text-sm font-medium">{name}</span>
          <span className="block truncate text-xs text-muted-foreground">
            {me.data?.email ?? " "}
          </span>
        </span>
      </DropdownMenuTrigger>
      <DropdownMenuContent side="top" align="start" className="w-60">
        <DropdownMenuLabel className="truncate">{me.data?.email ?? "Signed in"}</DropdownMenuLabel>
        <DropdownMenuSeparator />
        <DropdownMenuItem onSelect={signOut}>
          <LogOut aria-hidden /> Sign out
        </DropdownMenuItem>
      </DropdownMenuContent>
    </DropdownMenu>
  );
}

function SidebarBody({ onNavigate }: { onNavigate?: () => void }) {
  const { isAdmin } = useOrg();
  const pending = useQuery({
    queryKey: invitationKeys.pending,
    queryFn: listPendingInvitations,
    staleTime: 60_000,
  });
  const pendingCount = pending.data?.length ?? 0;

  const main: NavItem[] = [
    { to: "/", label: "Overview", icon: LayoutDashboard, end: true },
    { to: "/logs", label: "Webhook log", icon: ScrollText },
    { to: "/playground", label: "Playground", icon: FlaskConical },
  ];
  const admin: NavItem[] = [
    { to: "/keys", label: "API keys", icon: KeyRound },
    { to: "/members", label: "Members", icon: Users },
    { to: "/settings", label: "Settings", icon: Settings },
  ];
  const account: NavItem[] = [
    { to: "/invitations", label: "Invitations", icon: Mail, badge: pendingCount },
  ];

  return (
    <div className="flex h-full flex-col">
      <div className="px-4 pt-5 pb-4">
        <Logo />
      </div>
      <div className="px-3">
        <OrgSwitcher />
      </div>
      <nav aria-label="Main" className="flex-1 overflow-y-auto px-3 pt-4">
        <NavSection items={main} onNavigate={onNavigate} />
        <NavSection title={isAdmin ? "Manage" : "Organisation"} items={admin}
          onNavigate={onNavigate} />
        <NavSection title="Account" items={account} onNavigate={onNavigate} />
      </nav>
      <div className="border-t p-3">
        <UserMenu />
      </div>
    </div>
  );
}

function PageLoading() {
  return (
    <div aria-busy="true" aria-label="Loading">
      <Skeleton className="mb-3 h-8 w-48" />
      <Skeleton className="mb-8 h-4 w-72" />
      <Skeleton className="h-64" />
    </div>
  );
}

/** AppShell is the signed-in frame: sidebar, phone menu, and the page. */
export function AppShell() {
  const [menuOpen, setMenuOpen] = useState(false);
  const location = useLocation();

  useEffect(() => setMenuOpen(false), [location.pathname]);

  return (
    <div className="min-h-dvh lg:flex">
      <a href="#main" className="sr-only z-50 rounded-md bg-card px-3 py-2 shadow-pop
        focus:not-sr-only focus:fixed focus:top-3 focus:left-3">
        Skip to content
      </a>

      <aside className="hidden w-64 shrink-0 border-r bg-sidebar lg:block">
        <div className="sticky top-0 h-dvh">
          <SidebarBody />
        </div>
      </aside>

      <header className="sticky top-0 z-30 flex h-14 items-center gap-3 border-b
        bg-card/90 px-4 backdrop-blur lg:hidden">
        <Button variant="ghost" size="icon" aria-label="Open menu"
          onClick={() => setMenuOpen(true)}>
          <Menu aria-hidden />
        </Button>
        <Logo />
      </header>

      <Dialog open={menuOpen} onOpenChange={setMenuOpen}>
        <SheetContent aria-describedby={undefined}>
          <DialogTitle className="sr-only">Menu</DialogTitle>
          <SidebarBody onNavigate={() => setMenuOpen(false)} />
        </SheetContent>
      </Dialog>

      <main id="main" className="min-w-0 flex-1">
        <div className="mx-auto w-full max-w-6xl px-4 py-6 sm:px-6 sm:py-8 lg:px-10">
          <Suspense fallback={<PageLoading />}>
            <Outlet />
          </Suspense>
        </div>
      </main>
    </div>
  );
}
