import { type Context, Hono } from "hono";
import { enrolPushSubscription, listPushSubscriptions, removePushSubscription, renamePushSubscription } from "../../services/push/subscriptions";
import { vapidKeys } from "../../services/push/vapid";
import type { MessageKey } from "../../ui/i18n";
import { PushAccountPage } from "../../ui/pages/push-account-page";
import { type AccountEnv, requireAccount } from "../account-guard";
import { requireRecentLogin } from "../auth-flow";
import { pageContext, readForm } from "../page-helpers";

/** Notices `/account/push?notice=…` shows after a form. */
const NOTICES: Record<string, { kind: "success" | "error"; key: MessageKey }> = {
  enrolled: { kind: "success", key: "push.account.enrolled" },
  renamed: { kind: "success", key: "push.account.renamed" },
  removed: { kind: "success", key: "push.account.removed" },
  not_found: { kind: "error", key: "push.account.notFound" },
};

async function render(c: Context<AccountEnv>, extra: { flash?: { kind: "info" | "success" | "error"; text: string } | null; nameError?: string } = {}) {
  const page = pageContext(c);
  const notice = NOTICES[c.req.query("notice") ?? ""];
  const deps = c.get("deps");
  return c.html(
    <PushAccountPage
      page={page}
      devices={await listPushSubscriptions(deps.db, c.get("user").id)}
      vapidPublicKey={(await vapidKeys(deps))?.publicKey ?? null}
      flash={notice ? { kind: notice.kind, text: page.t(notice.key) } : null}
      {...extra}
    />,
  );
}

/** `/account/push`: enrol this browser for push approvals, list, rename and remove devices. */
export const pushAccountRoutes = new Hono<AccountEnv>()
  .use("/account/push", requireAccount)
  .use("/account/push/*", requireAccount)
  .get("/account/push", (c) => render(c))
  .post("/account/push", async (c) => {
    const form = await readForm(c);
    const result = await enrolPushSubscription(
      c.get("deps"),
      c.get("user"),
      { endpoint: form.endpoint, p256dh: form.p256dh, auth: form.auth, name: form.name },
      c.get("request"),
    );
    if (result.ok) return c.redirect("/account/push?notice=enrolled", 303);
    const t = c.get("t");
    c.status(result.problem === "unavailable" ? 503 : 400);
    if (result.problem === "name") return render(c, { nameError: t("push.problem.name") });
    const key: MessageKey = result.problem === "unavailable" ? "push.account.unavailable" : `push.problem.${result.problem}`;
    return render(c, { flash: { kind: "error", text: t(key) } });
  })
  .post("/account/push/rename", async (c) => {
    const form = await readForm(c);
    if (await renamePushSubscription(c.get("deps"), c.get("user").id, form.id ?? "", form.name)) return c.redirect("/account/push?notice=renamed", 303);
    c.status(400);
    return render(c, { flash: { kind: "error", text: c.get("t")("push.problem.name") } });
  })
  .post("/account/push/remove", async (c) => {
    const form = await readForm(c);
    // Taking a factor away needs a fresh login: a stolen, long-lived session alone cannot do it.
    const reauth = requireRecentLogin(c, c.get("strict"));
    if (reauth) return reauth;
    const removed = await removePushSubscription(c.get("deps"), c.get("user"), form.id ?? "", c.get("request"));
    return c.redirect(`/account/push?notice=${removed ? "removed" : "not_found"}`, 303);
  });
