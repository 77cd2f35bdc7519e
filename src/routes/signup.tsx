import { Hono } from "hono";
import type { AppEnv } from "../app-env";
import { providerButtons } from "../services/federation/buttons";
import { signUp } from "../services/signup";
import { CheckEmailPage, SignupPage } from "../ui/pages/auth-pages";
import { pageContext, readForm, safeReturnPath, tooManyRequests } from "./page-helpers";
import { turnstileGate, turnstileWidgetFor } from "./risk-turnstile";

export const signupRoutes = new Hono<AppEnv>()
  .get("/signup", async (c) => {
    const returnTo = safeReturnPath(c.req.query("return_to"), "");
    if (c.get("session")) return c.redirect(returnTo || "/account", 303);
    return c.html(
      <SignupPage
        page={pageContext(c)}
        minLength={c.get("config").password.minLength}
        returnTo={returnTo || undefined}
        providers={await providerButtons(c.get("deps"))}
        turnstile={await turnstileWidgetFor(c, "signup")}
      />,
    );
  })
  .post("/signup", async (c) => {
    const form = await readForm(c);
    const page = pageContext(c);
    const returnTo = safeReturnPath(form.return_to, "") || undefined;
    // A borderline source proves it is a person before an account is made (when Turnstile is configured).
    const turnstile = await turnstileGate(c, form, "signup");
    if (turnstile.problem) {
      c.status(400);
      return c.html(
        <SignupPage
          page={page}
          minLength={c.get("config").password.minLength}
          email={form.email}
          name={form.name}
          returnTo={returnTo}
          flash={{ kind: "error", text: turnstile.problem }}
          turnstile={turnstile.widget}
        />,
      );
    }
    const result = await signUp(c.get("deps"), { email: form.email, password: form.password, name: form.name }, c.get("request"));
    if (result.ok) return c.html(<CheckEmailPage page={page} email={result.email} returnTo={returnTo} />);
    const throttled = "retryAfterSeconds" in result;
    if (throttled) tooManyRequests(c, result.retryAfterSeconds);
    else c.status(400);
    return c.html(
      <SignupPage
        page={page}
        minLength={c.get("config").password.minLength}
        email={form.email}
        name={form.name}
        returnTo={returnTo}
        errors={throttled ? undefined : result.errors}
        flash={{ kind: "error", text: throttled ? page.t("problem.rate_limited", { seconds: result.retryAfterSeconds }) : page.t("common.errorSummary") }}
        turnstile={turnstile.widget}
      />,
    );
  });
