import { Hono } from "hono";
import { riskEventsStore } from "../storage/risk-events-store";
import { RiskActivityPage } from "../ui/pages/risk-activity-page";
import { type AccountEnv, requireAccount } from "./account-guard";
import { pageContext } from "./page-helpers";

/** How many of the latest login decisions the account's sign-in history shows. */
export const ACTIVITY_EVENTS = 20;

/** `/account/activity`: the signed-in customer's own recent login decisions (mounted before the account routes). */
export const riskActivityRoutes = new Hono<AccountEnv>().use("/account/activity", requireAccount).get("/account/activity", async (c) => {
  // Only the session's own account: the user id comes from the guard-confirmed session, never from the request.
  const events = await riskEventsStore(c.get("deps").db).list({ limit: ACTIVITY_EVENTS, userId: c.get("user").id });
  return c.html(<RiskActivityPage page={pageContext(c)} events={events} />);
});
