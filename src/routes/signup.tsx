import { Hono } from "hono";
import type { AppEnv } from "../app-env";
import { signUp } from "../services/signup";
import { CheckEmailPage, SignupPage } from "../ui/pages/auth-pages";
import { pageContext, readForm, tooManyRequests } from "./page-helpers";

export const signupRoutes = new Hono<AppEnv>()
  .get("/signup", (c) => {
    if (c.get("session")) return c.redirect("/account", 303);
    return c.html(<SignupPage page={pageContext(c)} minLength={c.get("config").password.minLength} />);
  })
  .post("/signup", async (c) => {
    const form = await readForm(c);
    const result = await signUp(c.get("deps"), { email: form.email, password: form.password, name: form.name }, c.get("request"));
    const page = pageContext(c);
    if (result.ok) return c.html(<CheckEmailPage page={page} email={result.email} />);
    const throttled = "retryAfterSeconds" in result;
    if (throttled) tooManyRequests(c, result.retryAfterSeconds);
    else c.status(400);
    return c.html(
      <SignupPage
        page={page}
        minLength={c.get("config").password.minLength}
        email={form.email}
        name={form.name}
        errors={throttled ? undefined : result.errors}
        flash={{ kind: "error", text: throttled ? page.t("problem.rate_limited", { seconds: result.retryAfterSeconds }) : page.t("common.errorSummary") }}
      />,
    );
  });
