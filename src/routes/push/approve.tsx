import { type Context, Hono } from "hono";
import type { AppEnv } from "../../app-env";
import { type ApprovalContext, answerPushApproval, describePlace, findApproval, isOpen } from "../../services/push/approvals";
import type { MessageKey } from "../../ui/i18n";
import { PushAnsweredPage, PushApprovePage } from "../../ui/pages/push-approve-page";
import { pageContext, readForm } from "../page-helpers";

const ANSWERS: Record<Awaited<ReturnType<typeof answerPushApproval>>, { kind: "success" | "error" | "info"; key: MessageKey; status: 200 | 410 }> = {
  approved: { kind: "success", key: "push.approve.approved", status: 200 },
  denied: { kind: "info", key: "push.approve.denied", status: 200 },
  wrong_number: { kind: "error", key: "push.approve.wrongNumber", status: 200 },
  closed: { kind: "error", key: "push.approve.closed", status: 410 },
};

function answered(c: Context<AppEnv>, outcome: keyof typeof ANSWERS) {
  const { kind, key, status } = ANSWERS[outcome];
  const page = pageContext(c);
  c.status(status);
  return c.html(<PushAnsweredPage page={page} kind={kind} text={page.t(key)} />);
}

/**
 * The page a push notification opens (`/push/approve?token=…`). It needs no session on the approving
 * device: the 256-bit token in the link is the credential (only its hash is stored), usable once, for two
 * minutes. A GET only shows the request; only the POST of a number (or "deny") answers it. The token is
 * in the query, not the path, because the access log records paths (never queries); the form posts it
 * in its body.
 */
export const pushApproveRoutes = new Hono<AppEnv>()
  .get("/push/approve", async (c) => {
    const deps = c.get("deps");
    const token = c.req.query("token") ?? "";
    const approval = await findApproval(deps, token);
    if (!approval || !isOpen(approval, deps.clock())) return answered(c, "closed");
    const page = pageContext(c);
    const context = approval.context as unknown as ApprovalContext;
    return c.html(
      <PushApprovePage
        page={page}
        token={token}
        place={describePlace(context) ?? page.t("push.place.unknown")}
        device={context.device ?? page.t("push.device.unknown")}
        createdAt={approval.createdAt}
        choices={approval.choices}
      />,
    );
  })
  .post("/push/approve", async (c) => {
    const form = await readForm(c);
    const choice = /^\d{1,3}$/.test(form.choice ?? "") ? Number(form.choice) : null;
    const answer = form.action === "deny" ? "deny" : choice !== null ? { choice } : null;
    // A post with neither a number nor "deny" is not an answer; it changes nothing.
    if (!answer) return answered(c, "closed");
    return answered(c, await answerPushApproval(c.get("deps"), form.token ?? "", answer, c.get("request")));
  });
