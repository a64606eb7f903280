import { useState } from "react";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { Eye, EyeOff, RefreshCcw } from "lucide-react";
import { CodeBlock } from "@/components/code-block";
import { CopyButton } from "@/components/copy-button";
import {
  AlertDialog, AlertDialogAction, AlertDialogCancel, AlertDialogContent,
  AlertDialogDescription, AlertDialogFooter, AlertDialogHeader, AlertDialogTitle,
  AlertDialogTrigger,
} from "@/components/ui/alert-dialog";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import {
  Card, CardContent, CardDescription, CardFooter, CardHeader, CardTitle,
} from "@/components/ui/card";
import { toast } from "@/components/ui/toast";
import { errorMessage } from "@/lib/http";
import { getSigningSecret, rotateSigningSecret, secretKeys } from "./api";

const MASK = "whsec_" + "•".repeat(32);

const verifySnippet = `// Node.js: check a Chis delivery before trusting it.
import { createHmac, timingSafeEqual } from "node:crypto";

function verify(secret, headers, rawBody) {
  const id = headers["x-webhook-id"];
  const timestamp = headers["x-webhook-timestamp"];
  if (Math.abs(Date.now() / 1000 - Number(timestamp)) > 300) return false;

  const expected = "v1," + createHmac("sha256", secret)
    .update(\`\${id}.\${timestamp}.\${rawBody}\`)
    .digest("base64");
  const given = headers["x-webhook-signature"] ?? "";
  return given.length === expected.length &&
    timingSafeEqual(Buffer.from(given), Buffer.from(expected));
}`;

/** SigningSecretCard reveals, copies and rotates the organisation's secret. */
export function SigningSecretCard({ orgId }: { orgId: string }) {
  const [revealed, setRevealed] = useState(false);
  const queryClient = useQueryClient();

  const secret = useQuery({
    queryKey: secretKeys.secret(orgId),
    queryFn: () => getSigningSecret(orgId),
    enabled: revealed,
    staleTime: Infinity,
  });

  const rotate = useMutation({
    mutationFn: () => rotateSigningSecret(orgId),
    onSuccess: (data) => {
      queryClient.setQueryData(secretKeys.secret(orgId), data);
      setRevealed(true);
      toast.success("Signing secret rotated",
        "New deliveries are signed with the new secret from now on.");
    },
    onError: (err) => toast.error("Couldn't rotate the secret", errorMessage(err)),
  });

  const value = revealed && secret.data ? secret.data.signingSecret : MASK;

  return (
    <Card>
      <CardHeader>
        <CardTitle>Signing secret</CardTitle>
        <CardDescription>
          Every delivery carries an X-Webhook-Signature made with this secret, so receivers
          can tell it came from you.
        </CardDescription>
      </CardHeader>
      <CardContent className="grid gap-4">
        <div className="flex flex-col gap-2 sm:flex-row">
          <div className="flex h-9 min-w-0 flex-1 items-center rounded-md border bg-subtle px-3
            font-mono text-[13px]" data-testid="signing-secret" aria-label="Signing secret"
            aria-busy={secret.isFetching || undefined}>
            <span className="truncate">
              {secret.isFetching && !secret.data ? "Loading…" : value}
            </span>
          </div>
          <div className="flex gap-2">
            <Button variant="secondary" onClick={() => setRevealed(!revealed)}
              aria-pressed={revealed}>
              {revealed ? <EyeOff aria-hidden /> : <Eye aria-hidden />}
              {revealed ? "Hide" : "Reveal"}
            </Button>
            {revealed && secret.data && (
              <CopyButton value={secret.data.signingSecret} label="Copy" />
            )}
          </div>
        </div>
        {secret.isError && <Alert tone="danger">{errorMessage(secret.error)}</Alert>}
        <details className="rounded-md border px-3 py-2 text-sm">
          <summary className="cursor-pointer font-medium text-muted-foreground">
            How receivers verify a signature
          </summary>
          <p className="mt-2 mb-3 text-muted-foreground">
            The signature is HMAC-SHA256 over <code className="font-mono text-xs">
            {"{id}.{timestamp}.{body}"}</code>, keyed with the whole secret string, in base64
            after <code className="font-mono text-xs">v1,</code>.
          </p>
          <CodeBlock code={verifySnippet} label="verification example" />
        </details>
      </CardContent>
      <CardFooter>
        <p className="flex-1 text-sm text-muted-foreground">
          Rotate if the secret may have leaked. Receivers must switch to the new one.
        </p>
        <AlertDialog>
          <AlertDialogTrigger asChild>
            <Button variant="secondary" loading={rotate.isPending}>
              {!rotate.isPending && <RefreshCcw aria-hidden />} Rotate secret
            </Button>
          </AlertDialogTrigger>
          <AlertDialogContent>
            <AlertDialogHeader>
              <AlertDialogTitle>Rotate the signing secret?</AlertDialogTitle>
              <AlertDialogDescription>
                From now on every delivery, retries included, is signed with a new secret.
                Receivers still checking against the old one will reject them until you update
                them.
              </AlertDialogDescription>
            </AlertDialogHeader>
            <AlertDialogFooter>
              <AlertDialogCancel>Cancel</AlertDialogCancel>
              <AlertDialogAction onClick={() => rotate.mutate()}>Rotate secret</AlertDialogAction>
            </AlertDialogFooter>
          </AlertDialogContent>
        </AlertDialog>
      </CardFooter>
    </Card>
  );
}
