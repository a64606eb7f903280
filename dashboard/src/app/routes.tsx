import { lazy, Suspense, type ComponentType, type ReactNode } from "react";
import { Route, Routes } from "react-router";
import { GuestOnly, RequireAuth } from "@/features/auth/RequireAuth";
import { OrgProvider } from "@/features/orgs/OrgProvider";
import { AppShell } from "./AppShell";
import { NotFoundPage } from "./NotFoundPage";

/** page loads a page's code the first time it is visited. */
function page<K extends string>(load: () => Promise<Record<K, ComponentType>>, name: K) {
  return lazy(() => load().then((m) => ({ default: m[name] })));
}

const LoginPage = page(() => import("@/features/auth/LoginPage"), "LoginPage");
const RegisterPage = page(() => import("@/features/auth/RegisterPage"), "RegisterPage");
const OverviewPage = page(() => import("@/features/overview/OverviewPage"), "OverviewPage");
const LogsPage = page(() => import("@/features/logs/LogsPage"), "LogsPage");
const LogDetailPage = page(() => import("@/features/logs/LogDetailPage"), "LogDetailPage");
const PlaygroundPage = page(() => import("@/features/playground/PlaygroundPage"),
  "PlaygroundPage");
const KeysPage = page(() => import("@/features/keys/KeysPage"), "KeysPage");
const MembersPage = page(() => import("@/features/members/MembersPage"), "MembersPage");
const InvitationsPage = page(() => import("@/features/members/InvitationsPage"),
  "InvitationsPage");
const AcceptInvitationPage = page(() => import("@/features/members/AcceptInvitationPage"),
  "AcceptInvitationPage");
const SettingsPage = page(() => import("@/features/settings/SettingsPage"), "SettingsPage");

function Loading({ children }: { children: ReactNode }) {
  return <Suspense fallback={<div className="min-h-dvh" aria-busy="true" />}>{children}</Suspense>;
}

/**
 * AppRoutes maps the dashboard's paths. None starts with an API prefix
 * (/api, /auth, /webhook, /health, /ready, /metrics): the API serves this
 * app for every other GET path.
 */
export function AppRoutes() {
  return (
    <Routes>
      <Route path="/login" element={<GuestOnly><Loading><LoginPage /></Loading></GuestOnly>} />
      <Route path="/register"
        element={<GuestOnly><Loading><RegisterPage /></Loading></GuestOnly>} />
      <Route path="/invitations/accept"
        element={<RequireAuth><Loading><AcceptInvitationPage /></Loading></RequireAuth>} />
      <Route element={<RequireAuth><OrgProvider><AppShell /></OrgProvider></RequireAuth>}>
        <Route index element={<OverviewPage />} />
        <Route path="logs" element={<LogsPage />} />
        <Route path="logs/:id" element={<LogDetailPage />} />
        <Route path="playground" element={<PlaygroundPage />} />
        <Route path="keys" element={<KeysPage />} />
        <Route path="members" element={<MembersPage />} />
        <Route path="invitations" element={<InvitationsPage />} />
        <Route path="settings" element={<SettingsPage />} />
        <Route path="*" element={<NotFoundPage />} />
      </Route>
    </Routes>
  );
}
