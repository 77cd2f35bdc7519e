/** Messages of the risk engine: a refused login, and (later) the account page's login history and "this wasn't me". */
export const en = {
  "risk.denied": "We stopped this login because it looked unusual. If it was you, check your email: we told the account owner what happened and what to do.",
} as const;

export const de: Record<keyof typeof en, string> = {
  "risk.denied":
    "Wir haben diese Anmeldung gestoppt, weil sie ungewöhnlich aussah. Wenn Sie es waren, sehen Sie in Ihre E-Mails: Wir haben der Kontoinhaberin bzw. dem Kontoinhaber geschrieben, was passiert ist und was zu tun ist.",
};
