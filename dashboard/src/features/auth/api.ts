/** Accounts: sign-up, sign-in and the signed-in user. */
import { request } from "@/lib/http";
import {
  registeredSchema, tokenSchema, userSchema, type LoginForm, type RegisterForm,
} from "./schema";

export function login(body: LoginForm) {
  return request("POST", "/auth/login", { schema: tokenSchema, body, auth: false });
}

export function register(body: RegisterForm) {
  return request("POST", "/auth/register", { schema: registeredSchema, body, auth: false });
}

export const meKey = ["me"] as const;

export function getMe() {
  return request("GET", "/api/me", { schema: userSchema });
}
