import { AxeBuilder } from '@axe-core/playwright';
import type { Browser, Page } from 'playwright-core';
import { signIn } from './product.ts';

async function open(page: Page, url: string): Promise<void> {
  await page.goto(url);
  await page.getByRole('heading', { level: 1 }).waitFor();
  await page.waitForLoadState('networkidle');
}

/** axe-core's serious and critical WCAG 2 A/AA findings on each page, one line each (path, rule, elements). */
export async function seriousViolations(page: Page, base: string, paths: readonly string[]): Promise<string[]> {
  const found: string[] = [];
  for (const path of paths) {
    await open(page, `${base}${path}`);
    const { violations } = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa']).analyze();
    for (const v of violations)
      if (v.impact === 'serious' || v.impact === 'critical')
        found.push(`${path} ${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
  }
  return found;
}

/** Each page's document width in a signed-in phone-width (390 px) window: wider means sideways scrolling. */
export async function phoneWidths(
  browser: Browser,
  product: { url: string; token: string },
  paths: readonly string[],
): Promise<Record<string, number>> {
  const phone = await browser.newContext({ viewport: { width: 390, height: 844 } });
  try {
    const small = await phone.newPage();
    await signIn(small, product.url, product.token);
    const widths: Record<string, number> = {};
    for (const path of paths) {
      await open(small, `${product.url}${path}`);
      widths[path] = await small.evaluate(() => document.documentElement.scrollWidth);
    }
    return widths;
  } finally {
    await phone.close();
  }
}
