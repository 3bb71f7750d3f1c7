// End-to-end test of dyad's web app in a real headless Chromium (Debian's /usr/bin/chromium,
// driven by playwright-core). `run.sh` starts `dyad serve --demo` and runs this against it.
//
// What it checks, as an analyst would use the app:
//   1. paste the bundled example article, code it, see every event's evidence highlighted
//      exactly, and an explanation citing the rule file when an event is clicked;
//   2. filter the event explorer to a dyad, get only that dyad, follow a row to its article;
//   3. the time series, the actor network and the map draw (their canvases have ink on them);
//   4. the page never asks for anything but the server it came from, and logs no errors.
// Screenshots go to target/e2e/ (or $DYAD_E2E_SCREENSHOTS) for review.

import { chromium } from "playwright-core";
import { mkdir, readFile } from "node:fs/promises";
import { fileURLToPath } from "node:url";
import assert from "node:assert/strict";

const base = (process.env.DYAD_URL || "http://127.0.0.1:8765").replace(/\/$/, "");
const repo = fileURLToPath(new URL("../../../", import.meta.url));
const shots = process.env.DYAD_E2E_SCREENSHOTS || `${repo}target/e2e`;
const examplePath = `${repo}examples/black-sea-grain-2023-07-18.txt`;
const exampleDate = "2023-07-18";

let passed = 0;
let failed = 0;
async function step(name, fn) {
  try {
    await fn();
    passed++;
    console.log(`ok - ${name}`);
  } catch (err) {
    failed++;
    console.log(`FAIL - ${name}\n  ${String(err && err.stack ? err.stack : err).split("\n").join("\n  ")}`);
  }
}

/** How many pixels of the canvases inside `selector` carry ink (not blank, not background). */
async function inkedPixels(page, selector) {
  return page.$$eval(`${selector} canvas`, (canvases) => {
    let ink = 0;
    for (const c of canvases) {
      if (!c.width || !c.height) continue;
      const ctx = c.getContext("2d");
      if (!ctx) continue;
      const d = ctx.getImageData(0, 0, c.width, c.height).data;
      for (let i = 0; i < d.length; i += 4) {
        const [r, g, b, a] = [d[i], d[i + 1], d[i + 2], d[i + 3]];
        if (a > 0 && !(r > 245 && g > 245 && b > 245)) ink++;
      }
    }
    return ink;
  });
}

async function main() {
  await mkdir(shots, { recursive: true });
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
    headless: true,
    // No background traffic: the machine's network is closed, and the app must not need it.
    args: [
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
    ],
  });
  const context = await browser.newContext({ viewport: { width: 1400, height: 1000 } });
  const page = await context.newPage();
  const outside = [];
  const problems = [];
  page.on("request", (r) => {
    const u = r.url();
    if (!u.startsWith(base) && !u.startsWith("data:") && !u.startsWith("blob:")) outside.push(u);
  });
  page.on("console", (m) => {
    if (m.type() === "error") problems.push(`console: ${m.text()}`);
  });
  page.on("pageerror", (e) => problems.push(`page error: ${e.message}`));

  const text = await readFile(examplePath, "utf8");
  // What the coder says about the article, straight from the API, to compare the page with.
  const expected = await (await fetch(`${base}/api/code`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ text, date: exampleDate }),
  })).json();

  await step("the app loads with the store's figures", async () => {
    await page.goto(`${base}/`);
    await page.waitForFunction(() => /\d+ events/.test(document.querySelector("#store-stats").textContent));
    assert.equal(await page.locator("#view-code").isVisible(), true);
  });

  await step("pasting the example article highlights every event, actor and quote", async () => {
    assert.ok(expected.events.length >= 5, `the coder found ${expected.events.length} events`);
    await page.fill("#code-text", text);
    await page.fill("#code-date", exampleDate);
    await page.click("#code-run");
    await page.waitForSelector("#code-events li");
    assert.equal(await page.locator("#code-events li").count(), expected.events.length);
    // Each event's highlighted pieces spell out exactly its evidence.
    const evidence = await page.$$eval("#code-doc .hl.event", (nodes) => {
      const by = {};
      for (const n of nodes) {
        for (const i of n.dataset.events.split(" ")) by[i] = (by[i] || "") + n.textContent;
      }
      return by;
    });
    expected.events.forEach((ev, i) => {
      if (expected.events.findIndex((o) => o.evidence.start === ev.evidence.start) !== i) return;
      assert.equal(evidence[i], ev.evidence.text, `event ${i} (${ev.cameo})`);
    });
    const actors = await page.$$eval("#code-doc .hl.actor", (ns) => ns.map((n) => n.textContent));
    assert.ok(actors.includes("Russia") && actors.includes("Ukraine"), actors.join("|"));
    const mentions = expected.actors.reduce((n, a) => n + a.mentions.length, 0);
    assert.ok(actors.length >= mentions, `${actors.length} actor highlights for ${mentions} mentions`);
    assert.equal(await page.locator("#code-quotes li").count(), expected.quotes.length);
    // The headline event: Russia pulls out of the grain deal, CAMEO 160.
    const card = page.locator('#code-events li[data-cameo="160"]').first();
    assert.match(await card.textContent(), /Russia/);
  });

  await step("clicking an event explains it: sentence, rule, codes, date", async () => {
    await page.locator('#code-events li[data-cameo="160"]').first().click();
    const box = page.locator("#code-explain");
    await box.waitFor({ state: "visible" });
    const t = await box.textContent();
    for (const want of ["Reduce relations", "verbs/16_reduce_relations.toml", "SANCTION", "Goldstein", exampleDate,
      "Russia pulls out of Black Sea grain deal"]) {
      assert.ok(t.includes(want), `explanation lacks “${want}”: ${t}`);
    }
    assert.ok(await page.locator("#code-doc .hl.selected").count() > 0, "its evidence is not marked");
    await page.screenshot({ path: `${shots}/code.png`, fullPage: true });
  });

  let dyadTotal = 0;
  await step("the event explorer filters to a dyad", async () => {
    await page.click('nav a[data-view="events"]');
    await page.waitForSelector('#events-table[data-ready="1"]');
    const all = Number(await page.getAttribute("#events-table", "data-total"));
    await page.fill('#events-form [name="source"]', "ARM");
    await page.fill('#events-form [name="target"]', "AZE");
    await page.check('#events-form [name="either"]');
    // Mark the table stale first: the hashchange that reloads it fires after the hash is set,
    // so "ready" alone could still be the previous (unfiltered) page's.
    await page.evaluate(() => { document.querySelector("#events-table").dataset.ready = "stale"; });
    await page.click("#events-run");
    await page.waitForFunction(() => location.hash.includes("source=ARM"));
    await page.waitForSelector('#events-table[data-ready="1"]');
    dyadTotal = Number(await page.getAttribute("#events-table", "data-total"));
    const api = await (await fetch(`${base}/api/events?source=ARM&target=AZE&either=true&limit=1`)).json();
    assert.equal(dyadTotal, api.total);
    assert.ok(dyadTotal > 0 && dyadTotal < all, `${dyadTotal} of ${all}`);
    const pairs = await page.$$eval("#events-table tbody tr", (rows) =>
      rows.map((r) => `${r.dataset.source}>${r.dataset.target}`));
    assert.equal(pairs.length, Math.min(dyadTotal, 50));
    for (const p of pairs) assert.match(p, /^(ARM[A-Z]*>AZE[A-Z]*|AZE[A-Z]*>ARM[A-Z]*)$/);
    assert.match(await page.textContent("#events-range"), new RegExp(`of ${dyadTotal} events`));
    await page.screenshot({ path: `${shots}/events.png`, fullPage: true });
  });

  await step("an explorer row links to its article with the event marked", async () => {
    await page.locator("#events-table tbody tr td.evidence a").first().click();
    await page.waitForSelector("#article-doc .hl.selected");
    assert.ok((await page.textContent("#article-doc")).length > 200);
    assert.equal(await page.locator("#article-explain").isVisible(), true);
    await page.screenshot({ path: `${shots}/article.png`, fullPage: true });
  });

  await step("the time series draws for the dyad", async () => {
    await page.click('nav a[data-view="series"]');
    await page.fill('#series-form [name="source"]', "ARM");
    await page.fill('#series-form [name="target"]', "AZE");
    await page.check('#series-form [name="either"]');
    await page.selectOption('#series-form [name="bucket"]', "week");
    // As in the explorer: the chart may still be "ready" from the view's first draw.
    await page.evaluate(() => { document.querySelector("#series-chart").dataset.ready = "stale"; });
    await page.click("#series-run");
    await page.waitForSelector('#series-chart[data-ready="1"]');
    const points = Number(await page.getAttribute("#series-chart", "data-points"));
    const api = await (await fetch(`${base}/api/series?source=ARM&target=AZE&either=true&bucket=week`)).json();
    // Every week from the first to the last with events, the quiet ones as zero.
    const first = Date.parse(api.points[0].period);
    const last = Date.parse(api.points[api.points.length - 1].period);
    assert.equal(points, (last - first) / (7 * 86400e3) + 1);
    assert.ok(api.points.length >= 2 && points >= api.points.length);
    await page.waitForTimeout(400); // ECharts animates its first frame in.
    assert.ok(await inkedPixels(page, "#series-chart") > 2000, "the chart canvas is blank");
    await page.screenshot({ path: `${shots}/series.png`, fullPage: true });
  });

  await step("the actor network draws", async () => {
    await page.click('nav a[data-view="network"]');
    await page.waitForSelector('#network-graph[data-ready="1"]');
    const nodes = Number(await page.getAttribute("#network-graph", "data-nodes"));
    const edges = Number(await page.getAttribute("#network-graph", "data-edges"));
    assert.ok(nodes >= 4 && edges >= 3, `${nodes} nodes, ${edges} edges`);
    await page.waitForTimeout(300);
    assert.ok(await inkedPixels(page, "#network-graph") > 2000, "the network canvas is blank");
    await page.screenshot({ path: `${shots}/network.png`, fullPage: true });
  });

  await step("the map draws the world and the event locations, offline", async () => {
    await page.click('nav a[data-view="map"]');
    await page.waitForSelector('#map-chart[data-ready="1"]');
    const points = Number(await page.getAttribute("#map-chart", "data-points"));
    const api = await (await fetch(`${base}/api/places/top?limit=500`)).json();
    assert.equal(points, api.places.length);
    assert.ok(points >= 3, `${points} places`);
    await page.waitForTimeout(600);
    assert.ok(await inkedPixels(page, "#map-chart") > 20000, "the map canvas is (nearly) blank");
    await page.screenshot({ path: `${shots}/map.png`, fullPage: true });
  });

  await step("a bad request shows the API's error, not a broken page", async () => {
    await page.goto(`${base}/#/events?from=yesterday`);
    await page.waitForSelector("#view-events .error:not([hidden])");
    assert.match(await page.textContent("#view-events .error"), /400: `from`/);
  });

  await step("nothing outside the server was requested and nothing logged an error", async () => {
    assert.deepEqual(outside, []);
    // The deliberate 400 above logs one failed-resource line; anything else is a bug.
    const real = problems.filter((p) => !/status of 400/.test(p));
    assert.deepEqual(real, []);
  });

  await browser.close();
  console.log(`e2e: ${passed} passed, ${failed} failed (screenshots in ${shots})`);
  process.exit(failed ? 1 : 0);
}

main().catch((err) => {
  console.error(`e2e: could not run: ${err && err.stack ? err.stack : err}`);
  process.exit(2);
});
