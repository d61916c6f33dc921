// Writes a screenshot of every dashboard page at desktop and phone width to docs/screenshots/,
// from the real product on a fresh embedded database with some generated, published and recorded data.
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { launchChromium, signIn, startProduct } from '../test/support/product.ts';
import { waitFor } from '../test/support/child-process.ts';

const OUT = path.resolve('docs/screenshots');
const WIDTHS = { desktop: { width: 1280, height: 860 }, phone: { width: 390, height: 844 } };

interface Persona {
  id: string;
  slug: string;
}
interface Post {
  id: string;
  status: string;
}

const product = await startProduct();
// A browser that cannot start (no Chromium) must not leave the product running.
const browser = await launchChromium().catch(async (error: unknown) => {
  await product.stop();
  throw error;
});
try {
  const { data: personas } = await product.api<{ data: Persona[] }>('/v1/personas?limit=2');
  const [auto, manual] = personas as [Persona, Persona];
  await product.api(`/v1/personas/${auto.id}`, {
    method: 'PATCH',
    body: { approval_mode: 'auto', auto_approve_min_score: 0 },
  });
  await product.api('/v1/tasks', {
    method: 'POST',
    body: { persona_id: auto.id, topic: 'pricing experiments', variants: 3 },
  });
  await product.api('/v1/tasks', {
    method: 'POST',
    body: { persona_id: manual.id, topic: 'onboarding emails', variants: 3 },
  });
  await product.api('/v1/revenue/events', {
    method: 'POST',
    body: {
      external_id: 'shot-1',
      stream: 'subscription',
      amount: 29,
      currency: 'USD',
      subscription_id: 'sub-1',
      persona_id: auto.id,
    },
  });
  console.log('waiting for the scheduler to publish (up to a minute)…');
  const published = await waitFor(async () => {
    const { data } = await product.api<{ data: Post[] }>(`/v1/posts?status=published&persona_id=${auto.id}`);
    return data[0];
  }, 120_000);

  const pages = {
    overview: '/',
    personas: `/personas/?id=${auto.id}`,
    generate: '/generate/',
    review: '/review/',
    posts: `/posts/?id=${published.id}`,
    costs: '/costs/',
    revenue: '/revenue/',
  };
  mkdirSync(OUT, { recursive: true });
  for (const [device, viewport] of Object.entries(WIDTHS)) {
    const context = await browser.newContext({ viewport });
    const page = await context.newPage();
    await signIn(page, product.url, product.token);
    for (const [name, href] of Object.entries(pages)) {
      await page.goto(`${product.url}${href}`);
      await page.getByRole('heading', { level: 1 }).waitFor();
      await page.waitForLoadState('networkidle');
      if (name === 'generate') {
        // The page is empty until a run: show one streamed, with its drafts.
        await page.getByLabel('Persona').selectOption(manual.id);
        await page.getByLabel('Topic (optional)').fill('weekly reviews');
        await page.getByRole('button', { name: 'Generate' }).click();
        await page.locator('[data-event="done"]').waitFor({ timeout: 60_000 });
        await page.locator('article[data-post]').first().waitFor();
      }
      const file = path.join(OUT, `${name}-${device}.png`);
      await page.screenshot({ path: file });
      console.log(file);
      if (name === 'personas') {
        // What the loop has learned is below the fold: shown on its own.
        const learned = path.join(OUT, `personas-learning-${device}.png`);
        await page.getByTestId('learning').screenshot({ path: learned });
        console.log(learned);
      }
    }
    await context.close();
  }
} finally {
  await browser.close();
  await product.stop();
}
