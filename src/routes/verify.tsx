import { type Context, Hono } from "hono";
import type { AppEnv } from "../app-env";
import { brandForClient } from "../middleware/branding";
import { describeVerificationLink, resendVerification, verifyEmailByCode, verifyEmailByLink } from "../services/email-verification";
import { CheckEmailPage, ConfirmLinkPage, MessagePage } from "../ui/pages/auth-pages";
import { pageContext, readForm, safeReturnPath, tooManyRequests } from "./page-helpers";
import { verifyPhonePath } from "./verify-phone";

export const verifyRoutes = new Hono<AppEnv>()
  // The link opens a confirmation page; only the POST verifies, so mail scanners that prefetch links burn nothing.
  .get("/verify", async (c) => {
    const token = c.req.query("token") ?? "";
    const link = await describeVerificationLink(c.get("deps"), token);
    if (!link) return invalid(c);
    // The sign-up's app, remembered with the link: a dead link (whose page already says so) keeps the default.
    await brandForClient(c, link.journey.clientId);
    const page = pageContext(c);
    return c.html(
      <ConfirmLinkPage
        page={page}
        title={page.t("verify.title")}
        text={page.t("verify.body", { email: link.email })}
        action="/verify"
        token={token}
        submit={page.t("verify.submit")}
      />,
    );
  })
  .post("/verify", async (c) => {
    const form = await readForm(c);
    const journey = await verifyEmailByLink(c.get("deps"), form.token ?? "", c.get("request"));
    if (!journey) return invalid(c);
    await brandForClient(c, journey.clientId);
    return verified(c, safeReturnPath(journey.returnTo ?? undefined, "") || undefined);
  })
  .post("/verify/code", async (c) => {
    const form = await readForm(c);
    const page = pageContext(c);
    const returnTo = safeReturnPath(form.return_to, "") || undefined;
    if (await verifyEmailByCode(c.get("deps"), form.email, form.code, c.get("request"))) return verified(c, returnTo);
    c.status(400);
    return c.html(<CheckEmailPage page={page} email={form.email ?? ""} returnTo={returnTo} error={page.t("problem.code_invalid")} />);
  })
  .post("/verify/resend", async (c) => {
    const form = await readForm(c);
    const page = pageContext(c);
    // The journey goes on with the new link and with this page (its code form and its next resend).
    const returnTo = safeReturnPath(form.return_to, "") || undefined;
    const throttled = await resendVerification(c.get("deps"), form.email, c.get("request"), returnTo);
    if (throttled) {
      tooManyRequests(c, throttled.retryAfterSeconds);
      return c.html(
        <CheckEmailPage
          page={page}
          email={form.email ?? ""}
          returnTo={returnTo}
          flash={{ kind: "error", text: page.t("problem.rate_limited", { seconds: throttled.retryAfterSeconds }) }}
        />,
      );
    }
    return c.html(<CheckEmailPage page={page} email={form.email ?? ""} returnTo={returnTo} flash={{ kind: "info", text: page.t("checkEmail.resent") }} />);
  });

function invalid(c: Context<AppEnv>) {
  const page = pageContext(c);
  c.status(400);
  return c.html(
    <MessagePage
      page={page}
      title={page.t("verify.title")}
      flash={{ kind: "error", text: page.t("verify.invalid") }}
      linkHref="/login"
      linkText={page.t("login.title")}
    />,
  );
}

/** "Verified": on to the login page, which then continues to `returnTo` (an authorization request) if given. */
function verified(c: Context<AppEnv>, returnTo?: string) {
  const page = pageContext(c);
  // Sign-up's second verification choice: a mobile number by SMS code, after logging in, on the way to `returnTo`.
  const phoneStep = `/login?${new URLSearchParams({ return_to: verifyPhonePath(returnTo ?? "/account") })}`;
  return c.html(
    <MessagePage
      page={page}
      title={page.t("verify.title")}
      flash={{ kind: "success", text: page.t("verify.done") }}
      linkHref={returnTo ? `/login?${new URLSearchParams({ return_to: returnTo })}` : "/login"}
      linkText={page.t("login.title")}
      also={c.get("config").sms.enabled ? { href: phoneStep, text: page.t("verifyPhone.offer") } : undefined}
    />,
  );
}
