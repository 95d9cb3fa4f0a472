import type Database from 'better-sqlite3';
import { openSqlite } from '../../lib/sqlite.js';
import { AuditEvent, type AuditPage } from '@ray-console/shared';
import type { RedisClient } from '../../session/redis-client.js';

/** An event before the store gives it an id. */
export type NewAuditEvent = Omit<AuditEvent, 'id'>;

/** Newest first, strictly older than `before` when given; only one person's events with `person` (a subject). */
export interface AuditPageOptions {
  limit: number;
  before?: string | undefined;
  person?: string | undefined;
}

/**
 * Keeps each cluster's recent audit events, queryable newest first. Retention is bounded per cluster
 * (the newest `maxPerCluster` events): the log output is the durable record; this is the window the
 * console's audit page shows.
 */
export interface AuditStore {
  append(event: NewAuditEvent): Promise<void>;
  page(clusterId: string, options: AuditPageOptions): Promise<AuditPage>;
  close(): Promise<void>;
}

/** Parses a stored event; a row that no longer fits the schema is skipped rather than failing the page. */
function revive(id: string, json: string): AuditEvent | undefined {
  try {
    const parsed = AuditEvent.safeParse({ ...(JSON.parse(json) as object), id });
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}

/** The default store: a table in `audit.db` in the data folder (one host; replicas need Redis). */
export class SqliteAuditStore implements AuditStore {
  private readonly db: Database.Database;
  private readonly stmt: {
    insert: Database.Statement<[string, number, string, string | null]>;
    trim: Database.Statement<[string, string, number]>;
    newest: Database.Statement<[string, number], { seq: number; event: string }>;
    older: Database.Statement<[string, number, number], { seq: number; event: string }>;
    newestBy: Database.Statement<[string, string, number], { seq: number; event: string }>;
    olderBy: Database.Statement<[string, string, number, number], { seq: number; event: string }>;
  };

  constructor(
    file: string,
    private readonly maxPerCluster: number,
  ) {
    this.db = openSqlite(file);
    this.db.exec(
      'CREATE TABLE IF NOT EXISTS audit_events (seq INTEGER PRIMARY KEY AUTOINCREMENT, cluster_id TEXT NOT NULL, time INTEGER NOT NULL, event TEXT NOT NULL);' +
        'CREATE INDEX IF NOT EXISTS audit_events_cluster ON audit_events (cluster_id, seq);',
    );
    // Trails kept by consoles from before events named a person have no person column: add it. Their
    // rows keep NULL there, read as before, and are simply not anyone's when filtering by person.
    const columns = this.db.prepare<[], { name: string }>('PRAGMA table_info(audit_events)').all();
    if (!columns.some((c) => c.name === 'person_subject')) {
      this.db.exec('ALTER TABLE audit_events ADD COLUMN person_subject TEXT');
    }
    this.db.exec(
      'CREATE INDEX IF NOT EXISTS audit_events_person ON audit_events (cluster_id, person_subject, seq) WHERE person_subject IS NOT NULL;',
    );
    this.stmt = {
      insert: this.db.prepare('INSERT INTO audit_events (cluster_id, time, event, person_subject) VALUES (?, ?, ?, ?)'),
      // Everything older than the cluster's newest `maxPerCluster` rows.
      trim: this.db.prepare(
        'DELETE FROM audit_events WHERE cluster_id = ? AND seq <= (SELECT seq FROM audit_events WHERE cluster_id = ? ORDER BY seq DESC LIMIT 1 OFFSET ?)',
      ),
      newest: this.db.prepare('SELECT seq, event FROM audit_events WHERE cluster_id = ? ORDER BY seq DESC LIMIT ?'),
      older: this.db.prepare(
        'SELECT seq, event FROM audit_events WHERE cluster_id = ? AND seq < ? ORDER BY seq DESC LIMIT ?',
      ),
      newestBy: this.db.prepare(
        'SELECT seq, event FROM audit_events WHERE cluster_id = ? AND person_subject = ? ORDER BY seq DESC LIMIT ?',
      ),
      olderBy: this.db.prepare(
        'SELECT seq, event FROM audit_events WHERE cluster_id = ? AND person_subject = ? AND seq < ? ORDER BY seq DESC LIMIT ?',
      ),
    };
  }

  append(event: NewAuditEvent): Promise<void> {
    const { clusterId } = event;
    this.db.transaction(() => {
      this.stmt.insert.run(clusterId, Date.parse(event.time), JSON.stringify(event), event.person?.subject ?? null);
      this.stmt.trim.run(clusterId, clusterId, this.maxPerCluster);
    })();
    return Promise.resolve();
  }

  page(clusterId: string, { limit, before, person }: AuditPageOptions): Promise<AuditPage> {
    // One row more than asked tells whether there is a next page.
    const from = before === undefined ? undefined : Number(before.split('-')[0]);
    const rows =
      person === undefined
        ? from === undefined
          ? this.stmt.newest.all(clusterId, limit + 1)
          : this.stmt.older.all(clusterId, from, limit + 1)
        : from === undefined
          ? this.stmt.newestBy.all(clusterId, person, limit + 1)
          : this.stmt.olderBy.all(clusterId, person, from, limit + 1);
    const events = rows.slice(0, limit).flatMap((r) => revive(String(r.seq), r.event) ?? []);
    const last = rows[limit - 1];
    return Promise.resolve({ events, ...(rows.length > limit && last ? { nextCursor: String(last.seq) } : {}) });
  }

  close(): Promise<void> {
    this.db.close();
    return Promise.resolve();
  }
}

/**
 * With `SESSION_STORE=redis://…`: one Redis stream per cluster (`ray-console:audit:<cluster>`), so every
 * replica writes to and reads from the same trail. Stream ids are time-ordered and stable, which makes
 * them good cursors; `MAXLEN ~` keeps each stream bounded at almost no cost.
 */
export class RedisAuditStore implements AuditStore {
  constructor(
    private readonly client: RedisClient,
    private readonly maxPerCluster: number,
    private readonly prefix = 'ray-console:audit:',
  ) {}

  async append(event: NewAuditEvent): Promise<void> {
    await this.client.xAdd(
      this.prefix + event.clusterId,
      '*',
      { event: JSON.stringify(event) },
      {
        TRIM: { strategy: 'MAXLEN', strategyModifier: '~', threshold: this.maxPerCluster },
      },
    );
  }

  async page(clusterId: string, { limit, before, person }: AuditPageOptions): Promise<AuditPage> {
    // `(id` is an exclusive bound (Redis 6.2+). A bare sequence number from a SQLite cursor means "ms-0".
    let end = before === undefined ? '+' : `(${before.includes('-') ? before : `${before}-0`}`;
    // A stream has no secondary index: one person's events are found by reading it newest first in
    // batches, which the per-cluster bound (AUDIT_MAX_EVENTS_PER_CLUSTER) keeps finite.
    const batch = person === undefined ? limit + 1 : Math.max(200, limit + 1);
    const found: { id: string; event: AuditEvent }[] = [];
    for (;;) {
      const entries = (await this.client.xRevRange(this.prefix + clusterId, end, '-', { COUNT: batch })) ?? [];
      for (const e of entries) {
        const event = typeof e.message.event === 'string' ? revive(e.id, e.message.event) : undefined;
        if (event && (person === undefined || event.person?.subject === person)) found.push({ id: e.id, event });
        if (found.length > limit) break;
      }
      const last = entries.at(-1);
      if (found.length > limit || entries.length < batch || !last) break;
      end = `(${last.id}`;
    }
    const events = found.slice(0, limit).map((f) => f.event);
    const last = found[limit - 1];
    return { events, ...(found.length > limit && last ? { nextCursor: last.id } : {}) };
  }

  close(): Promise<void> {
    // The Redis connection belongs to the process and is closed by whoever opened it.
    return Promise.resolve();
  }
}
