import type { PageContext } from "../layout";

/**
 * The enrolment page's script: registers the service worker, asks for notification permission, subscribes
 * with the VAPID public key (from `data-vapid-key`) and submits the enrolment form with the subscription's
 * endpoint and keys, like any other form of ours (csrf_token included). Nothing is sent with fetch.
 */
export function pushEnrolScript(page: PageContext): string {
  const messages = JSON.stringify({
    unsupported: page.t("push.account.unsupported"),
    enrolling: page.t("push.account.enrolling"),
    permissionDenied: page.t("push.account.permissionDenied"),
    subscribeFailed: page.t("push.account.subscribeFailed"),
  }).replace(/</g, "\\u003c");
  return `(() => {
  const form = document.getElementById("push-enrol"), status = document.getElementById("push-enrol-status");
  if (!form || !status) return;
  const messages = ${messages};
  const button = form.querySelector("button[type=submit]");
  const show = (text) => { status.textContent = text; status.hidden = false; };
  if (!("serviceWorker" in navigator) || !("PushManager" in window) || !("Notification" in window)) { show(messages.unsupported); return; }
  button.disabled = false;
  const decode = (text) => Uint8Array.from(atob(text.replace(/-/g, "+").replace(/_/g, "/") + "===".slice((text.length + 3) % 4)), (c) => c.charCodeAt(0));
  const sameKey = (a, b) => a && a.byteLength === b.byteLength && new Uint8Array(a).every((byte, i) => byte === b[i]);
  const activated = (registration) => new Promise((resolve) => {
    const worker = registration.installing || registration.waiting || registration.active;
    if (!worker || worker.state === "activated") return resolve(registration);
    worker.addEventListener("statechange", () => { if (worker.state === "activated") resolve(registration); });
  });
  form.addEventListener("submit", async (event) => {
    if (form.elements.endpoint.value) return;
    event.preventDefault();
    show(messages.enrolling);
    try {
      if ((await Notification.requestPermission()) !== "granted") return show(messages.permissionDenied);
      const registration = await activated(await navigator.serviceWorker.register("/push/sw.js", { scope: "/push/" }));
      const key = decode(form.dataset.vapidKey || "");
      let subscription = await registration.pushManager.getSubscription();
      if (subscription && !sameKey(subscription.options.applicationServerKey, key)) { await subscription.unsubscribe(); subscription = null; }
      subscription = subscription || (await registration.pushManager.subscribe({ userVisibleOnly: true, applicationServerKey: key }));
      const json = subscription.toJSON();
      form.elements.endpoint.value = json.endpoint;
      form.elements.p256dh.value = json.keys.p256dh;
      form.elements.auth.value = json.keys.auth;
      form.submit();
    } catch (error) {
      show(messages.subscribeFailed);
    }
  });
})();`;
}
