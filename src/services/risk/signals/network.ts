import { ANONYMIZER_ASNS, HOSTING_ASNS } from "../../../data/risky-networks";
import type { EdgeFacts } from "../../../lib/edge-facts";
import { type RiskReason, reason } from "../vocabulary";

/** Operators' additions to the bundled network lists. */
export interface NetworkLists {
  hostingAsns: readonly number[];
  anonymizerAsns: readonly number[];
}

export interface NetworkSignals {
  hosting: boolean;
  anonymizer: boolean;
  /** Bot Management score (1 = automated … 99 = human) when the plan provides it. */
  botScore: number | null;
  tlsVersion: string | null;
  ja3: string | null;
  ja4: string | null;
}

const BOT_CERTAIN_BELOW = 10;
const BOT_LIKELY_BELOW = 30;
const LEGACY_TLS = new Set(["TLSv1", "TLSv1.0", "TLSv1.1", "SSLv3"]);

/** Whether an ASN mostly carries VPN or anonymising traffic (its addresses say nothing about where people are). */
export function isAnonymizerAsn(asn: number | null, lists: NetworkLists): boolean {
  return asn !== null && (ANONYMIZER_ASNS.has(asn) || lists.anonymizerAsns.includes(asn));
}

export function networkSignals(edge: EdgeFacts, lists: NetworkLists): { signals: NetworkSignals; reasons: RiskReason[] } {
  const asn = edge.asn;
  const anonymizer = isAnonymizerAsn(asn, lists);
  const hosting = !anonymizer && asn !== null && (HOSTING_ASNS.has(asn) || lists.hostingAsns.includes(asn));
  const reasons: RiskReason[] = [];
  if (anonymizer) reasons.push(reason("anonymizer_network"));
  if (hosting) reasons.push(reason("hosting_network"));
  // Score 0 means "not scored" (e.g. internal traffic); it is no bot signal.
  if (edge.botScore !== null && edge.botScore > 0) {
    if (edge.botScore < BOT_CERTAIN_BELOW) reasons.push(reason("bot_certain"));
    else if (edge.botScore < BOT_LIKELY_BELOW) reasons.push(reason("bot_likely"));
  }
  if (edge.tlsVersion && LEGACY_TLS.has(edge.tlsVersion)) reasons.push(reason("legacy_tls"));
  return { signals: { hosting, anonymizer, botScore: edge.botScore, tlsVersion: edge.tlsVersion, ja3: edge.ja3, ja4: edge.ja4 }, reasons };
}
