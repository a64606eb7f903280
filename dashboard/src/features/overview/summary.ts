import type { Point } from "./schema";

/** summarise totals the window for the cards' headline and for screen readers. */
export function summarise(points: Point[]) {
  let success = 0;
  let failed = 0;
  let retried = 0;
  let p95: number | null = null;

  for (const p of points) {
    success += p.success;
    failed += p.failed;
    retried += p.retried;
    if (p.p95Ms !== null) p95 = Math.max(p95 ?? 0, p.p95Ms);
  }

  return { success, failed, retried, total: success + failed + retried, worstP95: p95 };
}
