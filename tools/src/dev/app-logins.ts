import type { AppConfig } from '@mpp/config';
import { API_PRIVILEGES, loginOf, PROJECTOR_PRIVILEGES, provisionLoginRole, withLogin, type Knex } from '@mpp/db';

/** Who connects as what (docs/reliability.md "Database roles"). */
export interface AppLogins {
  /** Owns the schema; runs migrations. */
  ownerUrl: string;
  /** The API's DATABASE_URL. */
  apiUrl: string;
  /** The projector's DATABASE_URL. */
  projectorUrl: string;
}

/**
 * The embedded server listens on loopback only and its superuser's password is `postgres` already,
 * so fixed passwords for the apps' logins weaken nothing; what they buy is the apps running with
 * the same least privilege as in production.
 */
const EMBEDDED_LOGINS = {
  api: { user: 'mpp_api_login', password: 'mpp_api_login' },
  projector: { user: 'mpp_projector_login', password: 'mpp_projector_login' },
};

/**
 * The embedded database (`embeddedUrl`, as its superuser): the owner is the superuser, the apps get
 * their own logins. An external one: the URLs configured, each falling back to DATABASE_URL, so a
 * deployment that names only DATABASE_URL runs as one role, as before.
 */
export function appLogins(config: AppConfig, databaseUrl: string, embedded: boolean): AppLogins {
  if (embedded) {
    return {
      ownerUrl: databaseUrl,
      apiUrl: withLogin(databaseUrl, EMBEDDED_LOGINS.api.user, EMBEDDED_LOGINS.api.password),
      projectorUrl: withLogin(databaseUrl, EMBEDDED_LOGINS.projector.user, EMBEDDED_LOGINS.projector.password),
    };
  }
  return {
    ownerUrl: config.DATABASE_OWNER_URL ?? databaseUrl,
    apiUrl: config.API_DATABASE_URL ?? databaseUrl,
    projectorUrl: config.PROJECTOR_DATABASE_URL ?? databaseUrl,
  };
}

/**
 * After migrating, as the owner: each app login that is not the owner itself is created or updated
 * and given its privilege role. Returns one line per login for the log (names, never passwords).
 */
export async function provisionAppLogins(owner: Knex, logins: AppLogins): Promise<string[]> {
  const ownerUser = loginOf(logins.ownerUrl).user;
  const lines: string[] = [];
  for (const [url, privileges] of [
    [logins.apiUrl, API_PRIVILEGES],
    [logins.projectorUrl, PROJECTOR_PRIVILEGES],
  ] as const) {
    const { user } = loginOf(url);
    if (user === ownerUser) {
      lines.push(`${privileges === API_PRIVILEGES ? 'api' : 'projector'} connects as the owner ${user} (no least privilege; docs/reliability.md)`);
      continue;
    }
    await provisionLoginRole(owner, url, privileges);
    lines.push(`login ${user} acts as ${privileges}`);
  }
  return lines;
}
