// The PostgreSQL the shared-state tests run against (127.0.0.1:5432, database `test`, trust
// authentication): whether it answers, and the failing test JG_REQUIRE_SERVICES=1 asks for when not.

import pg from 'pg';
import { expect, it } from 'vitest';

export const POSTGRES_URL = 'postgres://postgres@127.0.0.1:5432/test';

async function postgresAnswers(): Promise<boolean> {
  const probe = new pg.Client({ connectionString: POSTGRES_URL, connectionTimeoutMillis: 1_000, query_timeout: 1_000 });
  probe.on('error', () => undefined);
  try {
    await probe.connect();
    return (await probe.query('SELECT 1 AS one')).rows[0]?.one === 1;
  } catch {
    return false;
  } finally {
    await probe.end().catch(() => undefined);
  }
}

/** Whether PostgreSQL answers; when it does not, says so for `file`, and fails instead of skipping under JG_REQUIRE_SERVICES=1 (as CI runs). */
export async function postgresForTests(file: string): Promise<boolean> {
  const required = process.env.JG_REQUIRE_SERVICES === '1';
  const available = await postgresAnswers();
  if (!available) console.warn(`${file}: no PostgreSQL answers at ${POSTGRES_URL}; ${required ? 'JG_REQUIRE_SERVICES=1 makes that a failure' : 'its tests are skipped'}.`);
  it.runIf(!available && required)(`finds PostgreSQL at ${POSTGRES_URL}, as JG_REQUIRE_SERVICES=1 requires`, () => {
    expect.fail(`No PostgreSQL answers at ${POSTGRES_URL}: start it, or unset JG_REQUIRE_SERVICES to skip the shared-state tests.`);
  });
  return available;
}
