import { type Context, Hono } from "hono";
import type { AppEnv } from "../app-env";
import { clearSessionCookie } from "../middleware/session";
import { type DeadReport, openReport, reportLogin } from "../services/risk/report";
import { describeRiskEvent } from "../services/risk/report-words";
import { deliveryQueues } from "../storage/delivery-queues";
import { ConfirmLinkPage, MessagePage } from "../ui/pages/auth-pages";
import { pageContext, readForm } from "./page-helpers";

/**
 * "This wasn't me" from the owner's notification. Opening the link only shows what will happen (a GET
 * never acts: mail scanners open links); the button's POST (CSRF-checked like every form) takes the link once.
 */
export const riskReportRoutes = new Hono<AppEnv>()
  .get("/risk/report", async (c) => {
    const token = c.req.query("token") ?? "";
    const report = await openReport(c.get("deps"), token);
    if (!report.ok) return deadLink(c, report);
    const page = pageContext(c);
    const words = describeRiskEvent(page.t, page.locale, report.event);
    return c.html(
      <ConfirmLinkPage
        page={page}
        title={page.t("risk.report.title")}
        text={page.t("risk.report.confirm", {
          time: words.time,
          place: words.place ?? page.t("risk.place.unknown"),
          device: words.device ?? page.t("risk.device.unknown"),
        })}
        action="/risk/report"
        token={token}
        submit={page.t("risk.report.submit")}
      />,
    );
  })
  .post("/risk/report", async (c) => {
    const form = await readForm(c);
    const result = await reportLogin(c.get("deps"), deliveryQueues(c.env.DELIVERY_QUEUE), form.token ?? "", c.get("request"));
    if (!result.ok) return deadLink(c, result);
    // This browser's session, if it was the account's, has just ended with all the others.
    if (c.get("session")?.userId === result.event.userId) clearSessionCookie(c);
    const page = pageContext(c);
    return c.html(
      <MessagePage
        page={page}
        title={page.t("risk.report.title")}
        flash={{ kind: "success", text: page.t("risk.report.done") }}
        linkHref={result.resetToken ? `/reset?token=${result.resetToken}` : "/login"}
        linkText={page.t(result.resetToken ? "risk.report.choosePassword" : "login.title")}
      />,
    );
  });

/** An unknown link is a 400, a used or expired one a 410; either way nothing was done. */
function deadLink(c: Context<AppEnv>, report: DeadReport) {
  const page = pageContext(c);
  c.status(report.reason === "gone" ? 410 : 400);
  return c.html(
    <MessagePage
      page={page}
      title={page.t("risk.report.title")}
      flash={{ kind: "error", text: page.t(report.reason === "gone" ? "risk.report.gone" : "risk.report.invalid") }}
      linkHref="/forgot"
      linkText={page.t("forgot.title")}
    />,
  );
}
