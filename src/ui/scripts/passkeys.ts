import type { PageContext } from "../layout";

/**
 * The browser half of every passkey ceremony, inlined with the page's CSP nonce (no external file).
 * Buttons carry what to do: `data-passkey="create|get"`, `data-options` and `data-finish` (our URLs),
 * `data-fields` (JSON of extra form fields). Both requests are urlencoded forms with the CSRF token, so
 * the usual CSRF checks apply; the credential travels as `PublicKeyCredential.toJSON()` in one field.
 * A `data-autofill` button also starts conditional mediation, so the username field (autocomplete
 * "username webauthn") offers passkeys. The server answers `{options}`, then `{redirect}` or `{error}`.
 */
export function passkeyScript(page: PageContext): string {
  const messages = JSON.stringify({
    unsupported: page.t("passkeys.unsupported"),
    cancelled: page.t("passkeys.cancelled"),
    failed: page.t("passkeys.failed"),
    working: page.t("passkeys.working"),
  }).replace(/</g, "\\u003c");
  return `(() => {
  if (window.__ghPasskeys) return;
  window.__ghPasskeys = true;
  const messages = ${messages};
  const buttons = [...document.querySelectorAll("button[data-passkey]")];
  const csrf = document.querySelector("input[name=csrf_token]")?.value ?? "";
  const PKC = window.PublicKeyCredential;
  const supported = Boolean(PKC && PKC.parseCreationOptionsFromJSON && PKC.parseRequestOptionsFromJSON && navigator.credentials);
  const statusOf = (button) => document.getElementById(button.getAttribute("aria-describedby") || "") || null;
  const say = (button, text, isError) => {
    const status = statusOf(button);
    if (!status) return;
    status.textContent = text;
    status.className = isError ? "field-error" : "hint";
  };
  const post = async (url, fields) => {
    const response = await fetch(url, {
      method: "POST",
      credentials: "same-origin",
      headers: { accept: "application/json" },
      body: new URLSearchParams({ csrf_token: csrf, ...fields }),
    });
    const body = await response.json().catch(() => ({}));
    return body && typeof body === "object" ? body : {};
  };
  let conditional = null;
  const ceremony = async (button, mediation) => {
    const fields = JSON.parse(button.dataset.fields || "{}");
    for (const name of (button.dataset.inputs || "").split(" ").filter(Boolean)) {
      const input = document.getElementById(name);
      if (input) fields[input.name] = input.value;
    }
    const started = await post(button.dataset.options, fields);
    if (started.redirect) return location.assign(started.redirect);
    if (!started.options) throw Object.assign(new Error(started.error || messages.failed), { shown: true });
    let credential;
    if (button.dataset.passkey === "create") {
      credential = await navigator.credentials.create({ publicKey: PKC.parseCreationOptionsFromJSON(started.options) });
    } else {
      const controller = new AbortController();
      if (mediation === "conditional") conditional = controller;
      credential = await navigator.credentials.get({ publicKey: PKC.parseRequestOptionsFromJSON(started.options), mediation, signal: controller.signal });
    }
    if (!credential) throw Object.assign(new Error(messages.cancelled), { shown: true });
    const finished = await post(button.dataset.finish, { ...fields, credential: JSON.stringify(credential.toJSON()) });
    if (finished.redirect) return location.assign(finished.redirect);
    throw Object.assign(new Error(finished.error || messages.failed), { shown: true });
  };
  const explain = (button, error) => {
    if (error && error.name === "AbortError") return;
    const text = error && error.shown ? error.message : error && error.name === "NotAllowedError" ? messages.cancelled : messages.failed;
    say(button, text, true);
  };
  for (const button of buttons) {
    const box = button.closest("[data-passkey-box]");
    if (!supported) {
      if (box) box.hidden = true;
      continue;
    }
    if (box) box.hidden = false;
    button.addEventListener("click", async () => {
      conditional?.abort();
      button.disabled = true;
      say(button, messages.working, false);
      try {
        await ceremony(button, "optional");
      } catch (error) {
        explain(button, error);
      } finally {
        button.disabled = false;
      }
    });
    if (button.hasAttribute("data-autofill") && PKC.isConditionalMediationAvailable) {
      PKC.isConditionalMediationAvailable().then((available) => {
        if (available) ceremony(button, "conditional").catch((error) => explain(button, error));
      });
    }
  }
})();`;
}
