/**
 * Messages of the risk engine as customers meet it: a refused login, the owner's notifications with
 * "this wasn't me", the report page, the account's sign-in history and the Turnstile check.
 * `risk.reason.*` say each reason code of services/risk/vocabulary.ts in the customer's words.
 */
export const en = {
  "risk.denied": "We stopped this login because it looked unusual. If it was you, check your email: we told the account owner what happened and what to do.",

  "risk.reason.new_device": "a device this account never signed in from",
  "risk.reason.device_mismatch": "a known device that suddenly looked like a different browser or system",
  "risk.reason.new_country": "a country this account never signed in from",
  "risk.reason.new_network": "an internet provider this account never signed in from",
  "risk.reason.impossible_travel": "too far from your last sign-in for the time between them",
  "risk.reason.hosting_network": "a hosting or cloud network rather than a home or mobile connection",
  "risk.reason.anonymizer_network": "a VPN or anonymising network",
  "risk.reason.bot_likely": "signs of an automated program",
  "risk.reason.bot_certain": "clear signs of an automated program",
  "risk.reason.legacy_tls": "an outdated, insecure connection",
  "risk.reason.account_failures": "recent failed attempts to sign in to this account",
  "risk.reason.account_many_sources": "failed attempts on this account from many places",
  "risk.reason.source_failures": "recent failed sign-ins from the same connection",
  "risk.reason.source_many_accounts": "failed sign-ins on several accounts from the same connection",
  "risk.reason.failure_surge": "an unusual number of failed sign-ins across our service",
  "risk.reason.signup_surge": "an unusual number of sign-ups across our service",
  "risk.reason.common_password": "a password that is on a list of common or leaked passwords",
  "risk.reason.recent_password_reset": "a password reset in the last 24 hours",
  "risk.reason.recent_factor_added": "a sign-in method added in the last 24 hours",
  "risk.reason.push_denied": "a sign-in approval you denied in the last 24 hours",
  "risk.reason.passkey_counter_regression": "a passkey that may have been copied",
  "risk.reason.unusual_hour": "an unusual time of day for you",
  "risk.reason.dormant_account": "the first sign-in after a long time",
  "risk.reason.passkey": "a passkey (this made the sign-in safer)",
  "risk.reason.none": "nothing unusual",

  "risk.place": "{city}, {country}",
  "risk.place.unknown": "unknown place",
  "risk.device": "{browser} on {os}",
  "risk.device.unknown": "an unknown device",
  "risk.method.federated": "Another provider's account",

  "email.riskNewDevice.subject": "New sign-in to your {brand} account",
  "email.riskNewDevice.text":
    "Hello,\n\nyour {brand} account was just signed in to from a device it was never used on before.\n\nWhen: {time}\nWhere: {place}\nDevice: {device}\nMethod: {method}\nWhat we noticed: {reasons}\n\nIf this was you, there is nothing to do.\nIf this wasn't you, open this link. We will sign that device out, along with every other session, and help you choose a new password:\n{reportLink}\n\nThe link works once and for 7 days.",
  "email.riskSuspicious.subject": "Unusual sign-in to your {brand} account",
  "email.riskSuspicious.text":
    "Hello,\n\nyour {brand} account was just signed in to, and the sign-in looked unusual.\n\nWhen: {time}\nWhere: {place}\nDevice: {device}\nMethod: {method}\nWhat we noticed: {reasons}\n\nIf this was you, there is nothing to do.\nIf this wasn't you, open this link. We will sign that device out, along with every other session, and help you choose a new password:\n{reportLink}\n\nThe link works once and for 7 days.",
  "email.riskDenied.subject": "We blocked a sign-in to your {brand} account",
  "email.riskDenied.text":
    "Hello,\n\nsomeone just got past the first step of signing in to your {brand} account, but the sign-in looked so unusual that we blocked it.\n\nWhen: {time}\nWhere: {place}\nDevice: {device}\nMethod: {method}\nWhat we noticed: {reasons}\n\nIf this was you, try again from a device and network you usually use.\nIf this wasn't you, someone may know your password. Open this link to sign out every session and choose a new password:\n{reportLink}\n\nThe link works once and for 7 days.",

  "risk.report.title": "This wasn't me",
  "risk.report.confirm":
    "You are reporting the sign-in of {time} ({place}, {device}). We will sign out every session of your account and let you choose a new password.",
  "risk.report.submit": "Sign out everywhere and secure my account",
  "risk.report.done":
    "Done: every session of your account is signed out and apps must sign in again. Now choose a new password; the link below works once, for 30 minutes.",
  "risk.report.choosePassword": "Choose a new password",
  "risk.report.invalid": "This link is invalid. Use the link from the newest email we sent you.",
  "risk.report.gone": "This link was already used or has expired. If you think someone else is using your account, reset your password now.",

  "risk.activity.title": "Recent sign-ins",
  "risk.activity.intro": "The last sign-ins to your account and what we did about each. Something you don't recognise? Reset your password.",
  "risk.activity.link": "Recent sign-ins",
  "risk.activity.empty": "No sign-ins yet.",
  "risk.activity.newDeviceIn": "New device in {place}",
  "risk.activity.signInFrom": "Sign-in from {place}",
  "risk.activity.newDevice": "New device",
  "risk.activity.signIn": "Sign-in",
  "risk.activity.allow": "signed in",
  "risk.activity.step_up": "we asked for a second factor",
  "risk.activity.step_up_unusual": "marked as unusual",
  "risk.activity.blocked": "Blocked: {what}",
  "risk.activity.reasons": "What we noticed: {reasons}",
  "risk.activity.reported": "You reported this sign-in.",
  "risk.activity.when": "When",
  "risk.activity.device": "Device",
  "risk.activity.resetPassword": "Reset your password",

  "risk.turnstile.required": "Please confirm you are a person, then send the form again.",
  "risk.turnstile.failed": "We could not confirm you are a person. Please try the check again.",
} as const;

export const de: Record<keyof typeof en, string> = {
  "risk.denied":
    "Wir haben diese Anmeldung gestoppt, weil sie ungewöhnlich aussah. Wenn Sie es waren, sehen Sie in Ihre E-Mails: Wir haben der Kontoinhaberin bzw. dem Kontoinhaber geschrieben, was passiert ist und was zu tun ist.",

  "risk.reason.new_device": "ein Gerät, von dem aus sich dieses Konto noch nie angemeldet hat",
  "risk.reason.device_mismatch": "ein bekanntes Gerät, das plötzlich wie ein anderer Browser oder ein anderes System aussah",
  "risk.reason.new_country": "ein Land, aus dem sich dieses Konto noch nie angemeldet hat",
  "risk.reason.new_network": "ein Internetanbieter, über den sich dieses Konto noch nie angemeldet hat",
  "risk.reason.impossible_travel": "zu weit von Ihrer letzten Anmeldung entfernt für die Zeit dazwischen",
  "risk.reason.hosting_network": "ein Hosting- oder Cloud-Netz statt eines Heim- oder Mobilfunkanschlusses",
  "risk.reason.anonymizer_network": "ein VPN oder Anonymisierungsnetz",
  "risk.reason.bot_likely": "Anzeichen für ein automatisiertes Programm",
  "risk.reason.bot_certain": "deutliche Anzeichen für ein automatisiertes Programm",
  "risk.reason.legacy_tls": "eine veraltete, unsichere Verbindung",
  "risk.reason.account_failures": "kürzlich gescheiterte Anmeldeversuche bei diesem Konto",
  "risk.reason.account_many_sources": "gescheiterte Anmeldeversuche bei diesem Konto von vielen Orten aus",
  "risk.reason.source_failures": "kürzlich gescheiterte Anmeldungen über dieselbe Verbindung",
  "risk.reason.source_many_accounts": "gescheiterte Anmeldungen bei mehreren Konten über dieselbe Verbindung",
  "risk.reason.failure_surge": "ungewöhnlich viele gescheiterte Anmeldungen bei unserem Dienst",
  "risk.reason.signup_surge": "ungewöhnlich viele Registrierungen bei unserem Dienst",
  "risk.reason.common_password": "ein Passwort, das auf einer Liste häufiger oder geleakter Passwörter steht",
  "risk.reason.recent_password_reset": "ein Zurücksetzen des Passworts in den letzten 24 Stunden",
  "risk.reason.recent_factor_added": "eine in den letzten 24 Stunden hinzugefügte Anmeldemethode",
  "risk.reason.push_denied": "eine Anmeldebestätigung, die Sie in den letzten 24 Stunden abgelehnt haben",
  "risk.reason.passkey_counter_regression": "ein Passkey, der möglicherweise kopiert wurde",
  "risk.reason.unusual_hour": "eine für Sie ungewöhnliche Tageszeit",
  "risk.reason.dormant_account": "die erste Anmeldung seit langer Zeit",
  "risk.reason.passkey": "ein Passkey (das hat die Anmeldung sicherer gemacht)",
  "risk.reason.none": "nichts Ungewöhnliches",

  "risk.place": "{city}, {country}",
  "risk.place.unknown": "unbekannter Ort",
  "risk.device": "{browser} unter {os}",
  "risk.device.unknown": "ein unbekanntes Gerät",
  "risk.method.federated": "Konto eines anderen Anbieters",

  "email.riskNewDevice.subject": "Neue Anmeldung bei Ihrem {brand}-Konto",
  "email.riskNewDevice.text":
    "Hallo,\n\nbei Ihrem {brand}-Konto hat sich gerade jemand von einem Gerät aus angemeldet, das noch nie dafür verwendet wurde.\n\nWann: {time}\nWo: {place}\nGerät: {device}\nMethode: {method}\nWas uns aufgefallen ist: {reasons}\n\nWenn Sie das waren, ist nichts zu tun.\nWenn Sie das nicht waren, öffnen Sie diesen Link. Wir melden dieses Gerät und alle anderen Sitzungen ab und helfen Ihnen, ein neues Passwort zu wählen:\n{reportLink}\n\nDer Link funktioniert einmal und 7 Tage lang.",
  "email.riskSuspicious.subject": "Ungewöhnliche Anmeldung bei Ihrem {brand}-Konto",
  "email.riskSuspicious.text":
    "Hallo,\n\nbei Ihrem {brand}-Konto hat sich gerade jemand angemeldet, und die Anmeldung sah ungewöhnlich aus.\n\nWann: {time}\nWo: {place}\nGerät: {device}\nMethode: {method}\nWas uns aufgefallen ist: {reasons}\n\nWenn Sie das waren, ist nichts zu tun.\nWenn Sie das nicht waren, öffnen Sie diesen Link. Wir melden dieses Gerät und alle anderen Sitzungen ab und helfen Ihnen, ein neues Passwort zu wählen:\n{reportLink}\n\nDer Link funktioniert einmal und 7 Tage lang.",
  "email.riskDenied.subject": "Wir haben eine Anmeldung bei Ihrem {brand}-Konto blockiert",
  "email.riskDenied.text":
    "Hallo,\n\njemand hat gerade den ersten Schritt der Anmeldung bei Ihrem {brand}-Konto geschafft, aber die Anmeldung sah so ungewöhnlich aus, dass wir sie blockiert haben.\n\nWann: {time}\nWo: {place}\nGerät: {device}\nMethode: {method}\nWas uns aufgefallen ist: {reasons}\n\nWenn Sie das waren, versuchen Sie es erneut von einem Gerät und Netz aus, das Sie sonst auch nutzen.\nWenn Sie das nicht waren, kennt jemand möglicherweise Ihr Passwort. Öffnen Sie diesen Link, um alle Sitzungen abzumelden und ein neues Passwort zu wählen:\n{reportLink}\n\nDer Link funktioniert einmal und 7 Tage lang.",

  "risk.report.title": "Das war ich nicht",
  "risk.report.confirm":
    "Sie melden die Anmeldung vom {time} ({place}, {device}). Wir melden alle Sitzungen Ihres Kontos ab und lassen Sie ein neues Passwort wählen.",
  "risk.report.submit": "Überall abmelden und mein Konto sichern",
  "risk.report.done":
    "Erledigt: Alle Sitzungen Ihres Kontos sind abgemeldet, und Apps müssen sich neu anmelden. Wählen Sie jetzt ein neues Passwort; der Link unten funktioniert einmal und 30 Minuten lang.",
  "risk.report.choosePassword": "Neues Passwort wählen",
  "risk.report.invalid": "Dieser Link ist ungültig. Verwenden Sie den Link aus der neuesten E-Mail, die wir Ihnen geschickt haben.",
  "risk.report.gone":
    "Dieser Link wurde bereits verwendet oder ist abgelaufen. Wenn Sie glauben, dass jemand anderes Ihr Konto nutzt, setzen Sie jetzt Ihr Passwort zurück.",

  "risk.activity.title": "Letzte Anmeldungen",
  "risk.activity.intro":
    "Die letzten Anmeldungen bei Ihrem Konto und was wir jeweils getan haben. Erkennen Sie etwas nicht wieder? Setzen Sie Ihr Passwort zurück.",
  "risk.activity.link": "Letzte Anmeldungen",
  "risk.activity.empty": "Noch keine Anmeldungen.",
  "risk.activity.newDeviceIn": "Neues Gerät in {place}",
  "risk.activity.signInFrom": "Anmeldung aus {place}",
  "risk.activity.newDevice": "Neues Gerät",
  "risk.activity.signIn": "Anmeldung",
  "risk.activity.allow": "angemeldet",
  "risk.activity.step_up": "wir haben nach einem zweiten Faktor gefragt",
  "risk.activity.step_up_unusual": "als ungewöhnlich markiert",
  "risk.activity.blocked": "Blockiert: {what}",
  "risk.activity.reasons": "Was uns aufgefallen ist: {reasons}",
  "risk.activity.reported": "Sie haben diese Anmeldung gemeldet.",
  "risk.activity.when": "Wann",
  "risk.activity.device": "Gerät",
  "risk.activity.resetPassword": "Passwort zurücksetzen",

  "risk.turnstile.required": "Bitte bestätigen Sie, dass Sie ein Mensch sind, und senden Sie das Formular dann erneut.",
  "risk.turnstile.failed": "Wir konnten nicht bestätigen, dass Sie ein Mensch sind. Bitte versuchen Sie die Prüfung erneut.",
};
