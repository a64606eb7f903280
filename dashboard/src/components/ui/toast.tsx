import { useSyncExternalStore } from "react";
import * as ToastPrimitive from "@radix-ui/react-toast";
import { CheckCircle2, X, XCircle } from "lucide-react";
import { cn } from "@/lib/utils";

export interface ToastMessage {
  id: number;
  title: string;
  description?: string;
  tone: "success" | "error";
}

let items: ToastMessage[] = [];
let nextId = 1;
const listeners = new Set<() => void>();

function emit(next: ToastMessage[]) {
  items = next;
  listeners.forEach((l) => l());
}

/** toast shows a short confirmation or error in the corner. */
export const toast = {
  success(title: string, description?: string) {
    emit([...items, { id: nextId++, title, description, tone: "success" }]);
  },
  error(title: string, description?: string) {
    emit([...items, { id: nextId++, title, description, tone: "error" }]);
  },
  dismiss(id: number) {
    emit(items.filter((t) => t.id !== id));
  },
};

function useToasts() {
  return useSyncExternalStore(
    (l) => {
      listeners.add(l);
      return () => listeners.delete(l);
    },
    () => items,
  );
}

export function Toaster() {
  const list = useToasts();

  return (
    <ToastPrimitive.Provider swipeDirection="right" duration={5000}>
      {list.map((t) => {
        const Icon = t.tone === "success" ? CheckCircle2 : XCircle;
        return (
          <ToastPrimitive.Root
            key={t.id}
            type={t.tone === "error" ? "foreground" : "background"}
            onOpenChange={(open) => !open && toast.dismiss(t.id)}
            className="flex items-start gap-3 rounded-lg border bg-popover p-4 shadow-pop
              data-[state=open]:animate-fade-in"
          >
            <Icon
              className={cn("mt-0.5 size-4 shrink-0",
                t.tone === "success" ? "text-success" : "text-danger")}
              aria-hidden
            />
            <div className="min-w-0 flex-1">
              <ToastPrimitive.Title className="text-sm font-medium">{t.title}</ToastPrimitive.Title>
              {t.description && (
                <ToastPrimitive.Description className="mt-0.5 text-sm text-muted-foreground">
                  {t.description}
                </ToastPrimitive.Description>
              )}
            </div>
            <ToastPrimitive.Close
              className="rounded p-0.5 text-muted-foreground hover:text-foreground"
              aria-label="Dismiss"
            >
              <X className="size-4" aria-hidden />
            </ToastPrimitive.Close>
          </ToastPrimitive.Root>
        );
      })}
      <ToastPrimitive.Viewport
        className="fixed right-0 bottom-0 z-[100] flex w-full max-w-sm flex-col gap-2 p-4
          outline-none"
      />
    </ToastPrimitive.Provider>
  );
}
