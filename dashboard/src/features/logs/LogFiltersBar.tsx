import { useEffect, useState } from "react";
import { Search, X } from "lucide-react";
import { Button } from "@/components/ui/button";
import { Input } from "@/components/ui/input";
import { Label } from "@/components/ui/label";
import { NativeSelect } from "@/components/ui/native-select";
import { RANGES, hasFilters, type LogFilters } from "./filters";
import { STATES } from "./schema";
import { stateLabel } from "./StatusBadge";

/** LogFiltersBar edits the log's filters; the search waits for a pause in typing. */
export function LogFiltersBar({ filters, update, clear }: {
  filters: LogFilters;
  update: (patch: Partial<LogFilters>) => void;
  clear: () => void;
}) {
  const [search, setSearch] = useState(filters.search);

  useEffect(() => setSearch(filters.search), [filters.search]);

  useEffect(() => {
    if (search === filters.search) return;
    const t = setTimeout(() => update({ search }), 300);
    return () => clearTimeout(t);
  }, [search, filters.search, update]);

  return (
    <div className="flex flex-col gap-3 border-b p-4 md:flex-row md:flex-wrap md:items-end">
      <div className="relative min-w-0 flex-1 md:min-w-64">
        <Label htmlFor="log-search" className="sr-only">Search by URL</Label>
        <Search className="pointer-events-none absolute top-1/2 left-3 size-4 -translate-y-1/2
          text-muted-foreground" aria-hidden />
        <Input
          id="log-search"
          type="search"
          placeholder="Search by endpoint URL"
          className="pl-9"
          value={search}
          onChange={(e) => setSearch(e.target.value)}
          onKeyDown={(e) => {
            if (e.key === "Enter") update({ search });
          }}
        />
      </div>

      <div className="grid grid-cols-2 gap-3 md:flex">
        <div>
          <Label htmlFor="log-status" className="sr-only">State</Label>
          <NativeSelect id="log-status" value={filters.status} className="md:w-40"
            onChange={(e) => update({ status: e.target.value })}>
            <option value="">All states</option>
            {STATES.map((s) => <option key={s} value={s}>{stateLabel(s)}</option>)}
          </NativeSelect>
        </div>
        <div>
          <Label htmlFor="log-range" className="sr-only">Time range</Label>
          <NativeSelect id="log-range" value={filters.range} className="md:w-40"
            onChange={(e) => update({ range: e.target.value })}>
            {RANGES.map((r) => <option key={r.value} value={r.value}>{r.label}</option>)}
          </NativeSelect>
        </div>
      </div>

      {filters.range === "custom" && (
        <div className="grid grid-cols-1 gap-3 sm:grid-cols-2 md:flex">
          <div className="grid gap-1.5">
            <Label htmlFor="log-from" className="text-xs text-muted-foreground">From</Label>
            <Input id="log-from" type="datetime-local" value={filters.from}
              onChange={(e) => update({ from: e.target.value })} />
          </div>
          <div className="grid gap-1.5">
            <Label htmlFor="log-to" className="text-xs text-muted-foreground">To</Label>
            <Input id="log-to" type="datetime-local" value={filters.to}
              onChange={(e) => update({ to: e.target.value })} />
          </div>
        </div>
      )}

      {hasFilters(filters) && (
        <Button variant="ghost" onClick={clear} className="self-start md:self-auto">
          <X aria-hidden /> Clear
        </Button>
      )}
    </div>
  );
}
