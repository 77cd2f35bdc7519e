/** Messages of the email-login pages and emails: English is the reference, German is typed against it. */
export const en = {
  "emailLogin.codeOption": "Email me a login code",
  "emailLogin.linkOption": "Email me a login link",
  "emailLogin.passwordOption": "Log in with a password instead",

  "emailCode.title": "Log in with a code",
  "emailCode.body": "Enter your email address and we will send you a 6-digit code to log in.",
  "emailCode.send": "Send code",
  "emailCode.enterTitle": "Enter your code",
  "emailCode.sent": "If {email} belongs to an account, we have sent a 6-digit code to it. It is valid for 10 minutes.",
  "emailCode.submit": "Log in",
  "emailCode.resend": "Send a new code",
  "emailCode.invalid": "That code is not valid or has expired. Use the newest code we sent, or ask for a new one.",

  "magicLink.title": "Log in with a link",
  "magicLink.body": "Enter your email address and we will send you a link that logs you in.",
  "magicLink.send": "Send link",
  "magicLink.sentTitle": "Check your email",
  "magicLink.sent": "If {email} belongs to an account, we have sent a login link to it. Open it in this browser; it is valid for 15 minutes.",
  "magicLink.codeHint": "Opened the link on another device? It shows a code there: type it here.",
  "magicLink.codeSubmit": "Log in with the code",
  "magicLink.codeInvalid": "That code is not valid or has expired.",
  "magicLink.noRequest": "This browser has no open login link. Ask for a new one.",
  "magicLink.confirmTitle": "Confirm your login",
  "magicLink.confirmBody": "Log in as {email} in this browser?",
  "magicLink.confirmSubmit": "Log in",
  "magicLink.otherTitle": "Continue on the other device",
  "magicLink.otherBody": "This link was requested in another browser, so it does not log you in here. Type this code on the page where you asked for the link:",
  "magicLink.otherWarning": "Did you not ask for a login link? Then don't type or tell this code to anyone, and ignore the email.",
  "magicLink.invalid": "This login link is invalid, already used or expired. Ask for a new one.",
  "magicLink.newLink": "Ask for a new link",

  "emailMfa.body": "Press the button to get a 6-digit code by email, then enter it here. A new code replaces the previous one.",
  "emailMfa.send": "Email me a code",
  "emailMfa.submit": "Verify",
  "emailMfa.invalid": "That code is not valid or has expired.",

  "email.loginCode.subject": "Your login code: {code}",
  "email.loginCode.text":
    "Hello,\n\nyour {brand} login code is: {code}\n\nIt is valid for {minutes} minutes. If you did not try to log in, ignore this message; nobody can log in without the code.",
  "email.magicLinkLogin.subject": "Your login link",
  "email.magicLinkLogin.text":
    "Hello,\n\nopen this link to log in to {brand}:\n{link}\n\nOpened it on another device? Type this code in the browser where you asked for the link: {code}\n\nThe link is valid for {minutes} minutes and works once. If you did not ask for it, ignore this message.",
  "email.mfaCode.subject": "Your verification code: {code}",
  "email.mfaCode.text":
    "Hello,\n\nyour {brand} verification code is: {code}\n\nIt is valid for {minutes} minutes. Someone (hopefully you) entered your password just now. If this was not you, change your password.",
  "emailSignup.codeOption": "Sign up with a code by email",
  "emailSignup.linkOption": "Sign up with a link by email",
  "emailSignup.codeTitle": "Sign up with an email code",
  "emailSignup.linkTitle": "Sign up with an email link",
  "emailSignup.codeBody": "No password needed: we email you a 6-digit code, and entering it creates your account.",
  "emailSignup.linkBody": "No password needed: we email you a link, and opening it in this browser creates your account.",
  "emailSignup.sendCode": "Email me a code",
  "emailSignup.sendLink": "Email me a link",
  "emailSignup.enterTitle": "Enter your code",
  "emailSignup.codeSent":
    "We sent a 6-digit code to {email}. Enter it here to continue; it is valid for 10 minutes. If the address already has an account, the email is a login code for it.",
  "emailSignup.submit": "Continue",
  "emailSignup.codeInvalid": "That code is not valid or has expired. Use the newest code we sent, or start again.",
  "emailSignup.linkSentTitle": "Check your email",
  "emailSignup.linkSent":
    "We sent a link to {email}. Open it in this browser to continue; it is valid for 15 minutes. If the address already has an account, the email is a login link for it.",
  "emailSignup.codeHint": "Opened the link on another device? It shows a code there: type it here.",
  "emailSignup.confirmTitle": "Finish signing up",
  "emailSignup.confirmBody": "Create the account for {email} and log in?",
  "emailSignup.confirmSubmit": "Create account",
  "emailSignup.otherTitle": "Continue on the other device",
  "emailSignup.otherBody": "This link was requested in another browser, so it does not create an account here. Type this code on the page where you signed up:",
  "emailSignup.otherWarning": "Did you not sign up? Then don't type or tell this code to anyone, and ignore the email.",
  "emailSignup.invalid": "This sign-up link is invalid, already used or expired.",
  "emailSignup.noRequest": "This browser has no sign-up waiting, or it has expired. Please start again.",
  "emailSignup.taken": "An account with this email address exists now. Log in instead.",
  "emailSignup.restart": "Start again",

  "email.signupCode.subject": "Your sign-up code: {code}",
  "email.signupCode.text":
    "Hello,\n\nyour code to create your {brand} account is: {code}\n\nIt is valid for {minutes} minutes. If you did not sign up, ignore this message; no account is created without the code.",
  "email.signupLink.subject": "Finish creating your account",
  "email.signupLink.text":
    "Hello,\n\nopen this link to finish creating your {brand} account:\n{link}\n\nOpened it on another device? Type this code in the browser where you signed up: {code}\n\nThe link is valid for {minutes} minutes and works once. If you did not sign up, ignore this message; no account is created without it.",
} as const;

export const de: Record<keyof typeof en, string> = {
  "emailLogin.codeOption": "Anmeldecode per E-Mail senden",
  "emailLogin.linkOption": "Anmeldelink per E-Mail senden",
  "emailLogin.passwordOption": "Stattdessen mit Passwort anmelden",

  "emailCode.title": "Mit einem Code anmelden",
  "emailCode.body": "Geben Sie Ihre E-Mail-Adresse ein, und wir senden Ihnen einen 6-stelligen Code zur Anmeldung.",
  "emailCode.send": "Code senden",
  "emailCode.enterTitle": "Code eingeben",
  "emailCode.sent": "Falls {email} zu einem Konto gehört, haben wir einen 6-stelligen Code dorthin gesendet. Er ist 10 Minuten gültig.",
  "emailCode.submit": "Anmelden",
  "emailCode.resend": "Neuen Code senden",
  "emailCode.invalid": "Dieser Code ist ungültig oder abgelaufen. Verwenden Sie den neuesten Code oder fordern Sie einen neuen an.",

  "magicLink.title": "Mit einem Link anmelden",
  "magicLink.body": "Geben Sie Ihre E-Mail-Adresse ein, und wir senden Ihnen einen Link, mit dem Sie sich anmelden.",
  "magicLink.send": "Link senden",
  "magicLink.sentTitle": "Sehen Sie in Ihr Postfach",
  "magicLink.sent":
    "Falls {email} zu einem Konto gehört, haben wir einen Anmeldelink dorthin gesendet. Öffnen Sie ihn in diesem Browser; er ist 15 Minuten gültig.",
  "magicLink.codeHint": "Link auf einem anderen Gerät geöffnet? Dort wird ein Code angezeigt: Geben Sie ihn hier ein.",
  "magicLink.codeSubmit": "Mit dem Code anmelden",
  "magicLink.codeInvalid": "Dieser Code ist ungültig oder abgelaufen.",
  "magicLink.noRequest": "Für diesen Browser gibt es keinen offenen Anmeldelink. Fordern Sie einen neuen an.",
  "magicLink.confirmTitle": "Anmeldung bestätigen",
  "magicLink.confirmBody": "In diesem Browser als {email} anmelden?",
  "magicLink.confirmSubmit": "Anmelden",
  "magicLink.otherTitle": "Auf dem anderen Gerät fortfahren",
  "magicLink.otherBody":
    "Dieser Link wurde in einem anderen Browser angefordert und meldet Sie deshalb hier nicht an. Geben Sie diesen Code auf der Seite ein, auf der Sie den Link angefordert haben:",
  "magicLink.otherWarning":
    "Sie haben keinen Anmeldelink angefordert? Dann geben Sie diesen Code nirgends ein, nennen Sie ihn niemandem und ignorieren Sie die E-Mail.",
  "magicLink.invalid": "Dieser Anmeldelink ist ungültig, schon benutzt oder abgelaufen. Fordern Sie einen neuen an.",
  "magicLink.newLink": "Neuen Link anfordern",

  "emailMfa.body": "Fordern Sie mit der Schaltfläche einen 6-stelligen Code per E-Mail an und geben Sie ihn hier ein. Ein neuer Code ersetzt den vorherigen.",
  "emailMfa.send": "Code per E-Mail senden",
  "emailMfa.submit": "Bestätigen",
  "emailMfa.invalid": "Dieser Code ist ungültig oder abgelaufen.",

  "email.loginCode.subject": "Ihr Anmeldecode: {code}",
  "email.loginCode.text":
    "Hallo,\n\nIhr Anmeldecode für {brand} lautet: {code}\n\nEr ist {minutes} Minuten gültig. Wenn Sie sich nicht anmelden wollten, ignorieren Sie diese Nachricht; ohne den Code kann sich niemand anmelden.",
  "email.magicLinkLogin.subject": "Ihr Anmeldelink",
  "email.magicLinkLogin.text":
    "Hallo,\n\nöffnen Sie diesen Link, um sich bei {brand} anzumelden:\n{link}\n\nLink auf einem anderen Gerät geöffnet? Geben Sie diesen Code in dem Browser ein, in dem Sie den Link angefordert haben: {code}\n\nDer Link ist {minutes} Minuten gültig und funktioniert einmal. Wenn Sie ihn nicht angefordert haben, ignorieren Sie diese Nachricht.",
  "email.mfaCode.subject": "Ihr Bestätigungscode: {code}",
  "email.mfaCode.text":
    "Hallo,\n\nIhr Bestätigungscode für {brand} lautet: {code}\n\nEr ist {minutes} Minuten gültig. Soeben hat jemand (hoffentlich Sie) Ihr Passwort eingegeben. Waren Sie das nicht, ändern Sie bitte Ihr Passwort.",
  "emailSignup.codeOption": "Mit einem Code per E-Mail registrieren",
  "emailSignup.linkOption": "Mit einem Link per E-Mail registrieren",
  "emailSignup.codeTitle": "Mit einem E-Mail-Code registrieren",
  "emailSignup.linkTitle": "Mit einem E-Mail-Link registrieren",
  "emailSignup.codeBody": "Kein Passwort nötig: Wir senden Ihnen einen 6-stelligen Code per E-Mail, und mit seiner Eingabe wird Ihr Konto angelegt.",
  "emailSignup.linkBody": "Kein Passwort nötig: Wir senden Ihnen einen Link per E-Mail, und wenn Sie ihn in diesem Browser öffnen, wird Ihr Konto angelegt.",
  "emailSignup.sendCode": "Code per E-Mail senden",
  "emailSignup.sendLink": "Link per E-Mail senden",
  "emailSignup.enterTitle": "Code eingeben",
  "emailSignup.codeSent":
    "Wir haben einen 6-stelligen Code an {email} gesendet. Geben Sie ihn hier ein, um fortzufahren; er ist 10 Minuten gültig. Hat die Adresse bereits ein Konto, ist die E-Mail ein Anmeldecode dafür.",
  "emailSignup.submit": "Weiter",
  "emailSignup.codeInvalid": "Dieser Code ist ungültig oder abgelaufen. Verwenden Sie den neuesten Code oder beginnen Sie von vorn.",
  "emailSignup.linkSentTitle": "Prüfen Sie Ihre E-Mails",
  "emailSignup.linkSent":
    "Wir haben einen Link an {email} gesendet. Öffnen Sie ihn in diesem Browser, um fortzufahren; er ist 15 Minuten gültig. Hat die Adresse bereits ein Konto, ist die E-Mail ein Anmeldelink dafür.",
  "emailSignup.codeHint": "Link auf einem anderen Gerät geöffnet? Dort wird ein Code angezeigt: Geben Sie ihn hier ein.",
  "emailSignup.confirmTitle": "Registrierung abschließen",
  "emailSignup.confirmBody": "Das Konto für {email} anlegen und anmelden?",
  "emailSignup.confirmSubmit": "Konto anlegen",
  "emailSignup.otherTitle": "Auf dem anderen Gerät fortfahren",
  "emailSignup.otherBody":
    "Dieser Link wurde in einem anderen Browser angefordert und legt hier kein Konto an. Geben Sie diesen Code auf der Seite ein, auf der Sie sich registriert haben:",
  "emailSignup.otherWarning":
    "Sie haben sich nicht registriert? Dann geben Sie diesen Code nirgends ein, nennen Sie ihn niemandem und ignorieren Sie die E-Mail.",
  "emailSignup.invalid": "Dieser Registrierungslink ist ungültig, bereits verwendet oder abgelaufen.",
  "emailSignup.noRequest": "In diesem Browser wartet keine Registrierung, oder sie ist abgelaufen. Bitte beginnen Sie von vorn.",
  "emailSignup.taken": "Zu dieser E-Mail-Adresse gibt es inzwischen ein Konto. Melden Sie sich stattdessen an.",
  "emailSignup.restart": "Von vorn beginnen",

  "email.signupCode.subject": "Ihr Registrierungscode: {code}",
  "email.signupCode.text":
    "Hallo,\n\nIhr Code zum Anlegen Ihres Kontos bei {brand} lautet: {code}\n\nEr ist {minutes} Minuten gültig. Wenn Sie sich nicht registriert haben, ignorieren Sie diese Nachricht; ohne den Code wird kein Konto angelegt.",
  "email.signupLink.subject": "Schließen Sie die Kontoerstellung ab",
  "email.signupLink.text":
    "Hallo,\n\nöffnen Sie diesen Link, um Ihr Konto bei {brand} fertig anzulegen:\n{link}\n\nLink auf einem anderen Gerät geöffnet? Geben Sie diesen Code in dem Browser ein, in dem Sie sich registriert haben: {code}\n\nDer Link ist {minutes} Minuten gültig und funktioniert einmal. Wenn Sie sich nicht registriert haben, ignorieren Sie diese Nachricht; ohne ihn wird kein Konto angelegt.",
};
