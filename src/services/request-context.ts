/** Who is asking: recorded with audit events and sessions. */
export interface RequestContext {
  ip: string | null;
  userAgent: string | null;
  country: string | null;
  requestId: string;
  locale: "en" | "de";
}
