// What the browser tests share: the built UI (dist/) served on 127.0.0.1,
// Debian's Chromium driven by playwright-core, two accessibility engines
// (axe-core and IBM Equal Access) run on every screen at both tablet sizes,
// screenshots in test-results/, and the steps of a visit as a greeter walks
// them. `run()` ends with one line: "N passed, N failed". ONLY=words runs
// the tests whose names hold them; EA_COLLECT=file appends the second engine's
// unexplained results to file instead of failing, to judge them all at once.
import { createServer } from "node:http";
import { readFile, mkdir } from "node:fs/promises";
import { extname, join, dirname } from "node:path";
import { fileURLToPath } from "node:url";
import { createRequire } from "node:module";
import { chromium } from "playwright-core";
import axe from "axe-core";

const here = dirname(fileURLToPath(import.meta.url));
const dist = join(here, "..", "dist");
export const shots = join(here, "..", "test-results");
export const SIZES = { landscape: { width: 1280, height: 800 }, portrait: { width: 800, height: 1280 } };
const TYPES = { ".html": "text/html", ".js": "text/javascript", ".css": "text/css", ".woff2": "font/woff2", ".woff": "font/woff", ".svg": "image/svg+xml" };
const aceSource = await readFile(createRequire(import.meta.url).resolve("accessibility-checker-engine/ace.js"), "utf8");
/** The second engine's results judged not to be failures, each with why: the one place they are recorded. */
const judged = JSON.parse(await readFile(join(here, "equal-access-judged.json"), "utf8"));
const judgedUsed = new Set();

function serve() {
  const server = createServer(async (req, res) => {
    const path = new URL(req.url, "http://x").pathname;
    const file = join(dist, path === "/" ? "index.html" : path);
    try {
      const body = await readFile(file);
      res.writeHead(200, { "content-type": TYPES[extname(file)] ?? "application/octet-stream" });
      res.end(body);
    } catch {
      res.writeHead(404).end();
    }
  });
  return new Promise((resolve) => server.listen(0, "127.0.0.1", () => resolve(server)));
}

const tests = [];
/** A test; `query` is added to the address (`?lead`: a team lead's device). */
export const test = (name, fn, query = "", locale = "fr-FR") => tests.push({ name, fn, query, locale });

export async function expectAxeClean(page, where) {
  await page.addScriptTag({ content: axe.source });
  const result = await page.evaluate(() =>
    window.axe.run(document, { runOnly: { type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"] } }),
  );
  if (result.violations.length > 0) {
    const list = result.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`).join("\n  ");
    throw new Error(`axe found ${result.violations.length} violation(s) on ${where}:\n  ${list}`);
  }
}

/**
 * IBM Equal Access (WCAG 2.2 A and AA rule set): every result that is not a
 * pass — failure, potential violation, recommendation or manual check — must
 * be fixed or judged in `equal-access-judged.json` (by rule and reason).
 */
export async function expectEqualAccessClean(page, where) {
  if (!(await page.evaluate(() => !!window.ace))) await page.addScriptTag({ content: aceSource });
  const results = await page.evaluate(async () => {
    const report = await new window.ace.Checker().check(document, ["WCAG_2_2"]);
    return report.results
      .filter((r) => r.value[1] !== "PASS")
      .map((r) => ({ rule: r.ruleId, reason: r.reasonId, level: r.value.join("/"), path: r.path.dom, message: r.message }));
  });
  const unexplained = results.filter((r) => {
    const why = judged[r.rule]?.[r.reason];
    if (why) judgedUsed.add(`${r.rule}/${r.reason}`);
    return !why;
  });
  if (process.env.EA_COLLECT) {
    const { appendFile } = await import("node:fs/promises");
    await appendFile(process.env.EA_COLLECT, unexplained.map((r) => JSON.stringify({ ...r, where })).join("\n") + "\n");
    return;
  }
  if (unexplained.length > 0) {
    const list = unexplained.map((r) => `${r.rule}/${r.reason} (${r.level}) at ${r.path}: ${r.message}`).join("\n  ");
    throw new Error(`IBM Equal Access: ${unexplained.length} unexplained result(s) on ${where}:\n  ${list}`);
  }
}

/** Screenshots at both tablet sizes, each checked by both engines. */
export async function screens(page, name) {
  for (const [size, viewport] of Object.entries(SIZES)) {
    await page.setViewportSize(viewport);
    await page.screenshot({ path: join(shots, `${name}-${size}.png`), fullPage: false });
    await expectAxeClean(page, `${name} (${size})`);
    await expectEqualAccessClean(page, `${name} (${size})`);
  }
  await page.setViewportSize(SIZES.landscape);
}

/** Zoomed views: 1280×800 at 400 % is 320 px wide, at 200 % 640×400 (WCAG 1.4.10). */
const ZOOMED = { "320x640": { width: 320, height: 640 }, "640x400": { width: 640, height: 400 } };

/** Nothing scrolls sideways and nothing sticks out of the screen, at 320×640 and 640×400. */
export async function expectReflow(page, name) {
  for (const [size, viewport] of Object.entries(ZOOMED)) {
    await page.setViewportSize(viewport);
    await page.waitForTimeout(50);
    const out = await page.evaluate(() => {
      const width = document.documentElement.clientWidth;
      const wide = [];
      for (const e of document.querySelectorAll("body *")) {
        const r = e.getBoundingClientRect();
        const style = getComputedStyle(e);
        if (r.width === 0 || style.visibility === "hidden" || e.closest(".visually-hidden, .skip-link")) continue;
        // Inside a box clipped to one pixel (a table's header kept for screen readers): not on screen.
        let clipped = false;
        for (let a = e.parentElement; a && !clipped; a = a.parentElement) clipped = a.getBoundingClientRect().width <= 1 && getComputedStyle(a).overflow === "hidden";
        if (clipped) continue;
        if (r.right > width + 1 || r.left < -1) wide.push(`${e.tagName.toLowerCase()}.${e.className} (${Math.round(r.left)}–${Math.round(r.right)})`);
      }
      return { scroll: document.documentElement.scrollWidth, width, wide: wide.slice(0, 5) };
    });
    if (size === "320x640") await page.screenshot({ path: join(shots, `reflow-${name}-${size}.png`) });
    check(out.scroll <= out.width && out.wide.length === 0, `${name} at ${size}: page ${out.scroll} px wide in ${out.width}; outside: ${out.wide.join(", ")}`);
  }
  await page.setViewportSize({ width: 1280, height: 800 });
}

export function check(condition, message) {
  if (!condition) throw new Error(message);
}

export async function startVisit(page) {
  await page.getByRole("button", { name: "Nouvelle visite" }).click();
  await page.getByRole("heading", { name: "Écouter" }).waitFor();
}

export async function qualify(page, words, title) {
  await page.getByRole("button", { name: "Qualifier la demande →" }).click();
  await page.getByLabel("Mots du visiteur").fill(words);
  await page.getByRole("button", { name: new RegExp(title) }).first().click();
  await page.getByRole("button", { name: "Orienter →" }).click();
  await page.getByRole("heading", { name: "Orienter" }).waitFor();
}

export async function close(page, accompanied) {
  await page.getByRole("button", { name: accompanied ? "Je l'accompagne" : "Y va sans accompagnement" }).click();
  await page.getByText("Visite enregistrée.").waitFor();
}

/** Runs every test in a fresh browser context; exits non-zero when one fails. */
export async function run() {
  const server = await serve();
  const url = `http://127.0.0.1:${server.address().port}/`;
  await mkdir(shots, { recursive: true });
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM ?? "/usr/bin/chromium",
    args: ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
  });
  const only = process.env.ONLY;
  let passed = 0;
  let failed = 0;
  for (const t of tests.filter((t) => !only || t.name.includes(only))) {
    const context = await browser.newContext({ viewport: SIZES.landscape, locale: t.locale, acceptDownloads: true });
    const page = await context.newPage();
    page.setDefaultTimeout(5000);
    try {
      await page.goto(url + t.query);
      await t.fn(page);
      passed += 1;
      console.log(`ok - ${t.name}`);
    } catch (e) {
      failed += 1;
      console.log(`FAILED - ${t.name}\n  ${String(e.stack ?? e).split("\n").slice(0, 12).join("\n  ")}`);
      await page.screenshot({ path: join(shots, `failed-${passed + failed}.png`) }).catch(() => {});
    }
    await context.close();
  }
  await browser.close();
  server.close();
  const unused = Object.entries(judged).flatMap(([rule, reasons]) => Object.keys(reasons).map((r) => `${rule}/${r}`)).filter((k) => !judgedUsed.has(k));
  if (!only && unused.length > 0) console.log(`note: judged Equal Access results no screen reported any more: ${unused.join(", ")}`);
  console.log(`${passed} passed, ${failed} failed`);
  process.exit(failed === 0 ? 0 : 1);
}
