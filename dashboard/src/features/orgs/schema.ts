import { z } from "zod";

export const orgSchema = z.object({
  id: z.string(),
  name: z.string(),
  slug: z.string(),
  role: z.string(),
});
export type Org = z.infer<typeof orgSchema>;

export const orgListSchema = z.array(orgSchema);

export const messageSchema = z.object({ message: z.string() });

export const createOrgForm = z.object({
  name: z.string().trim().min(1, "Give the organisation a name").max(100, "At most 100 characters"),
});
export type CreateOrgForm = z.infer<typeof createOrgForm>;
