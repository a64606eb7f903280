import { QueryClient } from "@tanstack/react-query";
import { ApiError } from "@/lib/http";

/** newQueryClient retries only what may succeed on a second try. */
export function newQueryClient(): QueryClient {
  return new QueryClient({
    defaultOptions: {
      queries: {
        staleTime: 5_000,
        retry: (count, err) => {
          if (err instanceof ApiError && err.status >= 400 && err.status < 500) return false;
          if (err instanceof ApiError && err.code === "unexpected_response") return false;
          return count < 2;
        },
      },
      mutations: { retry: false },
    },
  });
}
