import { type Context, Hono } from "hono";
import type { AppEnv } from "../app-env";
import { strictSession } from "../middleware/session";
import { verificationNeeded } from "../services/branding/required-verification";
import { resendVerification, verifyEmailByCode } from "../services/email-verification";
import { VerifyRequiredPage } from "../ui/pages/verify-required-page";
import { pageContext, readForm, tooManyRequests } from "./page-helpers";
import { verifyPhonePath } from "./verify-phone";

/** Only values shaped like a sealed interaction go into a redirect. */
const resumeAt = (interaction: string) => `/authorize?interaction=${encodeURIComponent(interaction)}`;

/**
 * An app requires a verified email or phone (`require_verified`) and the signed-in user lacks it:
 * /authorize sends them here; once verified, back to /authorize, which checks again.
 */
export const verifyRequiredRoutes = new Hono<AppEnv>()
  .get("/verify/required", async (c) => {
    const interaction = c.req.query("interaction") ?? "";
    const state = await load(c, interaction);
    if (state instanceof Response) return state;
    // Arriving here sends the code (IP-throttled like every resend); a reload sends a fresh one.
    const throttled = state.missing.includes("email") ? await resendVerification(c.get("deps"), state.email, c.get("request"), resumeAt(interaction)) : null;
    if (throttled) tooManyRequests(c, throttled.retryAfterSeconds);
    return render(c, interaction, state, {
      flash: throttled ? { kind: "error", text: pageContext(c).t("problem.rate_limited", { seconds: throttled.retryAfterSeconds }) } : null,
    });
  })
  .post("/verify/required", async (c) => {
    const form = await readForm(c);
    const interaction = form.interaction ?? "";
    const state = await load(c, interaction);
    if (state instanceof Response) return state;
    if (await verifyEmailByCode(c.get("deps"), state.email, form.code, c.get("request"))) return c.redirect(resumeAt(interaction), 303);
    c.status(400);
    return render(c, interaction, state, { error: pageContext(c).t("problem.code_invalid") });
  })
  .post("/verify/required/resend", async (c) => {
    const form = await readForm(c);
    const interaction = form.interaction ?? "";
    const state = await load(c, interaction);
    if (state instanceof Response) return state;
    const page = pageContext(c);
    const throttled = await resendVerification(c.get("deps"), state.email, c.get("request"), resumeAt(interaction));
    if (throttled) tooManyRequests(c, throttled.retryAfterSeconds);
    return render(c, interaction, state, {
      flash: throttled
        ? { kind: "error", text: page.t("problem.rate_limited", { seconds: throttled.retryAfterSeconds }) }
        : { kind: "info", text: page.t("checkEmail.resent") },
    });
  });

type State = { clientName: string; email: string; missing: ("email" | "phone")[] };

/** The user and what is missing; otherwise the redirect that sorts it out (no session, nothing missing, dead interaction). */
async function load(c: Context<AppEnv>, interaction: string): Promise<State | Response> {
  if (!/^[A-Za-z0-9_.~-]{1,8192}$/.test(interaction)) return c.redirect("/login", 303);
  const session = await strictSession(c);
  if (!session) return c.redirect(resumeAt(interaction), 303);
  const state = await verificationNeeded(c.get("deps"), interaction, session.userId);
  if (!state || state.missing.length === 0) return c.redirect(resumeAt(interaction), 303);
  return state;
}

function render(
  c: Context<AppEnv>,
  interaction: string,
  state: State,
  extra: { error?: string; flash?: { kind: "info" | "success" | "error"; text: string } | null },
) {
  return c.html(
    <VerifyRequiredPage
      page={pageContext(c)}
      interaction={interaction}
      clientName={state.clientName}
      email={state.email}
      missing={state.missing}
      phoneHref={verifyPhonePath(resumeAt(interaction))}
      {...extra}
    />,
  );
}
