import { Link } from "react-router";
import { Compass } from "lucide-react";
import { EmptyState } from "@/components/empty-state";
import { Button } from "@/components/ui/button";
import { Card } from "@/components/ui/card";

export function NotFoundPage() {
  return (
    <Card className="mt-10">
      <EmptyState icon={Compass} title="This page doesn't exist"
        action={<Button asChild><Link to="/">Go to the overview</Link></Button>}>
        The link may be old, or mistyped.
      </EmptyState>
    </Card>
  );
}
