import type { ReactElement } from "react";
import { render } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { MemoryRouter, Route, Routes, useLocation } from "react-router";
import { QueryClient } from "@tanstack/react-query";
import { Providers } from "@/app/Providers";
import { session } from "@/lib/session";
import { OrgProvider } from "@/features/orgs/OrgProvider";

function Where() {
  const l = useLocation();
  return <div data-testid="location">{l.pathname + l.search}</div>;
}

export interface RenderOptions {
  /** The URL the page opens at. */
  at?: string;
  /** The route pattern the page is mounted on. */
  path?: string;
  /** Sign in first (the default) and select an organisation. */
  signedIn?: boolean;
  /** Mount inside OrgProvider, as pages in the shell are. */
  withOrg?: boolean;
}

/** renderPage mounts a page as the app would, with a test query client. */
export function renderPage(ui: ReactElement, opts: RenderOptions = {}) {
  const { at = "/", path = "/", signedIn = true, withOrg = true } = opts;
  if (signedIn) {
    session.signIn("test-token", new Date(Date.now() + 3_600_000).toISOString());
    session.selectOrg("org-1");
  }

  const client = new QueryClient({
    defaultOptions: { queries: { retry: false, staleTime: 0 }, mutations: { retry: false } },
  });
  const page = withOrg ? <OrgProvider>{ui}</OrgProvider> : ui;

  const result = render(
    <Providers client={client}>
      <MemoryRouter initialEntries={[at]}>
        <Routes>
          <Route path={path} element={page} />
          <Route path="*" element={<div>elsewhere</div>} />
        </Routes>
        <Where />
      </MemoryRouter>
    </Providers>,
  );

  return { ...result, user: userEvent.setup(), client };
}

/** location reads the router's current path and query in a rendered page. */
export function location(container: { getByTestId: (id: string) => HTMLElement }): string {
  return container.getByTestId("location").textContent ?? "";
}
