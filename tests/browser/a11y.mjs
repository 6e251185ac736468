// Accessibility check shared by the browser tests: axe-core (WCAG 2.0/2.1, levels A and AA) run
// inside the page as it stands. axe is evaluated through the DevTools protocol, which the page's
// Content-Security-Policy does not govern, so the pages keep their strict policy under test.
// Every violation is printed with its rule, impact and the offending elements; the caller's
// check() counts it as a failure.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const axeSource = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

// Runs axe on `page` and reports through check(ok, what). Returns the number of violations.
export async function checkA11y(page, label, check) {
  const hasAxe = await page.evaluate(() => typeof window.axe !== 'undefined');
  if (!hasAxe) await page.evaluate(axeSource);
  const result = await page.evaluate(async () => {
    const r = await window.axe.run(document, {
      runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] },
      resultTypes: ['violations'],
    });
    return r.violations.map((v) => ({
      id: v.id, impact: v.impact, help: v.help,
      nodes: v.nodes.slice(0, 5).map((n) => n.target.join(' ') + (n.failureSummary ? ` — ${n.failureSummary.split('\n').slice(1).join(' ').trim()}` : '')),
    }));
  });
  for (const v of result) {
    console.log(`  axe ${label}: ${v.id} (${v.impact}): ${v.help}`);
    for (const n of v.nodes) console.log(`      ${n}`);
  }
  check(result.length === 0, `axe-core WCAG 2.1 A/AA: no violations on ${label} (${result.length} found)`);
  return result.length;
}
