/** Messages of the totp pages and emails: English is the reference, German is typed against it. */
export const en = {
  "totp.title": "Authenticator app",
  "totp.intro":
    "An authenticator app (such as Aegis, Google Authenticator, Microsoft Authenticator or your password manager) shows a 6-digit code that changes every 30 seconds. We ask for it when you log in.",
  "totp.setup": "Set up an authenticator app",
  "totp.scan": "1. Scan this QR code with your authenticator app.",
  "totp.qrAlt": "QR code to add {brand} to your authenticator app",
  "totp.typeSecret": "Can't scan it? Add an account in the app by hand and enter this key:",
  "totp.openLink": "On this device? Open the key in your authenticator app",
  "totp.enterCode": "2. Enter the 6-digit code the app shows now.",
  "totp.confirm": "Turn on",
  "totp.invalidCode": "That code is not correct. Check that your phone's clock is right and enter the current code.",
  "totp.enabled": "Your authenticator app is on. We will ask for a code when you log in.",
  "totp.enabledSince": "Turned on {date}.",
  "totp.remove": "Remove authenticator app",
  "totp.removeWarning": "After removing it, codes from the app no longer work. You can set it up again at any time.",
  "totp.removed": "The authenticator app was removed.",
  "totp.panelTitle": "Enter the 6-digit code from your authenticator app.",
  "totp.panelSubmit": "Verify",
  "totp.backToAccount": "Back to your account",

  "recovery.title": "Recovery codes",
  "recovery.intro":
    "If you lose your phone, a recovery code logs you in instead. Each code works once. Keep them somewhere safe, for example in your password manager.",
  "recovery.shownOnce": "Save these codes now: we show them only once.",
  "recovery.remaining": "Unused codes left: {count} of {total}.",
  "recovery.none": "You have no unused recovery codes.",
  "recovery.generate": "Create recovery codes",
  "recovery.regenerate": "Create new recovery codes",
  "recovery.regenerateWarning": "New codes replace the old ones: every old code stops working.",
  "recovery.saved": "I have saved my codes",
  "recovery.code": "Recovery code",
  "recovery.panelTitle": "Enter one of the recovery codes you saved.",
  "recovery.panelSubmit": "Verify",
  "recovery.invalid": "That recovery code is not valid or was already used.",

  "email.usedRecoveryCode.subject": "A recovery code was used",
  "email.usedRecoveryCode.text":
    "Hello,\n\na recovery code was just used to log in to your {brand} account. Unused codes left: {remaining}.\n\nIf this was not you, change your password and create new recovery codes now: {link}",
} as const;

export const de: Record<keyof typeof en, string> = {
  "totp.title": "Authenticator-App",
  "totp.intro":
    "Eine Authenticator-App (zum Beispiel Aegis, Google Authenticator, Microsoft Authenticator oder Ihr Passwortmanager) zeigt einen 6-stelligen Code, der sich alle 30 Sekunden ändert. Wir fragen bei der Anmeldung danach.",
  "totp.setup": "Authenticator-App einrichten",
  "totp.scan": "1. Scannen Sie diesen QR-Code mit Ihrer Authenticator-App.",
  "totp.qrAlt": "QR-Code, um {brand} zu Ihrer Authenticator-App hinzuzufügen",
  "totp.typeSecret": "Scannen klappt nicht? Legen Sie in der App ein Konto von Hand an und geben Sie diesen Schlüssel ein:",
  "totp.openLink": "Auf diesem Gerät? Schlüssel in Ihrer Authenticator-App öffnen",
  "totp.enterCode": "2. Geben Sie den 6-stelligen Code ein, den die App gerade anzeigt.",
  "totp.confirm": "Einschalten",
  "totp.invalidCode": "Dieser Code ist nicht korrekt. Prüfen Sie, ob die Uhrzeit Ihres Telefons stimmt, und geben Sie den aktuellen Code ein.",
  "totp.enabled": "Ihre Authenticator-App ist eingeschaltet. Wir fragen bei der Anmeldung nach einem Code.",
  "totp.enabledSince": "Eingeschaltet am {date}.",
  "totp.remove": "Authenticator-App entfernen",
  "totp.removeWarning": "Danach funktionieren Codes aus der App nicht mehr. Sie können sie jederzeit wieder einrichten.",
  "totp.removed": "Die Authenticator-App wurde entfernt.",
  "totp.panelTitle": "Geben Sie den 6-stelligen Code aus Ihrer Authenticator-App ein.",
  "totp.panelSubmit": "Bestätigen",
  "totp.backToAccount": "Zurück zu Ihrem Konto",

  "recovery.title": "Wiederherstellungscodes",
  "recovery.intro":
    "Wenn Sie Ihr Telefon verlieren, melden Sie sich stattdessen mit einem Wiederherstellungscode an. Jeder Code funktioniert einmal. Bewahren Sie sie sicher auf, zum Beispiel in Ihrem Passwortmanager.",
  "recovery.shownOnce": "Speichern Sie diese Codes jetzt: Wir zeigen sie nur dieses eine Mal.",
  "recovery.remaining": "Unbenutzte Codes: {count} von {total}.",
  "recovery.none": "Sie haben keine unbenutzten Wiederherstellungscodes.",
  "recovery.generate": "Wiederherstellungscodes erstellen",
  "recovery.regenerate": "Neue Wiederherstellungscodes erstellen",
  "recovery.regenerateWarning": "Neue Codes ersetzen die alten: Alle bisherigen Codes funktionieren dann nicht mehr.",
  "recovery.saved": "Ich habe meine Codes gespeichert",
  "recovery.code": "Wiederherstellungscode",
  "recovery.panelTitle": "Geben Sie einen der Wiederherstellungscodes ein, die Sie gespeichert haben.",
  "recovery.panelSubmit": "Bestätigen",
  "recovery.invalid": "Dieser Wiederherstellungscode ist ungültig oder wurde schon benutzt.",

  "email.usedRecoveryCode.subject": "Ein Wiederherstellungscode wurde benutzt",
  "email.usedRecoveryCode.text":
    "Hallo,\n\nsoeben wurde ein Wiederherstellungscode benutzt, um sich bei Ihrem {brand}-Konto anzumelden. Unbenutzte Codes: {remaining}.\n\nWaren Sie das nicht, ändern Sie jetzt Ihr Passwort und erstellen Sie neue Wiederherstellungscodes: {link}",
};
