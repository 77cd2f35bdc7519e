import type { PageContext } from "./layout";

/**
 * Progressive enhancement: a live strength hint under the new-password field. Only a guide;
 * the server's checks (length, common passwords, email) decide.
 */
export function strengthMeterScript(page: PageContext): string {
  const labels = JSON.stringify([0, 1, 2, 3, 4].map((n) => page.t(`common.strength.${n}` as "common.strength.0")));
  return `(() => {
  const input = document.getElementById("password"), meter = document.getElementById("strength"), text = document.getElementById("strength-text");
  if (!input || !meter || !text) return;
  const labels = ${labels.replace(/</g, "\\u003c")};
  input.addEventListener("input", () => {
    const v = input.value, len = [...v].length;
    const classes = [/[a-z]/, /[A-Z]/, /[0-9]/, /[^A-Za-z0-9]/].filter((r) => r.test(v)).length;
    const unique = new Set(v).size;
    let score = len === 0 ? 0 : Math.min(4, Math.floor(len / 5) + (classes >= 3 ? 1 : 0) - (unique < 4 ? 2 : 0));
    score = Math.max(0, score);
    meter.hidden = len === 0; meter.value = score; text.textContent = len === 0 ? "" : labels[score];
  });
})();`;
}
