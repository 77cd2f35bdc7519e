import { type Context, Hono } from "hono";
import type { AppEnv } from "../app-env";
import { RECOVERY_CODE_COUNT } from "../services/recovery-codes/recovery-code-format";
import { regenerateRecoveryCodes, verifyRecoveryCode } from "../services/recovery-codes/recovery-codes";
import { confirmTotpSetup, removeTotp, startTotpSetup, totpState } from "../services/totp/totp-enrolment";
import { verifyTotpLogin } from "../services/totp/totp-login";
import { unusedRecoveryCodeCount } from "../storage/recovery-codes-store";
import { RecoveryCodesPage } from "../ui/pages/recovery-codes-page";
import { TotpPage } from "../ui/pages/totp-page";
import { type AccountEnv, requireAccount } from "./account-guard";
import { requireRecentLogin } from "./auth-flow";
import { answerFactorCheck, pendingFor } from "./otp-factor-answer";
import { pageContext, readForm } from "./page-helpers";

const NOTICES = { removed: "totp.removed", enabled: "totp.enabled" } as const;

async function recoveryPage(c: Context<AccountEnv>, fresh?: string[]) {
  const remaining = await unusedRecoveryCodeCount(c.get("deps").db, c.get("user").id);
  return c.html(<RecoveryCodesPage page={pageContext(c)} remaining={remaining} total={RECOVERY_CODE_COUNT} fresh={fresh} />);
}

/** auth-flow's helpers take the base context; the account pages' context only adds `user` and `strict` to it. */
const baseContext = (c: Context<AccountEnv>) => c as unknown as Context<AppEnv>;

/** Set-up and removal of the authenticator app and the recovery codes, on the account pages. */
const accountTotpRoutes = new Hono<AccountEnv>()
  // Mounted before the account routes, so these pages install the account gate themselves.
  .use("/account/totp", requireAccount)
  .use("/account/totp/*", requireAccount)
  .use("/account/recovery-codes", requireAccount)
  .get("/account/totp", async (c) => {
    const page = pageContext(c);
    const asked = c.req.query("notice") ?? "";
    const notice = Object.hasOwn(NOTICES, asked) ? NOTICES[asked as keyof typeof NOTICES] : null;
    return c.html(
      <TotpPage page={page} state={await totpState(c.get("deps"), c.get("user"))} flash={notice ? { kind: "success", text: page.t(notice) } : null} />,
    );
  })
  .post("/account/totp/setup", async (c) => {
    await readForm(c);
    return c.html(<TotpPage page={pageContext(c)} state={await startTotpSetup(c.get("deps"), c.get("user"))} />);
  })
  .post("/account/totp/confirm", async (c) => {
    const form = await readForm(c);
    const page = pageContext(c);
    const result = await confirmTotpSetup(c.get("deps"), c.get("user"), form.code, c.get("request"));
    if (!result.ok) {
      c.status(400);
      const state = result.state.kind === "setup" ? { ...result.state, error: page.t("totp.invalidCode") } : result.state;
      return c.html(<TotpPage page={page} state={state} />);
    }
    if (!result.recoveryCodes) return c.redirect("/account/totp?notice=enabled", 303);
    // The first authenticator app comes with recovery codes, shown this once.
    return c.html(
      <RecoveryCodesPage
        page={page}
        remaining={result.recoveryCodes.length}
        total={RECOVERY_CODE_COUNT}
        fresh={result.recoveryCodes}
        flash={{ kind: "success", text: page.t("totp.enabled") }}
      />,
    );
  })
  // After a re-login for removal the browser comes back here with a GET.
  .get("/account/totp/remove", (c) => c.redirect("/account/totp", 303))
  .post("/account/totp/remove", async (c) => {
    await readForm(c);
    const stale = requireRecentLogin(baseContext(c), c.get("strict"));
    if (stale) return stale;
    await removeTotp(c.get("deps"), c.get("user"), c.get("request"));
    return c.redirect("/account/totp?notice=removed", 303);
  })
  .get("/account/recovery-codes", (c) => recoveryPage(c))
  .post("/account/recovery-codes", async (c) => {
    await readForm(c);
    const stale = requireRecentLogin(baseContext(c), c.get("strict"));
    if (stale) return stale;
    return recoveryPage(c, await regenerateRecoveryCodes(c.get("deps"), c.get("user"), c.get("request")));
  });

/** The second step with an authenticator-app code or a recovery code. */
const secondStepRoutes = new Hono<AppEnv>()
  .post("/login/mfa/totp", async (c) => {
    const form = await readForm(c);
    const found = await pendingFor(c, "totp");
    if (found.response) return found.response;
    const check = await verifyTotpLogin(c.get("deps"), found.user.id, form.code, c.get("request"));
    return answerFactorCheck(c, found.pending, "totp", check, c.get("t")("problem.code_invalid"));
  })
  .post("/login/mfa/recovery", async (c) => {
    const form = await readForm(c);
    const found = await pendingFor(c, "recovery_code");
    if (found.response) return found.response;
    const check = await verifyRecoveryCode(c.get("deps"), found.user, form.code, c.get("request"));
    return answerFactorCheck(c, found.pending, "recovery_code", check, c.get("t")("recovery.invalid"));
  });

export const totpRoutes = new Hono<AppEnv>().route("/", accountTotpRoutes).route("/", secondStepRoutes);
