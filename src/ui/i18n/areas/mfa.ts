/** Messages of the mfa pages and emails: English is the reference, German is typed against it. */
export const en = {} as const;

export const de: Record<keyof typeof en, string> = {};
