import type { FactorKind } from "../../../services/auth/methods";
import type { SecurityOverview } from "../../../services/auth/security-overview";
import { CsrfField } from "../../components";
import type { MessageKey } from "../../i18n";
import type { PageContext } from "../../layout";

/** Each way to log in or confirm a login, whether it is set up, and the page that manages it. */
export function SecuritySection(props: { page: PageContext; overview: SecurityOverview }) {
  const { t } = props.page;
  const { overview } = props;
  const rows: { factor: FactorKind; href: string; on: boolean; detail: string | null }[] = [
    { factor: "passkey", href: "/account/passkeys", on: overview.passkeys > 0, detail: overview.passkeys > 0 ? String(overview.passkeys) : null },
    { factor: "totp", href: "/account/totp", on: overview.totp, detail: null },
    {
      factor: "recovery_code",
      href: "/account/recovery-codes",
      on: overview.recoveryCodes > 0,
      detail: overview.recoveryCodes > 0 ? String(overview.recoveryCodes) : null,
    },
    { factor: "sms", href: "/account/phone", on: overview.phoneVerified, detail: overview.phoneVerified ? overview.phone : null },
    { factor: "push", href: "/account/push", on: overview.push > 0, detail: overview.push > 0 ? String(overview.push) : null },
  ];
  return (
    <section class="card" aria-labelledby="security-heading">
      <h2 id="security-heading">{t("security.title")}</h2>
      <p>{t("security.intro")}</p>
      <table>
        <tbody>
          {rows.map((row) => (
            <tr data-factor={row.factor}>
              <th scope="row">{t(`mfa.factor.${row.factor}` as MessageKey)}</th>
              <td>
                {row.on ? t("security.on") : t("security.off")}
                {row.detail ? ` (${row.detail})` : null}
              </td>
              <td>
                <a href={row.href}>{row.on ? t("security.manage") : t("security.setUp")}</a>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {overview.choices.length > 1 ? (
        <form method="post" action="/account/security/preferred">
          <CsrfField token={props.page.csrfToken} />
          <label for="preferred-factor">{t("security.preferred")}</label>
          <select id="preferred-factor" name="factor">
            {overview.choices.map((kind) => (
              <option value={kind} selected={kind === (overview.preferred ?? overview.choices[0])}>
                {t(`mfa.factor.${kind}` as MessageKey)}
              </option>
            ))}
          </select>
          <button type="submit" class="secondary">
            {t("common.save")}
          </button>
        </form>
      ) : null}
    </section>
  );
}
