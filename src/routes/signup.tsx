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
    const minLength = c.get("config").password.minLength;
    if (result.ok) return c.html(<CheckEmailPage page={page} email={result.email} />);
    if ("retryAfterSeconds" in result) {
      tooManyRequests(c, result.retryAfterSeconds);
      return c.html(
        <SignupPage
          page={page}
          minLength={minLength}
          email={form.email}
          name={form.name}
          flash={{ kind: "error", text: page.t("problem.rate_limited", { seconds: result.retryAfterSeconds }) }}
        />,
      );
    }
    c.status(400);
    return c.html(
      <SignupPage
        page={page}
        minLength={minLength}
        email={form.email}
        name={form.name}
        errors={result.errors}
        flash={{ kind: "error", text: page.t("common.errorSummary") }}
      />,
    );
  });
