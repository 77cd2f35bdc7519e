/**
 * The service worker behind push approvals (served at `/push/sw.js`, scope `/push/`). It only shows the
 * notification the push carries and, on click, opens the approval page; it has no fetch handler, so it
 * never sits between the browser and our pages. Only same-origin URLs are opened.
 */
export const PUSH_SERVICE_WORKER = `"use strict";
self.addEventListener("install", () => self.skipWaiting());
self.addEventListener("activate", (event) => event.waitUntil(self.clients.claim()));
self.addEventListener("push", (event) => {
  let data = {};
  try { data = event.data ? event.data.json() : {}; } catch (error) { data = {}; }
  const title = typeof data.title === "string" ? data.title : "Gatehouse";
  event.waitUntil(self.registration.showNotification(title, {
    body: typeof data.body === "string" ? data.body : "",
    tag: typeof data.tag === "string" ? data.tag : undefined,
    data: { url: typeof data.url === "string" ? data.url : null },
    requireInteraction: true,
  }));
});
self.addEventListener("notificationclick", (event) => {
  event.notification.close();
  const url = event.notification.data && event.notification.data.url;
  if (!url) return;
  let target;
  try { target = new URL(url, self.location.origin); } catch (error) { return; }
  if (target.origin !== self.location.origin) return;
  event.waitUntil(self.clients.openWindow(target.href));
});
`;
