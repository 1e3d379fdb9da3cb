import { createHash } from 'node:crypto';
import type pg from 'pg';
import type {
  Suppression,
  SuppressionList,
  SuppressionTable,
  TableSuppression,
} from '../suppressions/types.js';
import { quoteIdent } from './pg-migrations.js';
import type { PgSession } from './pg-session.js';

const PAGE = 10_000;
/** What the digest of an empty list is, table or not (so the first write creating the table changes nothing). */
const EMPTY_DIGEST = createHash('sha256').update('').digest('hex');

/**
 * The numbers with the microsecond each was added, in a fixed order: a number added, or removed
 * and added again, changes it; a reason does not (it changes nothing that is sent). The times
 * also keep a short list from being found again from a saved plan by trying every number.
 */
const digestSql = (table: string) => `
  SELECT encode(sha256(convert_to(coalesce(string_agg(phone_number || ' ' || (extract(epoch FROM added_at) * 1000000)::bigint::text, E'\\n' ORDER BY phone_number), ''), 'UTF8')), 'hex') AS digest
  FROM ${table} WHERE workspace = $1`;

const ROW_COLUMNS = `phone_number, reason, to_char(added_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"') AS added_at, added_by`;

interface Row {
  phone_number: string;
  reason: string | null;
  added_at: string;
  added_by: string;
}

/** The suppression table of one workspace, over the state's session (one connection, calls in turn). */
export function openPgSuppressionTable(
  session: PgSession,
  schema: string,
  workspace: string,
): SuppressionTable {
  const table = `${quoteIdent(schema)}.suppression`;
  const location = `the suppression table of workspace ${workspace} (schema ${schema})`;

  const exists = async (client: pg.Client): Promise<boolean> =>
    (await client.query<{ found: boolean }>('SELECT to_regclass($1) IS NOT NULL AS found', [table]))
      .rows[0]?.found ?? false;

  /** Runs `fn` over every row in order, in one read-only snapshot (a cursor: a page at a time in memory). */
  const scan = (doing: string, onRow: (row: Row) => void, withDigest: boolean) =>
    session.use(doing, false, async (client) => {
      if (!(await exists(client))) return { count: 0, digest: EMPTY_DIGEST };
      await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
      try {
        const digest = withDigest
          ? ((await client.query<{ digest: string }>(digestSql(table), [workspace])).rows[0]
              ?.digest ?? EMPTY_DIGEST)
          : '';
        await client.query(
          `DECLARE suppression_rows NO SCROLL CURSOR FOR SELECT ${ROW_COLUMNS} FROM ${table} WHERE workspace = $1 ORDER BY phone_number`,
          [workspace],
        );
        let count = 0;
        for (;;) {
          const page = await client.query<Row>(`FETCH ${PAGE} FROM suppression_rows`);
          for (const row of page.rows) onRow(row);
          count += page.rows.length;
          if (page.rows.length < PAGE) break;
        }
        await client.query('COMMIT');
        return { count, digest };
      } catch (error) {
        await client.query('ROLLBACK').catch(() => undefined);
        throw error;
      }
    });

  return {
    location,
    files: [],
    read: async (): Promise<SuppressionList> => {
      const numbers = new Map<string, Suppression>();
      // Many rows share a reason and a day: one record each, so a million rows stay small.
      const shared = new Map<string, Suppression>();
      const { digest } = await scan(
        'read the suppression table',
        (row) => {
          const date = row.added_at.slice(0, 10);
          const key = `${row.reason ?? ''}\u0000${date}`;
          let why = shared.get(key);
          if (!why) {
            why = { source: 'table', date, ...(row.reason === null ? {} : { reason: row.reason }) };
            shared.set(key, why);
          }
          numbers.set(row.phone_number, why);
        },
        true,
      );
      return { numbers, diagnostics: [], digest };
    },
    digest: () =>
      session.use('read the suppression table', false, async (client) => {
        if (!(await exists(client))) return EMPTY_DIGEST;
        return (
          (await client.query<{ digest: string }>(digestSql(table), [workspace])).rows[0]?.digest ??
          EMPTY_DIGEST
        );
      }),
    add: (entries, by) =>
      session.use('add to the suppression table', true, async (client) => {
        await client.query('BEGIN');
        try {
          let added = 0;
          for (let i = 0; i < entries.length; i += PAGE) {
            const page = entries.slice(i, i + PAGE);
            const result = await client.query(
              `INSERT INTO ${table} (workspace, phone_number, reason, added_by)
               SELECT $1, n, r, $4 FROM unnest($2::text[], $3::text[]) AS u(n, r)
               ON CONFLICT (workspace, phone_number) DO NOTHING`,
              [workspace, page.map((e) => e.phoneNumber), page.map((e) => e.reason ?? null), by],
            );
            added += result.rowCount ?? 0;
          }
          await client.query('COMMIT');
          return added;
        } catch (error) {
          await client.query('ROLLBACK').catch(() => undefined);
          throw error;
        }
      }),
    remove: (numbers) =>
      session.use('remove from the suppression table', true, async (client) => {
        const result = await client.query<{ phone_number: string }>(
          `DELETE FROM ${table} WHERE workspace = $1 AND phone_number = ANY($2::text[]) RETURNING phone_number`,
          [workspace, [...numbers]],
        );
        return result.rows.map((r) => r.phone_number);
      }),
    list: async (onRow: (row: TableSuppression) => void) =>
      (
        await scan(
          'read the suppression table',
          (row) => {
            onRow({
              phoneNumber: row.phone_number,
              addedAt: row.added_at,
              addedBy: row.added_by,
              ...(row.reason === null ? {} : { reason: row.reason }),
            });
          },
          false,
        )
      ).count,
  };
}
