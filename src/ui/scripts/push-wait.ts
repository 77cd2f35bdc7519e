import type { PageContext } from "../layout";

/** How often the waiting login page asks for the answer. */
export const POLL_INTERVAL_MS = 2_000;

/**
 * The waiting login page's script: polls `/login/mfa/push/status` (same origin, the pending-login cookie
 * decides which login is asked about) and, once approved, submits the page's own "continue" form, a
 * normal POST with csrf_token. Denied or expired: says so and stops. Without it the button does the same.
 */
export function pushWaitScript(page: PageContext): string {
  const messages = JSON.stringify({ denied: page.t("push.wait.denied"), expired: page.t("push.wait.expired") }).replace(/</g, "\\u003c");
  return `(() => {
  const form = document.getElementById("push-complete"), state = document.getElementById("push-state");
  if (!form || !state) return;
  const messages = ${messages};
  const poll = async () => {
    let status = "pending";
    try {
      const response = await fetch("/login/mfa/push/status", { headers: { accept: "application/json" }, cache: "no-store", credentials: "same-origin" });
      if (response.ok) status = (await response.json()).status;
    } catch (error) {
      status = "pending";
    }
    if (status === "approved") return form.submit();
    if (status === "denied" || status === "expired") {
      state.textContent = messages[status];
      state.className = "notice error";
      state.setAttribute("role", "alert");
      form.hidden = true;
      return;
    }
    setTimeout(poll, ${POLL_INTERVAL_MS});
  };
  setTimeout(poll, ${POLL_INTERVAL_MS});
})();`;
}
