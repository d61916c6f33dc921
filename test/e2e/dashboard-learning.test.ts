import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { phoneWidths, seriousViolations } from '../support/dashboard-checks.ts';
import { launchChromium, type RunningProduct, signIn, startProduct } from '../support/product.ts';

interface Persona {
  id: string;
  slug: string;
  learning_mode: 'on' | 'off';
  autopilot: { posts_per_day: number; topics?: string[] } | null;
}
interface Learning {
  learning: 'on' | 'off';
  choices: {
    choice: string;
    arms: { arm: string; pulls: number; mean_reward: number; uncertainty: number; probability: number }[];
  }[];
  lift: { ratio: number | null };
}
interface PersonaRevenue {
  persona_id: string | null;
  events: { subscription: number; affiliate: number; lead: number };
  mrr: { subscriptions: number; affiliate: number; leads: number; total: number };
}

const money = (x: number) => `$${x.toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 })}`;

/** The personas page's learning panel, the persona table, and revenue per persona, against the real product. */
describe('the dashboard: what the loop learned, server-sorted tables, revenue per persona', () => {
  let product: RunningProduct;
  let browser: Browser;
  let page: Page;
  let persona: Persona;
  let other: Persona;

  beforeAll(async () => {
    [product, browser] = await Promise.all([startProduct(), launchChromium()]);
    const { data } = await product.api<{ data: Persona[] }>('/v1/personas?limit=2');
    [persona, other] = data as [Persona, Persona];
    page = await (await browser.newContext({ viewport: { width: 1280, height: 900 } })).newPage();
    await signIn(page, product.url, product.token);
  }, 150_000);

  afterAll(async () => {
    await browser?.close();
    await product?.stop();
  });

  async function edit(slug: string) {
    await page.getByRole('button', { name: 'Edit' }).click();
    return page.getByRole('form', { name: `Edit ${slug}` });
  }

  it('sets autopilot and toggles learning mode from the persona form, and the API stores them', async () => {
    await page.goto(`${product.url}/personas/?id=${persona.id}`);
    let form = await edit(persona.slug);
    await form.getByLabel('Learning mode').selectOption('off');
    await form.getByRole('checkbox', { name: /publishes on its own/ }).check();
    await form.getByLabel('Posts per day').fill('0');
    await form.getByRole('button', { name: 'Save changes' }).click();
    // The API's own rule, shown at the field before anything is sent.
    await expect
      .poll(() => form.locator('[id$="-posts_per_day-error"]').textContent())
      .toBe('must be at least 1 post a day');
    expect((await product.api<Persona>(`/v1/personas/${persona.id}`)).autopilot).toBeNull();

    await form.getByLabel('Posts per day').fill('3');
    await form.getByLabel('Autopilot topics').fill('pricing experiments\nweekly reviews');
    await form.getByRole('button', { name: 'Save changes' }).click();
    await page.getByText('Saved.').waitFor();
    const stored = await product.api<Persona>(`/v1/personas/${persona.id}`);
    expect(stored).toMatchObject({
      learning_mode: 'off',
      autopilot: { posts_per_day: 3, topics: ['pricing experiments', 'weekly reviews'] },
    });
    await expect.poll(() => page.getByTestId('loop-settings').textContent()).toContain('3 posts a day');
    await expect.poll(() => page.getByTestId('learning-mode').textContent()).toBe('off');

    form = await edit(persona.slug);
    await form.getByLabel('Learning mode').selectOption('on');
    await form.getByRole('checkbox', { name: /publishes on its own/ }).uncheck();
    await form.getByRole('button', { name: 'Save changes' }).click();
    await page.getByText('Saved.').waitFor();
    expect(await product.api<Persona>(`/v1/personas/${persona.id}`)).toMatchObject({
      learning_mode: 'on',
      autopilot: null,
    });
    await expect.poll(() => page.getByTestId('learning-mode').textContent()).toBe('on');
  });

  it('shows the arms, their chances and the lift that GET /v1/personas/:id/learning gives', async () => {
    const answered = page.waitForResponse((r) => r.url().endsWith(`/v1/personas/${persona.id}/learning`));
    await page.goto(`${product.url}/personas/?id=${persona.id}`);
    const given = (await (await answered).json()) as Learning;
    await page.getByTestId('learning').waitFor();
    const own = await product.api<Learning>(`/v1/personas/${persona.id}/learning`);
    const armsOf = (l: Learning) => l.choices.map((c) => [c.choice, c.arms.map((a) => [a.arm, a.pulls])]);
    expect(armsOf(given)).toEqual(armsOf(own));
    expect(given.choices.length).toBeGreaterThan(0);

    for (const { choice, arms } of given.choices) {
      const section = page.locator(`[data-choice="${choice}"]`);
      await section.getByRole('img').first().waitFor();
      const rows = section.locator('tr[data-arm]');
      expect(await rows.count(), choice).toBe(arms.length);
      for (const [i, arm] of arms.entries()) {
        const row = rows.nth(i);
        const attrs = await row.evaluate((el) => ({ ...(el as HTMLElement).dataset }));
        expect(attrs, `${choice} ${arm.arm}`).toEqual({
          arm: arm.arm,
          pulls: String(arm.pulls),
          mean: String(arm.mean_reward),
          uncertainty: String(arm.uncertainty),
          probability: String(arm.probability),
        });
        expect(await row.locator('td').nth(3).textContent()).toBe(`${(arm.probability * 100).toFixed(2)}%`);
      }
      const total = arms.reduce((s, a) => s + a.probability, 0);
      expect(total).toBeCloseTo(1, 6);
    }
    const lift = page.getByTestId('lift');
    expect(await lift.getAttribute('data-ratio')).toBe(String(given.lift.ratio));
    if (given.lift.ratio === null) expect(await lift.textContent()).toContain('not enough data yet');
  });

  it("sorts the persona table on the server: a column's order is the API's", async () => {
    await page.goto(`${product.url}/personas/`);
    const table = page.getByTestId('persona-table');
    await table.waitFor();
    const shown = () =>
      table.locator('tbody tr').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-persona-row')));
    const slugsOf = async (query: string) =>
      (await product.api<{ data: Persona[]; next_cursor: string | null }>(`/v1/personas?${query}`)).data.map(
        (p) => p.slug,
      );

    const bySlug = await slugsOf('sort=slug&order=asc&limit=25');
    await expect.poll(shown).toEqual(bySlug);

    // A first click sorts by name ascending, a second reverses it.
    for (const order of ['asc', 'desc'] as const) {
      const asked = page.waitForResponse((r) => r.url().includes(`sort=name&order=${order}`));
      await table.locator('th button[data-sort="name"]').click();
      const answer = (await (await asked).json()) as { data: Persona[] };
      const expected = await slugsOf(`sort=name&order=${order}&limit=25`);
      expect(answer.data.map((p) => p.slug)).toEqual(expected);
      await expect.poll(shown).toEqual(expected);
      expect(await table.locator('th[aria-sort]').getAttribute('aria-sort')).toBe(
        order === 'asc' ? 'ascending' : 'descending',
      );
    }
    expect(await slugsOf('sort=name&order=desc&limit=25')).not.toEqual(bySlug);

    // The next page follows the server's cursor for the same sort.
    const first = await product.api<{ next_cursor: string | null }>('/v1/personas?sort=name&order=desc&limit=25');
    expect(first.next_cursor).not.toBeNull();
    const second = await slugsOf(`sort=name&order=desc&limit=25&cursor=${encodeURIComponent(first.next_cursor!)}`);
    await page.getByRole('button', { name: 'Load more' }).click();
    await expect.poll(shown).toEqual([...(await slugsOf('sort=name&order=desc&limit=25')), ...second]);

    // Search is the server's too, in the current sort.
    const asked = page.waitForResponse((r) => r.url().includes(`q=${other.slug}`));
    await page.getByLabel('Search').fill(other.slug);
    await asked;
    await expect.poll(shown).toEqual(await slugsOf(`sort=name&order=desc&limit=25&q=${other.slug}`));
  });

  it('shows revenue per persona as GET /v1/revenue/by-persona gives it', async () => {
    const record = (body: Record<string, unknown>) =>
      product.api('/v1/revenue/events', { method: 'POST', body: { currency: 'USD', ...body } });
    await record({
      external_id: 'e2e-sub-1',
      stream: 'subscription',
      amount: 29,
      subscription_id: 'sub-1',
      persona_id: persona.id,
    });
    await record({ external_id: 'e2e-aff-1', stream: 'affiliate', amount: 12.5, persona_id: persona.id });
    await record({ external_id: 'e2e-lead-1', stream: 'lead', amount: 40, persona_id: other.id });
    await record({ external_id: 'e2e-aff-2', stream: 'affiliate', amount: 3 });

    const answered = page.waitForResponse((r) => r.url().endsWith('/v1/revenue/by-persona'));
    await page.goto(`${product.url}/revenue/`);
    const given = (await (await answered).json()) as { data: PersonaRevenue[] };
    const table = page.getByTestId('revenue-by-persona');
    await table.waitFor();
    const own = await product.api<{ data: PersonaRevenue[] }>('/v1/revenue/by-persona');
    expect(given.data).toEqual(own.data);
    expect(given.data.map((r) => r.persona_id)).toEqual([persona.id, other.id, null]);
    expect(await table.locator('tbody tr').count()).toBe(given.data.length);
    for (const [i, r] of given.data.entries()) {
      const row = table.locator('tbody tr').nth(i);
      expect(await row.getAttribute('data-revenue-row')).toBe(r.persona_id ?? 'none');
      const cell = (field: string) => row.locator(`[data-field="${field}"]`).textContent();
      expect(await cell('events')).toBe(`${r.events.subscription} / ${r.events.affiliate} / ${r.events.lead}`);
      for (const field of ['subscriptions', 'affiliate', 'leads', 'total'] as const)
        expect(await cell(field), field).toBe(money(r.mrr[field]));
    }
    expect(given.data[0]!.mrr.total).toBe(41.5);
  });

  it('has no serious accessibility violations and fits a phone with the panel and the tables shown', async () => {
    const paths = [`/personas/?id=${persona.id}`, '/revenue/'];
    expect(await seriousViolations(page, product.url, paths)).toEqual([]);
    const widths = await phoneWidths(browser, product, paths);
    for (const path of paths) expect(widths[path], path).toBeLessThanOrEqual(390);
  }, 60_000);
});
