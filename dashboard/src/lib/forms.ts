import type { FieldValues, Path, UseFormSetError } from "react-hook-form";
import { sentence } from "./format";
import { ApiError, errorMessage } from "./http";

/**
 * applyServerError puts the API's per-field details on the form's fields and
 * returns the message to show above the form for whatever is left over.
 * aliases name the form field for an API field that is called differently.
 */
export function applyServerError<T extends FieldValues>(
  err: unknown,
  setError: UseFormSetError<T>,
  fields: readonly Path<T>[],
  aliases: Record<string, Path<T>> = {},
): string | null {
  if (!(err instanceof ApiError)) return errorMessage(err);

  let unplaced = 0;
  for (const d of err.details) {
    const field = aliases[d.field] ?? fields.find((f) => f === d.field);
    if (field) setError(field, { type: "server", message: sentence(d.message) });
    else unplaced++;
  }

  if (err.details.length > 0 && unplaced === 0) return null;
  return err.message;
}
