import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { insertPersona } from '../../src/personas/persona.repository.ts';
import type { Persona } from '../../src/personas/persona.schema.ts';
import { personaFields } from '../support/factories.ts';
import { startTestApp, type TestApp } from '../support/test-app.ts';
import { DATABASE_KINDS } from '../support/test-database.ts';

interface Page {
  data: Persona[];
  next_cursor: string | null;
}

interface ErrorBody {
  error: { code: string; message: string };
}

// Mixed case and a tie ("alpha" twice, once capitalised) so case-insensitivity and the id tie-break both show.
const NAMES = ['beta', 'Alpha', 'delta', 'alpha', 'Charlie', 'echo', 'Bravo'];
const NICHES = ['zinc', 'Iron', 'copper', 'gold', 'Tin', 'lead', 'nickel'];

/** What the API promises: lower-cased text by code point (ASCII here), then the id. */
const byText = (text: (p: Persona) => string) => (a: Persona, b: Persona) => {
  const [x, y] = [text(a).toLowerCase(), text(b).toLowerCase()];
  if (x !== y) return x < y ? -1 : 1;
  return a.id < b.id ? -1 : 1;
};

describe.each(DATABASE_KINDS)('GET /v1/personas sorted on the server, on %s', (kind) => {
  let t: TestApp;
  let marker: string;
  let mine: Persona[];
  /** The personas in the order they were last changed (patched in a shuffled order below). */
  let updatedOrder: Persona[];

  const json = async <T>(res: Response) => (await res.json()) as T;

  /** Every page of a listing, `limit` at a time, following next_cursor. */
  async function walk(query: string, limit: number): Promise<Persona[]> {
    const seen: Persona[] = [];
    let cursor: string | null = null;
    do {
      const res = await t.api(
        `/v1/personas?${query}&limit=${limit}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`,
      );
      expect(res.status, await res.clone().text()).toBe(200);
      const page = await json<Page>(res);
      expect(page.data.length).toBeLessThanOrEqual(limit);
      seen.push(...page.data);
      cursor = page.next_cursor;
    } while (cursor);
    return seen;
  }

  beforeAll(async () => {
    t = await startTestApp(kind, { worker: false });
    marker = `zq${randomBytes(3).toString('hex')}`;
    mine = [];
    for (const [i, name] of NAMES.entries()) {
      const fields = personaFields({
        slug: `${marker}-${['g', 'c', 'a', 'f', 'b', 'e', 'd'][i]}`,
        name,
        niche: NICHES[i]!,
        approval_mode: i % 2 ? 'auto' : 'manual',
        learning_mode: i % 3 ? 'on' : 'off',
        topics: [`topic of ${marker}`],
      });
      mine.push(await insertPersona(t.deps.db, fields, i === 4 ? 'library' : 'user'));
    }
    updatedOrder = [];
    for (const i of [3, 0, 6, 1, 5, 2, 4]) {
      const res = await t.api(`/v1/personas/${mine[i]!.id}`, {
        method: 'PATCH',
        body: JSON.stringify({ tone: `tone ${i}` }),
      });
      updatedOrder.push(await json<Persona>(res));
    }
    mine = mine.map((p) => updatedOrder.find((u) => u.id === p.id)!);
  });
  afterAll(() => t?.close());

  it('keeps the order across pages for every sort, both ways, each persona once', async () => {
    const expected: Record<string, Persona[]> = {
      slug: [...mine].sort(byText((p) => p.slug)),
      name: [...mine].sort(byText((p) => p.name)),
      niche: [...mine].sort(byText((p) => p.niche)),
      created_at: mine,
      updated_at: updatedOrder,
    };
    for (const [sort, order] of Object.entries(expected)) {
      for (const limit of [1, 2, 3]) {
        const asc = await walk(`q=${marker}&sort=${sort}&order=asc`, limit);
        expect(
          asc.map((p) => p.slug),
          `${sort} asc by ${limit}`,
        ).toEqual(order.map((p) => p.slug));
        const desc = await walk(`q=${marker}&sort=${sort}&order=desc`, limit);
        expect(
          desc.map((p) => p.slug),
          `${sort} desc by ${limit}`,
        ).toEqual(order.map((p) => p.slug).reverse());
      }
    }
    // Without a sort: by slug, as before.
    expect((await walk(`q=${marker}`, 2)).map((p) => p.slug)).toEqual(expected.slug!.map((p) => p.slug));
  });

  it('searches the slug, name, niche and topics, case-insensitively, and filters', async () => {
    expect((await walk(`q=${marker.toUpperCase()}`, 100)).length).toBe(NAMES.length);
    const byName = await walk(`q=${encodeURIComponent(`ALPHA`)}&sort=name`, 100);
    expect(byName.filter((p) => p.slug.startsWith(marker)).map((p) => p.name)).toEqual(
      mine
        .filter((p) => p.name.toLowerCase() === 'alpha')
        .sort(byText((p) => p.name))
        .map((p) => p.name),
    );
    expect((await walk(`q=COPPER`, 100)).some((p) => p.slug === mine[2]!.slug)).toBe(true);

    const auto = await walk(`q=${marker}&approval_mode=auto`, 2);
    expect(auto.map((p) => p.slug).sort()).toEqual(
      mine
        .filter((p) => p.approval_mode === 'auto')
        .map((p) => p.slug)
        .sort(),
    );
    const off = await walk(`q=${marker}&learning_mode=off&sort=name&order=desc`, 1);
    expect(off.map((p) => p.slug)).toEqual(
      mine
        .filter((p) => p.learning_mode === 'off')
        .sort(byText((p) => p.name))
        .reverse()
        .map((p) => p.slug),
    );
    const library = await walk(`q=${marker}&source=library`, 5);
    expect(library.map((p) => p.slug)).toEqual([mine[4]!.slug]);
    const none = await json<Page>(await t.api(`/v1/personas?q=${marker}-nothing-like-this`));
    expect(none).toEqual({ data: [], next_cursor: null });
  });

  it('refuses a cursor from another sort, order or filter, and a sort it does not know, with a 400 saying why', async () => {
    const first = await json<Page>(await t.api(`/v1/personas?q=${marker}&sort=name&limit=2`));
    expect(first.next_cursor).not.toBeNull();
    const cursor = encodeURIComponent(first.next_cursor!);

    const cases = [
      `sort=slug&q=${marker}`,
      `sort=name&order=desc&q=${marker}`,
      `sort=name&q=${marker}&approval_mode=auto`,
      'sort=name',
    ];
    for (const query of cases) {
      const res = await t.api(`/v1/personas?${query}&limit=2&cursor=${cursor}`);
      expect(res.status, query).toBe(400);
      const body = await json<ErrorBody>(res);
      expect(body.error.code).toBe('bad_request');
      expect(body.error.message, query).toContain(`sort=name&order=asc&q=${marker}`);
      expect(body.error.message).toMatch(/without a cursor/);
    }
    const same = await t.api(`/v1/personas?sort=name&q=${marker}&limit=2&cursor=${cursor}`);
    expect(same.status).toBe(200);

    const badSort = await t.api('/v1/personas?sort=popularity');
    expect(badSort.status).toBe(400);
    expect((await json<ErrorBody>(badSort)).error.message).toMatch(/sort.*slug.*name.*niche.*created_at.*updated_at/s);
    expect((await t.api('/v1/personas?order=sideways')).status).toBe(400);
    expect((await t.api('/v1/personas?cursor=not-a-cursor')).status).toBe(400);
    // The slug cursors of the old listing are refused, not misread.
    expect((await t.api(`/v1/personas?cursor=${mine[0]!.slug}`)).status).toBe(400);
  });

  it('reads a sorted page from its index, not by sorting every persona', async () => {
    if (kind !== 'postgres') return; // PGlite has the same indexes; its planner's choices are not this test's subject
    const sortKeys: Record<string, string> = {
      personas_name_sort: `lower(name) COLLATE "C"`,
      personas_niche_sort: `lower(niche) COLLATE "C"`,
      personas_slug_sort: `slug COLLATE "C"`,
      personas_updated: 'updated_at',
      personas_created: 'created_at',
    };
    await t.deps.db.transaction(async (tx) => {
      await tx.exec('SET LOCAL enable_seqscan = off');
      for (const [index, key] of Object.entries(sortKeys)) {
        const plan = await tx.query<{ 'QUERY PLAN': string }>(
          `EXPLAIN SELECT id FROM personas WHERE deleted_at IS NULL ORDER BY ${key} DESC, id DESC LIMIT 26`,
        );
        const text = plan.map((r) => r['QUERY PLAN']).join('\n');
        expect(text, index).toContain(index);
        expect(text, index).not.toMatch(/\bSort\b/);
      }
    });
  });
});
