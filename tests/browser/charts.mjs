// Browser test of the charts (issue #16) in Debian's Chromium, driven by playwright-core. At 360
// and 1280 px: KMP's results page draws the ten indicators (each bar's data-value equals the
// indicator table's figure, the 85 line sits at 85 on the chart's scale, the three class bands),
// the tools and the total against the 2567 tiers (figures equal the weighting table's, each
// tool's minimum marked), the history (years and totals equal the agency_result rows the wrapper
// stored, plus this year's total with its tier) and the answer distributions (each chart's counts
// equal its table's and add up to the respondents); LOW's page draws no IIT distribution (3
// answers, fewer than k) but the EIT one (6); the report has the charts, the same figures, and
// prints to a PDF; the progress page's bars equal its counted totals and minimums. Every chart
// is role="img" with a title; no page scrolls sideways; axe-core clean; screenshots charts-*.png.
// Environment: ITA_BASE, ITA_RATED, ITA_LOW, ITA_EMAIL, ITA_PASSWORD, ITA_SHOTS_DIR, ITA_HISTORY
// ("year:total:rating ...").
import { harness } from './harness.mjs';

const { ITA_BASE: base, ITA_RATED: rated, ITA_LOW: low, ITA_EMAIL: email, ITA_PASSWORD: password,
        ITA_SHOTS_DIR: shots, ITA_HISTORY: historyEnv } = process.env;
if (!base || !rated || !low || !email || !password || !shots || !historyEnv) {
  console.error('charts.mjs: set ITA_BASE, ITA_RATED, ITA_LOW, ITA_EMAIL, ITA_PASSWORD, ITA_SHOTS_DIR and ITA_HISTORY');
  process.exit(2);
}
const history = historyEnv.trim().split(/\s+/).map((s) => {
  const [year, total, rating] = s.split(':');
  return { year, total, rating };
});
const h = harness({ base, shots, prefix: 'charts' });
const { check } = h;
const fix2 = (v) => Number(v).toFixed(2);

// Every chart of the page: role, title, scale, bars, reference lines, targets, bands.
async function charts(page) {
  return page.$$eval('svg.svgc', (svgs) => svgs.map((s) => {
    const plot = s.querySelector('.svgc-plot');
    const num = (e, a) => (e && e.hasAttribute(a) ? Number(e.getAttribute(a)) : null);
    return {
      id: s.id,
      role: s.getAttribute('role'),
      title: (s.querySelector('title') || {}).textContent || '',
      describedBy: s.getAttribute('aria-describedby'),
      width: s.getBoundingClientRect().width,
      min: num(plot, 'data-min'), max: num(plot, 'data-max'),
      x0: num(plot, 'data-x0'), x1: num(plot, 'data-x1'), y0: num(plot, 'data-y0'), y1: num(plot, 'data-y1'),
      rows: [...s.querySelectorAll('.svgc-row, .svgc-col')].map((r) => ({
        label: r.getAttribute('data-label'),
        value: r.hasAttribute('data-value') ? r.getAttribute('data-value') : null,
        target: r.hasAttribute('data-target') ? r.getAttribute('data-target') : null,
        bar: r.querySelector('.svgc-bar') ? {
          value: r.querySelector('.svgc-bar').getAttribute('data-value'),
          x: Number(r.querySelector('.svgc-bar').getAttribute('x')),
          y: Number(r.querySelector('.svgc-bar').getAttribute('y')),
          width: Number(r.querySelector('.svgc-bar').getAttribute('width')),
          height: Number(r.querySelector('.svgc-bar').getAttribute('height')),
        } : null,
        text: [...r.querySelectorAll('text')].map((t) => t.textContent).join(' | '),
      })),
      lines: [...s.querySelectorAll('line.svgc-ref')].map((l) => ({
        value: Number(l.getAttribute('data-value')), x: Number(l.getAttribute('x1')), y: Number(l.getAttribute('y1')),
      })),
      bands: [...s.querySelectorAll('rect.svgc-band')].map((b) => [Number(b.getAttribute('data-from')), Number(b.getAttribute('data-to'))]),
      legend: [...s.querySelectorAll('.svgc-legend text')].map((t) => t.textContent),
    };
  }));
}

// The second column (figure) of a table's body rows, in order.
const column = (page, sel, n) => page.$$eval(`${sel} tbody tr`, (trs, n) => trs.map((tr) => (tr.children[n - 1] || {}).textContent?.trim() ?? ''), n);

async function resultsPage(w, tag) {
  const page = w.page;
  await h.go(w, `/admin/results?agency=${rated}&year=2567`);
  check(await page.locator('#preliminary').count() === 0, `${tag}: KMP is rated (no preliminary banner)`);
  const all = await charts(page);
  const byId = Object.fromEntries(all.map((c) => [c.id, c]));
  for (const c of all) {
    check(c.role === 'img' && c.title.length > 0, `${tag}: ${c.id} is role="img" with a title`);
    check(c.width <= w.width, `${tag}: ${c.id} fits the screen (${c.width.toFixed(0)} px)`);
  }
  // the ten indicators
  const ind = byId['chart-indicators'];
  if (check(!!ind, `${tag}: indicators chart present`)) {
    const figs = await column(page, '#indicators', 2);
    check(ind.rows.length === 10 && figs.length === 10, `${tag}: 10 indicator bars (${ind.rows.length}) and rows (${figs.length})`);
    const got = ind.rows.map((r) => (r.value === null ? '–' : fix2(r.value)));
    check(JSON.stringify(got) === JSON.stringify(figs), `${tag}: indicator bars equal the table (${got.join(' ')} vs ${figs.join(' ')})`);
    check(ind.rows.every((r) => r.value === null || r.text.includes(fix2(r.value))), `${tag}: each indicator's figure is written next to its bar`);
    check(ind.rows.every((r, i) => r.label.startsWith(`${i + 1} `)), `${tag}: indicator bars labelled 1..10`);
    // class by value, as text too
    const cls = ind.rows.filter((r) => r.value !== null).every((r) => {
      const v = Number(r.value);
      const word = v < 90 ? 'เร่งแก้ไข' : v < 95 ? 'พัฒนาต่อ' : 'รักษามาตรฐาน';
      return r.text.includes(word);
    });
    check(cls, `${tag}: each indicator's class written in words`);
    const l85 = ind.lines.find((l) => l.value === 85);
    const want = ind.x0 + (85 - ind.min) / (ind.max - ind.min) * (ind.x1 - ind.x0);
    check(!!l85 && Math.abs(l85.x - want) < 0.01, `${tag}: the 85 line at x ${l85 && l85.x} (scale says ${want.toFixed(2)})`);
    const bar = ind.rows.find((r) => r.bar);
    const wantW = (Number(bar.bar.value) - ind.min) / (ind.max - ind.min) * (ind.x1 - ind.x0);
    check(Math.abs(bar.bar.width - wantW) < 0.01, `${tag}: a bar's length follows the scale (${bar.bar.width} vs ${wantW.toFixed(2)})`);
    check(JSON.stringify(ind.bands) === JSON.stringify([[0, 90], [90, 95], [95, 100]]), `${tag}: class bands 0-90, 90-95, 95-100 (${JSON.stringify(ind.bands)})`);
    check(ind.legend.length === 3 && ind.legend[0].includes('90'), `${tag}: the bands' legend is text (${ind.legend.join(' / ')})`);
    check(ind.describedBy === 'indicators', `${tag}: indicators chart described by the indicator table`);
  }
  // the tools and the total against the tiers
  const tools = byId['chart-tools'];
  if (check(!!tools, `${tag}: tools chart present`)) {
    const groups = await column(page, '#weights', 3);
    const total = (await page.locator('#total').innerText()).trim();
    const got = tools.rows.map((r) => (r.value === null ? '–' : fix2(r.value)));
    const want = [...groups.slice(0, 3), total];
    check(JSON.stringify(got) === JSON.stringify(want), `${tag}: IIT, EIT, OIT and total equal the weighting table (${got.join(' ')} vs ${want.join(' ')})`);
    check(tools.rows.map((r) => r.label).join(',') === 'IIT,EIT,OIT,คะแนนรวม', `${tag}: tool bars labelled`);
    const levels = tools.lines.map((l) => l.value).sort((a, b) => a - b);
    check(JSON.stringify(levels) === JSON.stringify([70, 85, 95]), `${tag}: tier thresholds 70, 85, 95 (${levels.join(', ')})`);
    check(tools.rows.slice(0, 3).every((r) => r.target === '85' || r.target === '95'), `${tag}: each tool's minimum marked (${tools.rows.map((r) => r.target).join(', ')})`);
    const grade = (await page.locator('#grade').innerText()).trim();
    check(tools.rows[3].text.includes(grade), `${tag}: the total's bar names the tier ${grade}`);
  }
  // the history
  const hist = byId['chart-history'];
  if (check(!!hist, `${tag}: history chart present`)) {
    const years = hist.rows.map((r) => r.label);
    const want = [...history.map((x) => x.year), '2567'];
    check(JSON.stringify(years) === JSON.stringify(want), `${tag}: history years ${years.join(' ')}`);
    const vals = hist.rows.slice(0, history.length).map((r) => fix2(r.value));
    check(JSON.stringify(vals) === JSON.stringify(history.map((x) => x.total)), `${tag}: history totals equal agency_result (${vals.join(' ')})`);
    check(hist.rows.slice(0, history.length).every((r, i) => r.text.includes(history[i].rating)), `${tag}: each year's grade written under it`);
    const total = (await page.locator('#total').innerText()).trim();
    check(fix2(hist.rows[history.length].value) === total, `${tag}: this year's column is the total ${total}`);
    check(!years.includes('2565') || !hist.rows.some((r) => r.value === '55.55'), `${tag}: another agency's row is not drawn`);
    const table = await column(page, '#history', 2);
    check(JSON.stringify(table) === JSON.stringify([...history.map((x) => x.total), total]), `${tag}: history table equals the chart (${table.join(' ')})`);
    // the column's height follows the scale
    const c0 = hist.rows[0];
    const wantH = (Number(c0.value) - hist.min) / (hist.max - hist.min) * (hist.y0 - hist.y1);
    check(Math.abs(c0.bar.height - wantH) < 0.01, `${tag}: a column's height follows the scale (${c0.bar.height} vs ${wantH.toFixed(2)})`);
  }
  // the answer distributions (both instruments shown: sealed with 25 and 30 answers)
  for (const [k, n] of [['IIT', 25], ['EIT', 30]]) {
    const det = page.locator(`#answers-${k}`);
    check(await det.count() === 1, `${tag}: ${k} answer distribution offered`);
    const res = await page.$$eval(`#answers-${k} figure`, (figs) => figs.map((f) => ({
      chart: [...f.querySelectorAll('.svgc-row')].map((r) => r.getAttribute('data-value')),
      table: [...f.querySelectorAll('table tbody tr td:last-child')].map((t) => t.textContent.trim()),
      described: f.querySelector('svg').getAttribute('aria-describedby') === f.querySelector('table').id,
    })));
    check(res.length > 0 && res.every((r) => JSON.stringify(r.chart) === JSON.stringify(r.table)), `${tag}: ${k} distributions equal their tables (${res.length} fields)`);
    check(res.every((r) => r.chart.reduce((a, b) => a + Number(b), 0) === n), `${tag}: ${k} each field's counts add up to ${n}`);
    check(res.every((r) => r.described), `${tag}: ${k} each distribution described by its table`);
  }
  await page.evaluate(() => document.querySelectorAll('details.answers').forEach((d) => { d.open = true; }));
  // each chart on its own, to look at
  for (const id of ['fig-indicators', 'fig-tools', 'fig-history'])
    await page.locator(`#${id}`).screenshot({ path: `${shots}/charts-${id}-${w.width}.png` });
  await page.locator('#answers-IIT figure').first().screenshot({ path: `${shots}/charts-answers-${w.width}.png` });
  await h.pageChecks(w, 'results');
}

const browser = await h.launch();
try {
  for (const width of [360, 1280]) {
    const w = await h.context(browser, width, 900);
    const page = w.page;
    const tag = `@${width}`;
    await h.signIn(w, email, password);
    await resultsPage(w, tag);

    // LOW: 3 IIT answers (fewer than k = 5): nothing per question for IIT; EIT (6) shown
    await h.go(w, `/admin/results?agency=${low}&year=2567`);
    check(await page.locator('#answers-IIT').count() === 0, `${tag}: LOW's IIT (3 answers) has no answer distribution`);
    check(await page.locator('#answers-EIT').count() === 1, `${tag}: LOW's EIT (6 answers) has its distribution`);
    const lowCharts = await charts(page);
    const lowInd = lowCharts.find((c) => c.id === 'chart-indicators');
    check(!!lowInd && lowInd.rows.slice(0, 5).every((r) => r.value === null), `${tag}: LOW's IIT indicators drawn as no data`);
    const lowHist = lowCharts.find((c) => c.id === 'chart-history');
    check(!!lowHist && lowHist.rows.map((r) => `${r.label}:${r.value}`).join(' ').startsWith('2565:55.55')
          && lowHist.rows.length <= 2, `${tag}: LOW's history is its own row only (${lowHist && lowHist.rows.map((r) => r.label).join(' ')})`);
    await h.pageChecks(w, 'low');

    // the report
    await h.go(w, `/admin/report?agency=${rated}&year=2567`);
    const rep = await charts(page);
    check(['chart-indicators', 'chart-tools', 'chart-history'].every((id) => rep.some((c) => c.id === id)), `${tag}: report has the three charts (${rep.map((c) => c.id).join(', ')})`);
    const figs = await column(page, '#indicators', 2);
    const ri = rep.find((c) => c.id === 'chart-indicators');
    check(JSON.stringify(ri.rows.map((r) => (r.value === null ? '–' : fix2(r.value)))) === JSON.stringify(figs), `${tag}: report's indicator bars equal its table`);
    await page.emulateMedia({ media: 'print' });
    const brk = await page.$$eval('figure.chart', (fs) => fs.map((f) => getComputedStyle(f).breakInside));
    check(brk.length >= 3 && brk.every((b) => b === 'avoid'), `${tag}: report charts do not split across printed pages (${brk.join(',')})`);
    await page.emulateMedia({ media: 'screen' });
    await h.pageChecks(w, 'report');
    if (width === 1280) {
      await page.emulateMedia({ media: 'print' });
      const pdf = await page.pdf({ path: `${shots}/charts-report.pdf`, format: 'A4', printBackground: true });
      check(pdf.length > 20000 && pdf.subarray(0, 5).toString() === '%PDF-', `report prints to PDF (${pdf.length} bytes)`);
      await page.emulateMedia({ media: 'screen' });
    }

    // the progress page
    await h.go(w, `/admin/progress?agency=${rated}&fy=2567`);
    const pc = (await charts(page)).find((c) => c.id === 'chart-progress');
    if (check(!!pc, `${tag}: progress chart present`)) {
      for (const [i, k] of ['IIT', 'EIT'].entries()) {
        const text = await h.text(page.locator(`#pr-${k}`));
        const m = text.match(/(\d+) จากขั้นต่ำ (\d+)/);
        check(!!m && pc.rows[i].value === m[1] && pc.rows[i].target === m[2], `${tag}: ${k} bar ${pc.rows[i].value} of ${pc.rows[i].target} equals "${text}"`);
      }
      check(pc.describedBy === 'pr-IIT pr-EIT', `${tag}: progress chart described by the counts' text`);
    }
    await page.locator('#fig-progress').screenshot({ path: `${shots}/charts-fig-progress-${width}.png` });
    await h.pageChecks(w, 'progress');
    h.checkWatch(w, tag);
    await w.ctx.close();
  }
} finally {
  await browser.close();
}
console.log(h.failures() ? `${h.failures()} check(s) failed` : 'all checks passed');
process.exit(h.failures() ? 1 : 0);
