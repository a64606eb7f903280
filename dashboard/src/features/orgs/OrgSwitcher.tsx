import { useState } from "react";
import { useNavigate } from "react-router";
import { Check, ChevronsUpDown, Plus } from "lucide-react";
import {
  Dialog, DialogContent, DialogDescription, DialogHeader, DialogTitle,
} from "@/components/ui/dialog";
import {
  DropdownMenu, DropdownMenuContent, DropdownMenuItem, DropdownMenuLabel,
  DropdownMenuSeparator, DropdownMenuTrigger,
} from "@/components/ui/dropdown-menu";
import { toast } from "@/components/ui/toast";
import { CreateOrgForm } from "./CreateOrgForm";
import { useOrg } from "./OrgProvider";

function initials(name: string): string {
  const words = name.replace(/'s\b/, "").split(/\s+/).filter(Boolean);
  return (words[0]?.[0] ?? "?").toUpperCase() + (words[1]?.[0] ?? "").toUpperCase();
}

export function OrgAvatar({ name }: { name: string }) {
  return (
    <span className="flex size-7 shrink-0 items-center justify-center rounded-md
      bg-gradient-to-br from-indigo-500 to-violet-600 text-[11px] font-semibold text-white">
      {initials(name)}
    </span>
  );
}

/** OrgSwitcher shows the selected organisation and switches to another. */
export function OrgSwitcher() {
  const { orgs, current, select } = useOrg();
  const navigate = useNavigate();
  const [creating, setCreating] = useState(false);

  return (
    <>
      <DropdownMenu>
        <DropdownMenuTrigger
          className="flex w-full items-center gap-2.5 rounded-lg border bg-card px-2 py-1.5
            text-left shadow-card transition-colors hover:bg-muted"
          aria-label={`Organisation: ${current.name}. Switch organisation`}
        >
          <OrgAvatar name={current.name} />
          <span className="min-w-0 flex-1">
            <span className="block truncate text-sm font-medium">{current.name}</span>
            <span className="block text-xs text-muted-foreground capitalize">{current.role}</span>
          </span>
          <ChevronsUpDown className="size-4 shrink-0 text-muted-foreground" aria-hidden />
        </DropdownMenuTrigger>
        <DropdownMenuContent align="start" className="w-64">
          <DropdownMenuLabel>Organisations</DropdownMenuLabel>
          {orgs.map((o) => (
            <DropdownMenuItem
              key={o.id}
              onSelect={() => {
                if (o.id === current.id) return;
                select(o.id);
                navigate("/");
              }}
            >
              <OrgAvatar name={o.name} />
              <span className="min-w-0 flex-1 truncate">{o.name}</span>
              {o.id === current.id && <Check className="!text-primary" aria-label="selected" />}
            </DropdownMenuItem>
          ))}
          <DropdownMenuSeparator />
          <DropdownMenuItem onSelect={() => setCreating(true)}>
            <Plus aria-hidden /> Create organisation
          </DropdownMenuItem>
        </DropdownMenuContent>
      </DropdownMenu>

      <Dialog open={creating} onOpenChange={setCreating}>
        <DialogContent>
          <DialogHeader>
            <DialogTitle>Create organisation</DialogTitle>
            <DialogDescription>
              A separate workspace with its own API keys, signing secret and webhook log.
            </DialogDescription>
          </DialogHeader>
          <CreateOrgForm
            onCancel={() => setCreating(false)}
            onCreated={(org) => {
              setCreating(false);
              toast.success("Organisation created", `You're now in ${org.name}.`);
              navigate("/");
            }}
          />
        </DialogContent>
      </Dialog>
    </>
  );
}
