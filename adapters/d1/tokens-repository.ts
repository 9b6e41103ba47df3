/** API tokens in D1: lookup by hash for authentication, and admin management. Secrets are never stored. */
import { and, desc, eq, isNull, lt, or, gt } from 'drizzle-orm';
import { drizzle } from 'drizzle-orm/d1';
import { generateApiToken, hashApiToken, tokenHint } from '../../core/auth/api-token';
import type { Role } from '../../core/auth/roles';
import { apiTokens } from './schema';

export type ApiTokenRow = typeof apiTokens.$inferSelect;
export type ApiTokenView = Omit<ApiTokenRow, 'tokenHash'>;

/** last_used_at is written at most this often per token, so authentication stays a read on the hot path. */
const touchIntervalMs = 5 * 60_000;

export class TokensRepository {
  private readonly orm;

  constructor(db: D1Database) {
    this.orm = drizzle(db);
  }

  async findActiveByHash(tokenHash: string, now: Date): Promise<ApiTokenRow | null> {
    const iso = now.toISOString();
    const row = await this.orm
      .select()
      .from(apiTokens)
      .where(
        and(eq(apiTokens.tokenHash, tokenHash), isNull(apiTokens.revokedAt), or(isNull(apiTokens.expiresAt), gt(apiTokens.expiresAt, iso))),
      )
      .get();
    return row ?? null;
  }

  async touch(row: ApiTokenRow, now: Date): Promise<void> {
    if (row.lastUsedAt && now.getTime() - Date.parse(row.lastUsedAt) < touchIntervalMs) return;
    const cutoff = new Date(now.getTime() - touchIntervalMs).toISOString();
    await this.orm
      .update(apiTokens)
      .set({ lastUsedAt: now.toISOString() })
      .where(and(eq(apiTokens.id, row.id), or(isNull(apiTokens.lastUsedAt), lt(apiTokens.lastUsedAt, cutoff))));
  }

  async create(input: {
    name: string;
    role: Role;
    source: string | null;
    expiresAt: string | null;
    createdBy: string;
    now: Date;
  }): Promise<{ token: string; view: ApiTokenView }> {
    const token = generateApiToken();
    const row: ApiTokenRow = {
      id: `tok_${crypto.randomUUID().replaceAll('-', '').slice(0, 20)}`,
      name: input.name,
      tokenHash: await hashApiToken(token),
      hint: tokenHint(token),
      role: input.role,
      source: input.source,
      createdAt: input.now.toISOString(),
      createdBy: input.createdBy,
      expiresAt: input.expiresAt,
      revokedAt: null,
      lastUsedAt: null,
    };
    await this.orm.insert(apiTokens).values(row);
    return { token, view: toView(row) };
  }

  async list(): Promise<ApiTokenView[]> {
    const rows = await this.orm.select().from(apiTokens).orderBy(desc(apiTokens.createdAt)).all();
    return rows.map(toView);
  }

  async revoke(id: string, now: Date): Promise<ApiTokenView | null> {
    const row = await this.orm
      .update(apiTokens)
      .set({ revokedAt: now.toISOString() })
      .where(and(eq(apiTokens.id, id), isNull(apiTokens.revokedAt)))
      .returning()
      .get();
    return row ? toView(row) : null;
  }
}

function toView(row: ApiTokenRow): ApiTokenView {
  const { tokenHash: _secretHash, ...view } = row;
  return view;
}
