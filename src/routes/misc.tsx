import { Hono } from "hono";
import { setCookie } from "hono/cookie";
import type { AppEnv } from "../app-env";
import { LOCALE_COOKIE } from "../middleware/context";
import { isLocale } from "../ui/i18n";
import { readForm, safeReturnPath } from "./page-helpers";

export const miscRoutes = new Hono<AppEnv>()
  .get("/healthz", (c) => c.json({ status: "ok" }))
  // Browsers ask for it on every page; an empty answer keeps 404s out of the logs.
  .get("/favicon.ico", (c) => c.body(null, 204, { "cache-control": "public, max-age=86400" }))
  .get("/", (c) => c.redirect(c.get("session") ? "/account" : "/login", 303))
  // The language switch in the page header: remembered for a year in a cookie.
  .post("/language", async (c) => {
    const form = await readForm(c);
    if (isLocale(form.locale)) {
      setCookie(c, LOCALE_COOKIE, form.locale, { path: "/", secure: true, httpOnly: true, sameSite: "Lax", maxAge: 365 * 24 * 3600 });
    }
    return c.redirect(safeReturnPath(form.return_to, "/login"), 303);
  });
