// End-to-end walk through the dashboard in a real browser (Debian's
// Chromium, driven by playwright-core; no browser is ever downloaded).
//
// It plays a new tenant: registers, creates an API key and reads it from the
// shown-once dialog, sends a webhook from the playground to a receiver that
// answers 200 and watches it succeed, finds it in the log and opens its
// attempts, sends one to a receiver that always answers 500 and waits until
// it has failed, retries it with "Retry now", rotates the signing secret,
// invites a member who then signs up through the invitation link and joins,
// and saves a screenshot of every page on the way.
//
// Environment:
//   BASE_URL        the API origin that also serves the built dashboard
//   RECEIVER_URL    a receiver that answers 200
//   FAILING_URL     a receiver that always answers 500
//   SCREENSHOT_DIR  where the PNGs go (default: a new temporary folder)
//   CHROMIUM_PATH   the browser (default /usr/bin/chromium)
//   FAIL_WITHIN_MS  how long the failing webhook may take to fail (default 60000)
//
// Exits 0 when every step passed, 1 otherwise (with failure.png saved).
import { mkdtempSync, mkdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { chromium } from "playwright-core";

const env = (name, fallback) => {
  const v = process.env[name] ?? fallback;
  if (v === undefined || v === "") {
    console.error(`flow: ${name} must be set`);
    process.exit(2);
  }
  return v;
};

const base = env("BASE_URL").replace(/\/$/, "");
const receiverURL = env("RECEIVER_URL");
const failingURL = env("FAILING_URL");
const shots = env("SCREENSHOT_DIR", mkdtempSync(join(tmpdir(), "chis-shots-")));
const chromiumPath = env("CHROMIUM_PATH", "/usr/bin/chromium");
const failWithin = Number(env("FAIL_WITHIN_MS", "60000"));

mkdirSync(shots, { recursive: true });

// Playwright adds --headless and --user-data-dir (the fresh profile below)
// itself; the rest keeps Chromium from reaching out to the network.
const flags = [
  "--no-sandbox", "--disable-gpu", "--disable-background-networking",
  "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic",
];

const profile = mkdtempSync(join(tmpdir(), "chis-chromium-"));
const context = await chromium.launchPersistentContext(profile, {
  executablePath: chromiumPath,
  headless: true,
  args: flags,
  viewport: { width: 1440, height: 900 },
  deviceScaleFactor: 1,
  baseURL: base,
  locale: "en-GB",
  timezoneId: "UTC",
});
context.setDefaultTimeout(30_000);

const page = context.pages()[0] ?? (await context.newPage());
const problems = [];
page.on("pageerror", (err) => problems.push(`page error: ${err.message}`));
page.on("response", (res) => {
  if (res.status() >= 500 && new URL(res.url()).origin === base) {
    problems.push(`${res.status()} from ${res.request().method()} ${new URL(res.url()).pathname}`);
  }
});

let shotCount = 0;
async function shot(name) {
  shotCount++;
  const file = join(shots, `${String(shotCount).padStart(2, "0")}-${name}.png`);
  await page.waitForLoadState("networkidle").catch(() => {});
  await page.waitForTimeout(250); // let entrance animations settle
  await page.screenshot({ path: file, fullPage: true });
  console.log(`flow: screenshot ${file}`);
}

function step(text) {
  console.log(`flow: ${text}`);
}

async function nav(name) {
  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name }).click();
}

/** waitFor polls check until it returns true, reloading nothing itself. */
async function waitFor(what, check, within) {
  const deadline = Date.now() + within;
  while (Date.now() < deadline) {
    if (await check()) return;
    await page.waitForTimeout(300);
  }
  throw new Error(`timed out after ${within} ms waiting for ${what}`);
}

const email = `e2e-${Date.now().toString(36)}@example.com`;
const password = "correct-horse-9";

async function register() {
  step(`register ${email}`);
  await page.goto("/register");
  await page.getByLabel("First name").fill("Ada");
  await page.getByLabel(/Last name/).fill("Lovelace");
  await page.getByLabel("Work e-mail").fill(email);
  await page.getByLabel("Password").fill(password);
  await shot("register");
  await page.getByRole("button", { name: "Create account" }).click();
  await page.getByRole("heading", { name: "Overview" }).waitFor();
  await page.getByText("Get started").waitFor();
  await shot("overview-new");
}

async function createKey() {
  step("create an API key");
  await nav("API keys");
  await page.getByText("No API keys yet").waitFor();
  await shot("keys-empty");
  await page.getByRole("button", { name: "Create API key" }).click();
  const dialog = page.getByRole("dialog");
  await dialog.getByLabel(/Name/).fill("E2E backend");
  await dialog.getByRole("button", { name: "Create key" }).click();
  const key = await dialog.getByTestId("new-api-key").inputValue();
  if (!key || key.length < 20) throw new Error(`the shown key looks wrong: "${key}"`);
  await shot("key-created");
  await dialog.getByRole("button", { name: "I've copied it" }).click();
  await page.getByRole("cell", { name: "E2E backend", exact: true }).waitFor();
  await shot("keys");
  return key;
}

async function sendFromPlayground(key, url, eventType) {
  await nav("Playground");
  await page.getByLabel("API key").fill(key);
  await page.getByLabel("Receiver URL").fill(url);
  await page.getByLabel(/Event type/).fill(eventType);
  await page.getByRole("button", { name: "Send webhook" }).click();
  const seen = page.getByTestId("states-seen");
  await seen.waitFor();
  return seen;
}

async function deliverOne(key) {
  step("send a webhook that is delivered");
  await nav("Playground");
  await page.getByText("Nothing sent yet").waitFor();
  await shot("playground");
  const seen = await sendFromPlayground(key, receiverURL, "order.created");
  await waitFor("the webhook to be delivered",
    async () => (await seen.textContent()).includes("Delivered"), 20_000);
  await page.getByText("Attempt 1").waitFor();
  await shot("playground-delivered");

  step("find it in the log and open its attempts");
  await nav("Webhook log");
  const row = page.getByRole("row").filter({ hasText: receiverURL });
  await row.first().waitFor();
  await row.first().getByText("Delivered").waitFor();
  await shot("log");
  await row.first().getByRole("link").click();
  const attempts = page.getByRole("list", { name: "Delivery attempts" });
  await attempts.getByText("Attempt 1").waitFor();
  await attempts.getByText("200").first().waitFor();
  const body = attempts.getByRole("button", { name: /Show response body/ });
  if (await body.count()) await body.first().click();
  await shot("log-detail-delivered");
}

async function failAndRetry(key) {
  step(`send a webhook that fails (up to ${failWithin} ms)`);
  const seen = await sendFromPlayground(key, failingURL, "invoice.paid");
  await waitFor("the webhook to fail",
    async () => (await seen.textContent()).includes("Failed"), failWithin);
  await shot("playground-failed");

  await page.getByRole("link", { name: /Open in log/ }).click();
  await page.getByRole("button", { name: "Retry now" }).waitFor();
  const attempts = page.getByTestId("attempt");
  const before = await attempts.count();
  if (before < 2) throw new Error(`a failed webhook shows ${before} attempts`);
  await shot("log-detail-failed");

  step(`retry it now (after ${before} attempts)`);
  await page.getByRole("button", { name: "Retry now" }).click();
  await page.getByText("Retry queued", { exact: true }).waitFor();
  await waitFor("a new attempt after the retry", async () => (await attempts.count()) > before,
    20_000);
  await page.getByText(`Attempt ${before + 1}`, { exact: true }).waitFor();
  await shot("log-detail-retried");

  await page.goto("/logs?status=failed");
  await page.getByRole("row").filter({ hasText: failingURL }).first().waitFor();
  await shot("log-filtered-failed");
}

async function overview() {
  step("overview with data");
  await nav("Overview");
  await page.getByLabel("Time window").selectOption("1h");
  await page.waitForURL(/window=1h/);
  await page.locator(".recharts-surface").first().waitFor();
  await page.getByText("Recent failures").waitFor();
  await shot("overview");
}

async function rotateSecret() {
  step("reveal and rotate the signing secret");
  await nav("Settings");
  const box = page.getByTestId("signing-secret");
  await page.getByRole("button", { name: "Reveal" }).click();
  await waitFor("the secret", async () => /whsec_[A-Za-z0-9+/=]{20,}/
    .test(await box.textContent()), 10_000);
  const before = (await box.textContent()).trim();
  await page.getByRole("button", { name: "Rotate secret" }).click();
  await page.getByRole("alertdialog").getByRole("button", { name: "Rotate secret" }).click();
  await page.getByText("Signing secret rotated", { exact: true }).waitFor();
  await waitFor("a new secret", async () => {
    const now = (await box.textContent()).trim();
    return now !== before && now.startsWith("whsec_");
  }, 10_000);
  await shot("settings-rotated");
  await page.getByRole("button", { name: "Dismiss" }).first().click().catch(() => {});
}

async function members() {
  step("invite a member");
  await nav("Members");
  await page.getByText("No open invitations").waitFor();
  await page.getByRole("button", { name: "Invite member" }).click();
  const dialog = page.getByRole("dialog");
  const invitee = `teammate-${Date.now().toString(36)}@example.com`;
  await dialog.getByLabel("E-mail").fill(invitee);
  await dialog.getByRole("button", { name: "Send invitation" }).click();
  const link = await dialog.getByLabel("Invitation link").inputValue();
  if (!link.includes("/invitations/accept?token=")) {
    throw new Error(`unexpected invitation link ${link}`);
  }
  await shot("members-invited");
  await dialog.getByRole("button", { name: "Done" }).click();
  await page.getByRole("button", { name: /Cancel invitation for/ }).waitFor();
  await shot("members");

  await nav("Invitations");
  await page.getByText("No invitations for you").waitFor();
  await shot("invitations");
  return { invitee, link };
}

async function signOut() {
  await page.getByRole("button", { name: "Account menu" }).click();
  await page.getByRole("menuitem", { name: /Sign out/ }).click();
  await page.getByRole("heading", { name: "Sign in to Chis" }).waitFor();
}

async function acceptInvitation({ invitee, link }) {
  step(`accept the invitation as ${invitee}`);
  await page.goto("/");
  await signOut();

  // The link's path, on this origin: the API may know itself by another name.
  const target = new URL(link);
  await page.goto(target.pathname + target.search);
  await page.getByRole("heading", { name: "Sign in to Chis" }).waitFor();
  await page.getByRole("link", { name: "Create an account" }).click();
  await page.getByLabel("First name").fill("Grace");
  await page.getByLabel("Work e-mail").fill(invitee);
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: "Create account" }).click();

  await page.getByText(/You've joined/).waitFor();
  await shot("invitation-accepted");
  await page.getByRole("button", { name: /^Open / }).click();
  await page.getByRole("heading", { name: "Overview" }).waitFor();
  await page.getByRole("button", { name: /Organisation: Ada's/ }).waitFor();
  await nav("API keys");
  await page.getByText("Admins only").waitFor();
  await shot("member-keys");
  await signOut();
}

async function narrowScreen() {
  step("narrow screen");
  await page.setViewportSize({ width: 390, height: 844 });
  await page.goto("/logs");
  await page.getByRole("list", { name: "Webhooks" }).getByRole("link").first().waitFor();
  await shot("mobile-log");
  await page.getByRole("button", { name: "Open menu" }).click();
  await page.getByRole("dialog").getByRole("link", { name: "Overview" }).waitFor();
  await shot("mobile-menu");
  await page.keyboard.press("Escape");
  await page.setViewportSize({ width: 1440, height: 900 });
}

async function signIn() {
  step("sign in again as the first user");
  await page.goto("/login");
  await page.getByRole("heading", { name: "Sign in to Chis" }).waitFor();
  await shot("login");
  await page.getByLabel("E-mail").fill(email);
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.getByRole("heading", { name: "Overview" }).waitFor();
}

let failed = false;
try {
  await register();
  const key = await createKey();
  await deliverOne(key);
  await failAndRetry(key);
  await overview();
  await rotateSecret();
  const invitation = await members();
  await narrowScreen();
  await acceptInvitation(invitation);
  await signIn();
  if (problems.length > 0) throw new Error(`the browser saw problems:\n  ${problems.join("\n  ")}`);
  console.log(`flow: ok, ${shotCount} screenshots in ${shots}`);
} catch (err) {
  failed = true;
  console.error(`flow: FAILED at ${page.url()}: ${err instanceof Error ? err.stack : err}`);
  for (const p of problems) console.error(`flow: ${p}`);
  await page.screenshot({ path: join(shots, "failure.png"), fullPage: true }).catch(() => {});
} finally {
  await context.close();
  rmSync(profile, { recursive: true, force: true });
}

process.exit(failed ? 1 : 0);
