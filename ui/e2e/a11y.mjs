// The accessibility audit of the browser flows: axe-core 4 run inside the page, against the WCAG
// 2.0/2.1 A and AA rules (and axe's best practices), failing the test on any violation with the
// rule, the help text and the offending nodes.

import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
let axeSource = null;

async function axeScript() {
  axeSource ??= await readFile(require.resolve('axe-core/axe.min.js'), 'utf8');
  return axeSource;
}

export const AXE_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice'];

/**
 * Runs axe-core over the whole page (or one part of it) once the page has settled, and returns
 * the violations in a readable form.
 * @param {import('playwright-core').Page} page
 * @param {string} [include] a CSS selector to audit only that part
 */
export async function audit(page, include) {
  // Colour contrast is measured on what is painted: let transitions and finite animations end.
  await page.evaluate(async () => {
    const running = document.getAnimations().filter((a) => {
      const timing = a.effect?.getComputedTiming();
      return timing && Number.isFinite(Number(timing.endTime));
    });
    // An animation that cannot run (paused, in a closed <details>) never finishes: wait at most 2 s.
    const ends = Promise.all(running.map((a) => a.finished.catch(() => undefined)));
    await Promise.race([ends, new Promise((ok) => setTimeout(ok, 2000))]);
  });
  if (!(await page.evaluate(() => 'axe' in window))) await page.addScriptTag({ content: await axeScript() });
  const result = await page.evaluate(
    async ({ include, tags }) => {
      const axe = /** @type {any} */ (window).axe;
      const context = include ? { include: [include] } : document;
      const r = await axe.run(context, { runOnly: { type: 'tag', values: tags }, resultTypes: ['violations'] });
      return r.violations.map((/** @type {any} */ v) => ({
        id: v.id,
        impact: v.impact,
        help: v.help,
        nodes: v.nodes.map((/** @type {any} */ n) => `${n.target.join(' ')}: ${n.failureSummary?.replace(/\s+/g, ' ')}`),
      }));
    },
    { include: include ?? null, tags: AXE_TAGS },
  );
  return result;
}

/** Fails with every violation found, named after where the page was. */
export async function assertAccessible(page, where, include) {
  const violations = await audit(page, include);
  const told = violations.map((v) => `- ${v.id} (${v.impact}): ${v.help}\n${v.nodes.map((n) => `    ${n}`).join('\n')}`).join('\n');
  assert.equal(violations.length, 0, `${where}: ${violations.length} axe rule(s) broken\n${told}`);
}
