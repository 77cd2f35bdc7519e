import { type Context, Hono } from "hono";
import { profileAnswers, saveAnswers } from "../services/profile/answers";
import { profilePrompt, promptPath, skipPrompt } from "../services/profile/prompt";
import { loadProfileSchema } from "../services/profile/schema";
import { ProfileCompletePage, ProfileDetailsPage } from "../ui/pages/profile-pages";
import { type AccountEnv, requireAccount } from "./account-guard";
import { pageContext, readForm, safeReturnPath } from "./page-helpers";
import { formAnswers } from "./profile-form";

const returnToOf = (value: string | undefined) => safeReturnPath(value, "/account");

/** The page context of the interstitial; the language switch comes back to it with its `return_to`. */
const promptPage = (c: Context<AccountEnv>, returnTo: string) => ({ ...pageContext(c), currentPath: promptPath(returnTo) });

/** The interstitial with the fields due now, or on to `returnTo` when nothing is due. */
async function renderPrompt(c: Context<AccountEnv>, returnTo: string) {
  const { fields, canSkip } = await profilePrompt(c.get("deps"), c.get("user").id, returnTo);
  if (fields.length === 0) return c.redirect(returnTo, 303);
  return c.html(<ProfileCompletePage page={promptPage(c, returnTo)} fields={fields} canSkip={canSkip} returnTo={returnTo} state={{ values: {} }} />);
}

/**
 * Progressive profiling for a signed-in customer: the login interstitial (`/profile/complete`, where
 * routes/auth-flow.ts sends a login with fields due) and the account's profile details.
 */
export const profileRoutes = new Hono<AccountEnv>()
  .use("/profile/*", requireAccount)
  .use("/account/profile-details", requireAccount)
  .get("/profile/complete", (c) => renderPrompt(c, returnToOf(c.req.query("return_to"))))
  .post("/profile/complete", async (c) => {
    const form = await readForm(c);
    const returnTo = returnToOf(form.return_to);
    const deps = c.get("deps");
    const userId = c.get("user").id;
    const { fields } = await profilePrompt(deps, userId, returnTo);
    const answers = formAnswers(form);
    const mustAnswer = new Set(fields.filter((field) => field.required).map((field) => field.key));
    const result = await saveAnswers(deps, userId, answers, { mustAnswer, source: "interstitial", request: c.get("request") });
    if (result.ok) return c.redirect(returnTo, 303);
    c.status(400);
    return c.html(
      <ProfileCompletePage
        page={promptPage(c, returnTo)}
        fields={fields}
        canSkip={fields.every((field) => !field.required)}
        returnTo={returnTo}
        state={{ values: answers, errors: result.errors }}
      />,
    );
  })
  .post("/profile/complete/skip", async (c) => {
    const returnTo = returnToOf((await readForm(c)).return_to);
    if (await skipPrompt(c.get("deps"), c.get("user").id, returnTo)) return c.redirect(returnTo, 303);
    // Required fields are due: show them again instead of pretending the skip worked.
    c.status(400);
    return renderPrompt(c, returnTo);
  })
  .get("/account/profile-details", async (c) => {
    const deps = c.get("deps");
    const { fields } = await loadProfileSchema(deps);
    const values = await profileAnswers(deps, c.get("user").id, fields);
    return c.html(<ProfileDetailsPage page={pageContext(c)} fields={fields} state={{ values }} saved={c.req.query("notice") === "saved"} />);
  })
  .post("/account/profile-details", async (c) => {
    const deps = c.get("deps");
    const userId = c.get("user").id;
    const { fields } = await loadProfileSchema(deps);
    const answers = formAnswers(await readForm(c));
    // A required answer can be changed here but not removed.
    const current = await profileAnswers(deps, userId, fields);
    const mustAnswer = new Set(fields.filter((field) => field.required && field.key in current && field.key in answers).map((field) => field.key));
    const result = await saveAnswers(deps, userId, answers, { mustAnswer, source: "account", request: c.get("request") });
    if (result.ok) return c.redirect("/account/profile-details?notice=saved", 303);
    c.status(400);
    return c.html(
      <ProfileDetailsPage page={pageContext(c)} fields={fields} state={{ values: { ...current, ...answers }, errors: result.errors }} saved={false} />,
    );
  });
