import { type Context, Hono } from "hono";
import type { AppEnv } from "../app-env";
import { brandForClient } from "../middleware/branding";
import { describeResetLink, requestPasswordReset, resetPassword } from "../services/password-reset";
import { ForgotPage, MessagePage, ResetPage } from "../ui/pages/auth-pages";
import { pageContext, readForm, safeReturnPath, tooManyRequests } from "./page-helpers";

export const passwordResetRoutes = new Hono<AppEnv>()
  // Reached from a login page: `return_to` is that login's journey, which the emailed link remembers.
  .get("/forgot", (c) => c.html(<ForgotPage page={pageContext(c)} returnTo={safeReturnPath(c.req.query("return_to"), "") || undefined} />))
  .post("/forgot", async (c) => {
    const form = await readForm(c);
    const page = pageContext(c);
    const returnTo = safeReturnPath(form.return_to, "") || undefined;
    const result = await requestPasswordReset(c.get("deps"), form.email, c.get("request"), returnTo);
    if (result.ok)
      return c.html(
        <ForgotPage page={page} email={result.email} returnTo={returnTo} flash={{ kind: "success", text: page.t("forgot.sent", { email: result.email }) }} />,
      );
    if ("retryAfterSeconds" in result) {
      tooManyRequests(c, result.retryAfterSeconds);
      return c.html(
        <ForgotPage
          page={page}
          email={form.email}
          returnTo={returnTo}
          flash={{ kind: "error", text: page.t("problem.rate_limited", { seconds: result.retryAfterSeconds }) }}
        />,
      );
    }
    c.status(400);
    return c.html(<ForgotPage page={page} email={form.email} returnTo={returnTo} error={page.t("problem.email_invalid")} />);
  })
  // Opening the link only shows the form; the token is consumed by the POST that sets the password.
  .get("/reset", async (c) => {
    const token = c.req.query("token") ?? "";
    const journey = await describeResetLink(c.get("deps"), token);
    if (!journey) return invalidLink(c);
    await brandForClient(c, journey.clientId);
    return c.html(<ResetPage page={pageContext(c)} token={token} minLength={c.get("config").password.minLength} />);
  })
  .post("/reset", async (c) => {
    const form = await readForm(c);
    const token = form.token ?? "";
    // Branded before the reset, so its answer and the "password changed" email wear the app's brand too.
    const journey = await describeResetLink(c.get("deps"), token);
    if (journey) await brandForClient(c, journey.clientId);
    const result = await resetPassword(c.get("deps"), token, form.new_password, c.get("request"));
    const page = pageContext(c);
    if (result.ok) {
      const returnTo = safeReturnPath(journey?.returnTo ?? undefined, "");
      return c.html(
        <MessagePage
          page={page}
          title={page.t("reset.title")}
          flash={{ kind: "success", text: page.t("reset.done") }}
          linkHref={returnTo ? `/login?${new URLSearchParams({ return_to: returnTo })}` : "/login"}
          linkText={page.t("login.title")}
        />,
      );
    }
    if ("reason" in result) return invalidLink(c);
    c.status(400);
    return c.html(<ResetPage page={page} token={token} minLength={c.get("config").password.minLength} errors={result.errors} />);
  });

function invalidLink(c: Context<AppEnv>) {
  const page = pageContext(c);
  c.status(400);
  return c.html(
    <MessagePage
      page={page}
      title={page.t("reset.title")}
      flash={{ kind: "error", text: page.t("reset.invalid") }}
      linkHref="/forgot"
      linkText={page.t("forgot.title")}
    />,
  );
}
