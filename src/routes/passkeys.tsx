import { type Context, Hono } from "hono";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import type { AppEnv } from "../app-env";
import { brandForClient } from "../middleware/branding";
import { amrFor } from "../services/auth/methods";
import { finishPasskeyLogin, finishPasskeySecondFactor, startPasskeyLogin, startPasskeySecondFactor } from "../services/passkeys/assertions";
import { passkeysOf, removePasskey, renamePasskey } from "../services/passkeys/manage";
import { finishPasskeyRegistration, startPasskeyRegistration } from "../services/passkeys/registration";
import { describeSignupLink, finishPasskeySignup, requestPasskeySignup, SIGNUP_LINK_LIFETIME_MS, startSignupCeremony } from "../services/passkeys/signup";
import type { MessageKey } from "../ui/i18n";
import { MessagePage } from "../ui/pages/auth-pages";
import { AccountPasskeysPage, ConfirmLastPasskeyPage } from "../ui/pages/passkeys/account-passkeys-page";
import { PasskeySignupContinuePage, PasskeySignupPage } from "../ui/pages/passkeys/signup-pages";
import { describeUserAgent } from "../ui/user-agent";
import { type AccountEnv, requireAccount } from "./account-guard";
import { completeSecondFactor, continueAfterFirstFactor, pendingLogin, requireRecentLogin } from "./auth-flow";
import { pageContext, readForm, safeReturnPath, tooManyRequests } from "./page-helpers";
import { turnstileGate, turnstileWidgetFor } from "./risk-turnstile";

/** Notices /account/passkeys shows after a redirect. */
const NOTICES: Record<string, MessageKey> = {
  added: "passkeys.account.added",
  renamed: "passkeys.account.renamed",
  deleted: "passkeys.account.deleted",
};

/** A refusal for the ceremony script: it shows `error` next to the button. */
function refusal<E extends AppEnv>(c: Context<E>, status: ContentfulStatusCode, key: MessageKey, params?: Record<string, number>) {
  return c.json({ error: (c.var as AppEnv["Variables"]).t(key, params) }, status);
}

function throttled<E extends AppEnv>(c: Context<E>, retryAfterSeconds: number) {
  c.header("Retry-After", String(Math.max(1, retryAfterSeconds)));
  return refusal(c, 429, "passkeys.throttled", { seconds: retryAfterSeconds });
}

/** What a new passkey is called until its owner renames it: the browser and system it was made on. */
function defaultPasskeyName<E extends AppEnv>(c: Context<E>): string {
  return describeUserAgent(c.req.header("user-agent") ?? null) ?? "Passkey";
}

/**
 * The login page again when the session's login is too old for a change of factors, then back to the
 * passkeys page (not to the POST endpoint that asked). Null when the login is recent enough.
 */
function reauthLocation(c: Context<AccountEnv>): string | null {
  const stale = requireRecentLogin(c as unknown as Context<AppEnv>, c.get("strict"));
  return stale ? `/login?notice=reauth&return_to=${encodeURIComponent("/account/passkeys")}` : null;
}

function deadSignupLink(c: Context<AppEnv>) {
  const page = pageContext(c);
  c.status(400);
  return c.html(
    <MessagePage
      page={page}
      title={page.t("passkeys.signup.title")}
      flash={{ kind: "error", text: page.t("passkeys.signup.invalidLink") }}
      linkHref="/signup/passkey"
      linkText={page.t("passkeys.signup.restart")}
    />,
  );
}

const publicRoutes = new Hono<AppEnv>()
  // Passwordless sign-up, step 1: the address. The same answer whether or not it has an account.
  .get("/signup/passkey", async (c) => {
    const returnTo = safeReturnPath(c.req.query("return_to"), "");
    if (c.get("session")) return c.redirect(returnTo || "/account", 303);
    return c.html(<PasskeySignupPage page={pageContext(c)} returnTo={returnTo || undefined} turnstile={await turnstileWidgetFor(c, "signup")} />);
  })
  .post("/signup/passkey", async (c) => {
    const form = await readForm(c);
    const returnTo = safeReturnPath(form.return_to, "") || undefined;
    // A borderline source proves it is a person before anything is mailed (when Turnstile is configured).
    const turnstile = await turnstileGate(c, form, "signup");
    if (turnstile.problem) {
      c.status(400);
      return c.html(
        <PasskeySignupPage
          page={pageContext(c)}
          email={form.email}
          name={form.name}
          returnTo={returnTo}
          flash={{ kind: "error", text: turnstile.problem }}
          turnstile={turnstile.widget}
        />,
      );
    }
    const result = await requestPasskeySignup(c.get("deps"), { email: form.email, name: form.name, returnTo }, c.get("request"));
    const page = pageContext(c);
    if (result.ok) {
      return c.html(
        <MessagePage
          page={page}
          title={page.t("checkEmail.title")}
          flash={{ kind: "info", text: page.t("passkeys.signup.sent", { email: result.email, minutes: SIGNUP_LINK_LIFETIME_MS / 60_000 }) }}
          linkHref="/login"
          linkText={page.t("signup.login")}
        />,
      );
    }
    const isThrottled = "retryAfterSeconds" in result;
    if (isThrottled) tooManyRequests(c, result.retryAfterSeconds);
    else c.status(400);
    return c.html(
      <PasskeySignupPage
        page={page}
        email={form.email}
        name={form.name}
        returnTo={returnTo}
        errors={isThrottled ? undefined : result.errors}
        turnstile={turnstile.widget}
        flash={{ kind: "error", text: isThrottled ? page.t("problem.rate_limited", { seconds: result.retryAfterSeconds }) : page.t("common.errorSummary") }}
      />,
    );
  })
  // Step 2: the emailed link. A GET only shows the page (mail scanners cannot use the link up).
  .get("/signup/passkey/continue", async (c) => {
    const token = c.req.query("token") ?? "";
    const link = await describeSignupLink(c.get("deps"), token);
    if (!link) return deadSignupLink(c);
    await brandForClient(c, link.clientId);
    return c.html(<PasskeySignupContinuePage page={pageContext(c)} email={link.email} token={token} />);
  })
  .post("/signup/passkey/options", async (c) => {
    const form = await readForm(c);
    const options = await startSignupCeremony(c.get("deps"), form.token ?? "");
    return options ? c.json({ options }) : refusal(c, 400, "passkeys.signup.invalidLink");
  })
  // Step 3: the passkey is made; the account exists from here on, and the browser is logged in.
  .post("/signup/passkey/finish", async (c) => {
    const form = await readForm(c);
    const result = await finishPasskeySignup(
      c.get("deps"),
      { token: form.token ?? "", credentialJson: form.credential, passkeyName: defaultPasskeyName(c) },
      c.get("request"),
    );
    if (!result.ok) {
      const key = result.reason === "taken" ? "passkeys.signup.taken" : result.reason === "link" ? "passkeys.signup.invalidLink" : "passkeys.failed";
      return refusal(c, 400, key);
    }
    const amr = amrFor("passkey", { deviceType: result.deviceType });
    return continueAfterFirstFactor(
      c,
      { user: result.user, factor: "passkey", amr, returnTo: safeReturnPath(result.returnTo ?? undefined, "/account") },
      { json: true },
    );
  })
  // Passwordless login with a discoverable passkey (button or autofill).
  .post("/login/passkey/options", async (c) => {
    await readForm(c);
    const started = await startPasskeyLogin(c.get("deps"), c.get("request"));
    return "options" in started ? c.json({ options: started.options }) : throttled(c, started.retryAfterSeconds);
  })
  .post("/login/passkey", async (c) => {
    const form = await readForm(c);
    const result = await finishPasskeyLogin(c.get("deps"), form.credential, c.get("request"));
    if (!result.ok) return result.reason === "throttled" ? throttled(c, result.retryAfterSeconds) : refusal(c, 400, "passkeys.failed");
    const amr = amrFor("passkey", { deviceType: result.passkey.deviceType });
    return continueAfterFirstFactor(c, { user: result.user, factor: "passkey", amr, returnTo: safeReturnPath(form.return_to, "/account") }, { json: true });
  })
  // A passkey as the second step after a password (or another first factor).
  .post("/login/mfa/passkey/options", async (c) => {
    await readForm(c);
    const pending = await pendingLogin(c);
    if (!pending) return c.json({ redirect: "/login?notice=mfa_expired" }, 401);
    const options = await startPasskeySecondFactor(c.get("deps"), pending);
    return options ? c.json({ options }) : refusal(c, 400, "passkeys.failed");
  })
  .post("/login/mfa/passkey", async (c) => {
    const form = await readForm(c);
    const pending = await pendingLogin(c);
    if (!pending) return c.json({ redirect: "/login?notice=mfa_expired" }, 401);
    const result = await finishPasskeySecondFactor(c.get("deps"), pending, form.credential, c.get("request"));
    if (!result.ok) return result.reason === "throttled" ? throttled(c, result.retryAfterSeconds) : refusal(c, 400, "passkeys.failed");
    // Without user verification the passkey proves possession only: no "user" method, and it does not count as MFA alone.
    const amr = amrFor("passkey", { deviceType: result.passkey.deviceType }).filter((method) => result.userVerified || (method !== "user" && method !== "mfa"));
    return completeSecondFactor(c, pending, { factor: "passkey", amr }, { json: true });
  });

async function renderPasskeys(c: Context<AccountEnv>, flash: { kind: "success" | "error"; text: string } | null = null) {
  const page = pageContext(c);
  const notice = NOTICES[c.req.query("notice") ?? ""];
  return c.html(
    <AccountPasskeysPage
      page={page}
      passkeys={await passkeysOf(c.get("deps"), c.get("user").id)}
      flash={flash ?? (notice ? { kind: "success", text: page.t(notice) } : null)}
      defaultName={defaultPasskeyName(c)}
    />,
  );
}

const accountRoutes = new Hono<AccountEnv>()
  // Gated here too: this module is mounted before the account routes, whose gate would run after these handlers.
  .use("/account/passkeys", requireAccount)
  .use("/account/passkeys/*", requireAccount)
  .get("/account/passkeys", (c) => renderPasskeys(c))
  // Adding a passkey gives a lasting way in, so like removing one it needs a recent login.
  .post("/account/passkeys/options", async (c) => {
    await readForm(c);
    const stale = reauthLocation(c);
    if (stale) return c.json({ redirect: stale });
    return c.json({ options: await startPasskeyRegistration(c.get("deps"), c.get("user")) });
  })
  .post("/account/passkeys/finish", async (c) => {
    const form = await readForm(c);
    const stale = reauthLocation(c);
    if (stale) return c.json({ redirect: stale });
    const result = await finishPasskeyRegistration(
      c.get("deps"),
      c.get("user"),
      { credentialJson: form.credential, name: form.name || defaultPasskeyName(c) },
      c.get("request"),
    );
    if (!result.ok) return refusal(c, 400, result.reason === "duplicate" ? "passkeys.account.duplicate" : "passkeys.failed");
    return c.json({ redirect: "/account/passkeys?notice=added" });
  })
  .post("/account/passkeys/rename", async (c) => {
    const form = await readForm(c);
    if (await renamePasskey(c.get("deps"), c.get("user"), form.id ?? "", form.name, c.get("request")))
      return c.redirect("/account/passkeys?notice=renamed", 303);
    c.status(400);
    return renderPasskeys(c, { kind: "error", text: c.get("t")("passkeys.account.nameInvalid") });
  })
  .post("/account/passkeys/delete", async (c) => {
    const form = await readForm(c);
    const stale = reauthLocation(c);
    if (stale) return c.redirect(stale, 303);
    const id = form.id ?? "";
    const result = await removePasskey(c.get("deps"), c.get("user"), id, { confirmed: form.confirm === "last" }, c.get("request"));
    if (result.ok) return c.redirect("/account/passkeys?notice=deleted", 303);
    if (result.reason === "needs_confirmation") {
      const passkey = (await passkeysOf(c.get("deps"), c.get("user").id)).find((row) => row.id === id);
      if (passkey) return c.html(<ConfirmLastPasskeyPage page={pageContext(c)} passkey={passkey} email={c.get("user").email} />);
    }
    c.status(404);
    return renderPasskeys(c, { kind: "error", text: c.get("t")("passkeys.account.notFound") });
  });

export const passkeyRoutes = new Hono<AppEnv>().route("/", publicRoutes).route("/", accountRoutes);
