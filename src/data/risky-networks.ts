/**
 * Autonomous systems whose addresses are mostly servers, not people: cloud and hosting providers, and
 * networks that mainly carry VPN and anonymising traffic. A login from one is not wrong (developers, company
 * VPNs) but is how credential stuffing and session thieves usually arrive. Sourced from the providers'
 * published ASNs; update it by editing this file (one entry per line), and operators add their own through
 * `PUT /admin/v1/settings/risk` (`hosting_asns`, `anonymizer_asns`) without a release. See docs/risk.md.
 */
export const HOSTING_ASNS: ReadonlySet<number> = new Set([
  16509, // Amazon AWS
  14618, // Amazon AWS (us-east)
  8987, // Amazon (EU)
  396982, // Google Cloud
  19527, // Google (cloud)
  8075, // Microsoft Azure
  8068, // Microsoft (cloud)
  31898, // Oracle Cloud
  14061, // DigitalOcean
  63949, // Akamai Linode
  20473, // Vultr / Choopa
  16276, // OVHcloud
  24940, // Hetzner
  213230, // Hetzner Cloud
  51167, // Contabo
  12876, // Scaleway
  60781, // Leaseweb Netherlands
  28753, // Leaseweb Germany
  30633, // Leaseweb USA
  45102, // Alibaba Cloud
  132203, // Tencent Cloud
  37963, // Alibaba (China)
  36352, // ColoCrossing
  46606, // Unified Layer
  62567, // DigitalOcean (NY)
  200651, // Flokinet
  197540, // netcup
  40021, // Contabo (US)
  35540, // OVH (FR) telecom
  8100, // QuadraNet
  55286, // ServerMania
  29802, // HIVELOCITY
  11878, // tzulo
  398101, // GoDaddy cloud
  26496, // GoDaddy
  53667, // FranTech / BuyVM
]);

export const ANONYMIZER_ASNS: ReadonlySet<number> = new Set([
  9009, // M247 (many VPN exits)
  60068, // Datacamp / CDN77 (many VPN exits)
  212238, // Datacamp
  39351, // 31173 Services (Mullvad)
  62371, // Proton AG
  136787, // TEFINCOM (NordVPN)
  147049, // PacketHub (NordVPN)
  207137, // PacketHub
  43350, // NForce (VPN and Tor exits)
  60729, // Stiftung Erneuerbare Freiheit (Tor exits)
]);
