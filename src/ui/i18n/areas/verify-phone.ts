/** Messages of the phone-verification step of a sign-up or login journey (`/verify/phone`). */
export const en = {
  "verifyPhone.title": "Verify your mobile number",
  "verifyPhone.intro": "We text a 6-digit code to your mobile number. Entering it here confirms the number belongs to you.",
  "verifyPhone.required": "{client} needs a verified mobile number before you can continue.",
  "verifyPhone.sendCode": "Text me a code",
  "verifyPhone.sent": "We texted a code to {phone}. Enter it below.",
  "verifyPhone.confirm": "Verify number",
  "verifyPhone.resend": "Send the code again",
  "verifyPhone.otherNumber": "Use another number",
  "verifyPhone.skip": "Not now",
  "verifyPhone.done": "Your mobile number is verified.",
  "verifyPhone.offer": "Verify a mobile number by text message too",
} as const;

export const de: Record<keyof typeof en, string> = {
  "verifyPhone.title": "Handynummer bestätigen",
  "verifyPhone.intro": "Wir senden einen 6-stelligen Code per SMS an Ihre Handynummer. Mit der Eingabe hier bestätigen Sie, dass die Nummer Ihnen gehört.",
  "verifyPhone.required": "{client} benötigt eine bestätigte Handynummer, bevor Sie fortfahren können.",
  "verifyPhone.sendCode": "Code per SMS senden",
  "verifyPhone.sent": "Wir haben einen Code an {phone} gesendet. Geben Sie ihn unten ein.",
  "verifyPhone.confirm": "Nummer bestätigen",
  "verifyPhone.resend": "Code erneut senden",
  "verifyPhone.otherNumber": "Andere Nummer verwenden",
  "verifyPhone.skip": "Später",
  "verifyPhone.done": "Ihre Handynummer ist bestätigt.",
  "verifyPhone.offer": "Zusätzlich eine Handynummer per SMS bestätigen",
} as const;
