import { z } from "zod";

export const secretSchema = z.object({ signingSecret: z.string().min(1) });

/** deleteOrgForm wants the organisation's name typed exactly. */
export function deleteOrgForm(orgName: string) {
  return z.object({
    name: z.string().refine((v) => v === orgName, {
      message: "Type the organisation's name exactly as shown",
    }),
  });
}
export type DeleteOrgForm = { name: string };
