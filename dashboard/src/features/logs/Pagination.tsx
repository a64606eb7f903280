import { ChevronLeft, ChevronRight } from "lucide-react";
import { Button } from "@/components/ui/button";
import { NativeSelect } from "@/components/ui/native-select";
import { formatCount } from "@/lib/format";
import { PAGE_SIZES } from "./filters";

export function Pagination({ page, limit, total, totalPages, onPage, onLimit }: {
  page: number;
  limit: number;
  total: number;
  totalPages: number;
  onPage: (page: number) => void;
  onLimit: (limit: number) => void;
}) {
  const first = total === 0 ? 0 : (page - 1) * limit + 1;
  const last = Math.min(page * limit, total);

  return (
    <nav aria-label="Pages"
      className="flex flex-col gap-3 border-t px-4 py-3 text-sm sm:flex-row sm:items-center">
      <p className="text-muted-foreground" aria-live="polite">
        {total === 0 ? "No results" :
          <>Showing <span className="font-medium text-foreground">{formatCount(first)}–
            {formatCount(last)}</span> of <span className="font-medium text-foreground">
            {formatCount(total)}</span></>}
      </p>
      <div className="flex items-center gap-2 sm:ml-auto">
        <label htmlFor="page-size" className="text-muted-foreground">Rows</label>
        <NativeSelect id="page-size" value={limit} className="h-8 w-20"
          onChange={(e) => onLimit(Number(e.target.value))}>
          {PAGE_SIZES.map((n) => <option key={n} value={n}>{n}</option>)}
        </NativeSelect>
        <span className="px-2 whitespace-nowrap text-muted-foreground">
          Page {formatCount(page)} of {formatCount(Math.max(totalPages, 1))}
        </span>
        <Button variant="secondary" size="icon-sm" aria-label="Previous page"
          disabled={page <= 1} onClick={() => onPage(page - 1)}>
          <ChevronLeft aria-hidden />
        </Button>
        <Button variant="secondary" size="icon-sm" aria-label="Next page"
          disabled={page >= totalPages} onClick={() => onPage(page + 1)}>
          <ChevronRight aria-hidden />
        </Button>
      </div>
    </nav>
  );
}
