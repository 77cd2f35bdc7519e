/** Messages of branded pages: legal links and the verification an app requires. */
export const en = {
  "branding.terms": "Terms of service",
  "branding.privacy": "Privacy policy",
  "branding.verifyRequired.title": "Verify your email address",
  "branding.verifyRequired.body": "{client} needs a verified email address before you can continue. We sent a link and a code to {email}.",
  "branding.verifyRequired.phoneTitle": "Verify your phone number",
  "branding.verifyRequired.phoneBody":
    "{client} needs a verified phone number before you can continue. Add and confirm your number on your account page, then come back.",
  "branding.verifyRequired.resend": "Send a new link",
  "branding.verifyRequired.continue": "I have verified, continue",
  "branding.verifyRequired.notYet": "Your address is not verified yet. Open the link in the email or enter the code.",
  "branding.verifyRequired.phoneLink": "Add a phone number",
} as const;

export const de: Record<keyof typeof en, string> = {
  "branding.terms": "Nutzungsbedingungen",
  "branding.privacy": "Datenschutzerklärung",
  "branding.verifyRequired.title": "Bestätigen Sie Ihre E-Mail-Adresse",
  "branding.verifyRequired.body":
    "{client} benötigt eine bestätigte E-Mail-Adresse, bevor Sie fortfahren können. Wir haben einen Link und einen Code an {email} gesendet.",
  "branding.verifyRequired.phoneTitle": "Bestätigen Sie Ihre Telefonnummer",
  "branding.verifyRequired.phoneBody":
    "{client} benötigt eine bestätigte Telefonnummer, bevor Sie fortfahren können. Fügen Sie Ihre Nummer auf Ihrer Kontoseite hinzu, bestätigen Sie sie und kommen Sie dann zurück.",
  "branding.verifyRequired.resend": "Neuen Link senden",
  "branding.verifyRequired.continue": "Ich habe bestätigt, weiter",
  "branding.verifyRequired.notYet": "Ihre Adresse ist noch nicht bestätigt. Öffnen Sie den Link in der E-Mail oder geben Sie den Code ein.",
  "branding.verifyRequired.phoneLink": "Telefonnummer hinzufügen",
};
