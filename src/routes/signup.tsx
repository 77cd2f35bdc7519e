import { Hono } from "hono";
import type { AppEnv } from "../app-env";
import { providerButtons } from "../services/federation/buttons";
import { signUp } from "../services/signup";
import { offeredSignupMethods } from "../services/signup-methods/offered-methods";
import type { FieldErrors } from "../services/validation";
import { CheckEmailPage, type Flash, SignupPage } from "../ui/pages/auth-pages";
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
        available={offeredSignupMethods(c.get("config"))}
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
    const formAgain = (flash: Flash, errors?: FieldErrors) =>
      c.html(
        <SignupPage
          page={page}
          minLength={c.get("config").password.minLength}
          available={offeredSignupMethods(c.get("config"))}
          email={form.email}
          name={form.name}
          returnTo={returnTo}
          errors={errors}
          flash={flash}
          turnstile={turnstile.widget}
        />,
      );
    if (turnstile.problem) {
      c.status(400);
      return formAgain({ kind: "error", text: turnstile.problem });
    }
    const result = await signUp(c.get("deps"), { email: form.email, password: form.password, name: form.name, returnTo }, c.get("request"));
    if (result.ok) return c.html(<CheckEmailPage page={page} email={result.email} returnTo={returnTo} />);
    if ("retryAfterSeconds" in result) {
      tooManyRequests(c, result.retryAfterSeconds);
      return formAgain({ kind: "error", text: page.t("problem.rate_limited", { seconds: result.retryAfterSeconds }) });
    }
    c.status(400);
    return formAgain({ kind: "error", text: page.t("common.errorSummary") }, result.errors);
  });
