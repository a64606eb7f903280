import { useEffect, useState } from "react";
import { Check, Copy } from "lucide-react";
import { Button, type ButtonProps } from "./ui/button";

/** copyText writes to the clipboard, falling back for non-secure origins. */
export async function copyText(text: string): Promise<void> {
  if (navigator.clipboard && window.isSecureContext) {
    await navigator.clipboard.writeText(text);
    return;
  }

  const area = document.createElement("textarea");
  area.value = text;
  area.setAttribute("readonly", "");
  area.style.position = "fixed";
  area.style.opacity = "0";
  document.body.appendChild(area);
  area.select();
  document.execCommand("copy");
  area.remove();
}

export function CopyButton({ value, label = "Copy", iconOnly = false, ...props }: {
  value: string;
  label?: string;
  iconOnly?: boolean;
} & Omit<ButtonProps, "value" | "onClick">) {
  const [copied, setCopied] = useState(false);

  useEffect(() => {
    if (!copied) return;
    const t = setTimeout(() => setCopied(false), 1800);
    return () => clearTimeout(t);
  }, [copied]);

  const Icon = copied ? Check : Copy;
  const text = copied ? "Copied" : label;

  return (
    <Button
      type="button"
      variant="secondary"
      size={iconOnly ? "icon-sm" : "sm"}
      aria-label={iconOnly ? text : undefined}
      onClick={() => {
        void copyText(value).then(() => setCopied(true));
      }}
      {...props}
    >
      <Icon aria-hidden className={copied ? "text-success" : undefined} />
      {!iconOnly && text}
    </Button>
  );
}
