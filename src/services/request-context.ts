import type { EdgeFacts } from "../lib/edge-facts";
import type { Theme } from "../ui/theme";

/** Who is asking: recorded with audit events and sessions. */
export interface RequestContext {
  ip: string | null;
  userAgent: string | null;
  country: string | null;
  /** The edge's facts about the connection (`request.cf`), neutral when absent. */
  edge: EdgeFacts;
  requestId: string;
  locale: "en" | "de";
  /** The branding of the app the visitor came from (hosted pages), so emails sent now carry it. */
  theme?: Theme;
}
