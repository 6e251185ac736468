// What every admin browser test shares (driven by playwright-core in Debian's Chromium):
//   const h = harness({ base, shots, prefix });   prefix names the screenshots (PREFIX-NAME-WIDTH.png)
//   h.check(ok, what)          prints ok/FAIL, counts failures (h.failures())
//   h.text(locator)            the first match's text, spaces collapsed ('' when none)
//   await h.launch()           Chromium with the flags the tests use
//   await h.context(browser, width, height, { locale, allow })   a watched context: w.page, and
//                              everything fetched from another origin, CSP violations, console
//                              errors and error statuses recorded (w.allowed = STATUS for one
//                              expected answer; allow: statuses the test expects throughout,
//                              e.g. [422] for refused forms; locale 'th-TH' unless given)
//   h.checkWatch(w, label)     nothing of the above happened
//   await h.pageChecks(w, name)  lang="th", a title, every field labelled, no horizontal
//                              scrolling, axe-core clean (WCAG 2.1 A/AA), a full-page screenshot
//   await h.signIn(w, email, password)   through /admin/login, expects /admin/
//   await h.go(w, path, status = 200)    GET and check the status
//   await h.submit(w, selector, status = 200)  click and wait for the page that answers
import { chromium } from 'playwright-core';
import { checkA11y } from './a11y.mjs';
import { mkdirSync } from 'node:fs';

export function harness({ base, shots, prefix }) {
  mkdirSync(shots, { recursive: true });
  let failures = 0;
  const h = {};
  h.failures = () => failures;
  h.check = (ok, what) => {
    console.log(`${ok ? 'ok  ' : 'FAIL'} ${what}`);
    if (!ok) failures++;
    return ok;
  };
  h.text = async (loc) => ((await loc.count()) ? (await loc.first().innerText()).replace(/\s+/g, ' ').trim() : '');
  h.launch = () => chromium.launch({
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
           '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  h.context = async (browser, width, height, { locale = 'th-TH', allow = [] } = {}) => {
    const ctx = await browser.newContext({ viewport: { width, height }, ignoreHTTPSErrors: true,
                                           locale, acceptDownloads: true });
    const w = { ctx, width, external: [], csp: [], errors: [], allowed: null };
    const expected = (status) => status === w.allowed || allow.includes(status);
    ctx.on('request', (r) => {
      const u = r.url();
      if (!u.startsWith(base + '/') && !u.startsWith('data:')) w.external.push(u);
    });
    ctx.on('response', (r) => {
      if (r.status() >= 400 && !expected(r.status()) && !r.url().endsWith('/favicon.ico'))
        w.errors.push(`${r.status()} ${r.url()}`);
    });
    w.page = await ctx.newPage();
    w.page.on('console', (m) => {
      const t = m.text();
      if (/Content.Security.Policy/i.test(t)) w.csp.push(t);
      else if (m.type() === 'error' && ![w.allowed, ...allow].some((st) => st && t.includes(`status of ${st}`))
               && !m.location().url.endsWith('/favicon.ico'))
        w.errors.push(`${w.page.url()}: ${t}`);
    });
    w.page.on('pageerror', (e) => w.errors.push(`${w.page.url()}: ${e.message}`));
    return w;
  };
  h.checkWatch = (w, label) => {
    h.check(w.external.length === 0, `${label}: nothing fetched from another origin (${w.external.join(', ') || 'none'})`);
    h.check(w.csp.length === 0, `${label}: no Content-Security-Policy violations (${w.csp.join('; ') || 'none'})`);
    h.check(w.errors.length === 0, `${label}: no console errors or error statuses (${w.errors.join('; ') || 'none'})`);
  };
  h.pageChecks = async (w, name) => {
    const page = w.page;
    const label = `${name} @${w.width}`;
    h.check(await page.getAttribute('html', 'lang') === 'th', `${label}: lang="th"`);
    h.check((await page.title()).length > 0, `${label}: has a title`);
    const unlabelled = await page.$$eval('input, select, textarea', (els) => els
      .filter((e) => !['hidden', 'submit', 'button', 'reset'].includes(e.type))
      .filter((e) => !(e.labels && e.labels.length) && !e.getAttribute('aria-label')).map((e) => e.name || e.id));
    h.check(unlabelled.length === 0, `${label}: every field has a label (${unlabelled.join(', ') || 'all'})`);
    const layout = await page.evaluate(() => ({ scroll: document.documentElement.scrollWidth,
                                               vw: document.documentElement.clientWidth }));
    h.check(layout.scroll <= layout.vw, `${label}: no horizontal scrolling (${layout.scroll} px in ${layout.vw} px)`);
    await checkA11y(page, label, h.check);
    await page.screenshot({ path: `${shots}/${prefix}-${name}-${w.width}.png`, fullPage: true });
  };
  h.signIn = async (w, email, password) => {
    const page = w.page;
    await page.goto(`${base}/admin/login`);
    await page.fill('#email', email);
    await page.fill('#password', password);
    await Promise.all([page.waitForNavigation({ waitUntil: 'load' }), page.press('#password', 'Enter')]);
    if (!h.check(page.url() === `${base}/admin/`, `${email} signs in (${page.url()})`)) throw new Error('sign-in refused');
  };
  h.go = async (w, path, status = 200) => {
    w.allowed = status === 200 ? null : status;
    const resp = await w.page.goto(`${base}${path}`);
    w.allowed = null;
    h.check(resp.status() === status, `${path} answers ${status} (${resp.status()})`);
    return resp;
  };
  h.submit = async (w, selector, status = 200) => {
    w.allowed = status === 200 ? null : status;
    const [resp] = await Promise.all([w.page.waitForNavigation({ waitUntil: 'load' }), w.page.click(selector)]);
    w.allowed = null;
    h.check(resp && resp.status() === status, `${selector} answers ${status} (${resp && resp.status()})`);
    return resp;
  };
  return h;
}
