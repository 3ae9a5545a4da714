// Benchmarks of the real app, each beside a minimal Tauri 2 window measured
// the same way in the same run (tauri-driver + WebKitWebDriver under Xvfb):
// - cold start of the release app to its first usable screen;
// - memory (PSS summed over the app and its WebKit processes) after a
//   50-visit session, against the minimal window once loaded, and again
//   after 300 visits (a greeter's day): it should not grow; beside that
//   growth, the minimal window's when it creates and removes as many
//   elements in as many renders: WebKit holds on to the memory of removed
//   elements for a while, whatever the page, so this tells the engine's
//   share from the app's;
// - release binary size;
// - keystroke-to-results time in the real app, over the visitor phrasings, beside its floor:
//   the same key's text painted in the field with no search.
// The 50 visits are walked from inside the page (see visitsInPage);
// BENCH_DRIVE=webdriver walks them through WebDriver instead. Knobs:
// BENCH_RUNS (starts), BENCH_VISITS, BENCH_DAY_VISITS, BENCH_SETTLE_MS,
// BENCH_APP_ENV (`NAME=value,…` for both apps), BENCH_SMAPS=1 (where the memory is),
// BENCH_ONLY=keystrokes or memory (the keystroke timing, or the starts and the memory, alone), BENCH_EVERY=n (every nth phrasing),
// BENCH_PROBE=1 (whether the key's own frame came before its results: a frame requested at the keystroke). Like for like by default:
// both webviews without GPU compositing (WEBKIT_DISABLE_COMPOSITING_MODE=1,
// what the app sets for itself); BENCH_APP_ENV= (empty) measures the minimal
// window as it comes. The app also turns JavaScriptCore's JIT off for its web
// process (JSC_useJIT=false); BENCH_APP_ENV=WEBKIT_DISABLE_COMPOSITING_MODE=1,JSC_useJIT=false
// gives the minimal window the same. BENCH_SMAPS_TOP: how many mappings to list.
// Run: cargo build --release -p volant-app -p minimal-window && xvfb-run -a node tests/app/bench.mjs
import { spawn } from "node:child_process";
import { mkdtempSync, readFileSync, readdirSync, statSync } from "node:fs";
import { tmpdir, homedir } from "node:os";
import { join, resolve, dirname } from "node:path";
import { fileURLToPath } from "node:url";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "..", "..");
const release = (name) => join(root, "target", "release", name);
const driver = "http://127.0.0.1:4444";
const ELEMENT = "element-6066-11e4-a52e-4f735466cecf";
const RUNS = Number(process.env.BENCH_RUNS ?? 5);
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const work = mkdtempSync(join(tmpdir(), "volant-bench-"));
const db = join(work, "tablet.sqlite3");

async function wd(method, path, body) {
  const r = await fetch(`${driver}${path}`, { method, headers: { "content-type": "application/json" }, body: body === undefined ? undefined : JSON.stringify(body) });
  const json = await r.json();
  if (!r.ok || json.value?.error) throw new Error(`${method} ${path}: ${JSON.stringify(json.value).slice(0, 300)}`);
  return json.value;
}

async function find(session, xpath, timeoutMs = 20000) {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const found = await wd("POST", `/session/${session}/elements`, { using: "xpath", value: xpath }).catch(() => []);
    if (found.length > 0) return found[0][ELEMENT];
    if (Date.now() > end) throw new Error(`not found: ${xpath}`);
    await sleep(5);
  }
}
const click = async (s, xpath) => wd("POST", `/session/${s}/element/${await find(s, xpath)}/click`, {});
const button = (label) => `//button[contains(normalize-space(.), "${label}")]`;

/** Starts the app and returns [session, ms to the first usable screen]. */
async function start(application, usable) {
  const t0 = performance.now();
  const { sessionId } = await wd("POST", "/session", { capabilities: { alwaysMatch: { "tauri:options": { application } } } });
  await find(sessionId, usable);
  return [sessionId, performance.now() - t0];
}

/** PSS in MiB of the app's process and its WebKit children. */
function pss(binary) {
  const procs = readdirSync("/proc").filter((p) => /^\d+$/.test(p));
  const parent = (pid) => Number(readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1].split(" ")[1]);
  const apps = procs.filter((p) => {
    try {
      return readFileSync(`/proc/${p}/cmdline`, "utf8").split("\0")[0] === binary;
    } catch {
      return false;
    }
  });
  const family = new Set(apps);
  let grew = true;
  while (grew) {
    grew = false;
    for (const p of procs) {
      try {
        if (!family.has(p) && family.has(String(parent(p)))) {
          family.add(p);
          grew = true;
        }
      } catch {}
    }
  }
  let kib = 0;
  const parts = [];
  for (const p of family) {
    try {
      const m = readFileSync(`/proc/${p}/smaps_rollup`, "utf8").match(/^Pss:\s+(\d+) kB/m);
      const k = m ? Number(m[1]) : 0;
      kib += k;
      parts.push(`${readFileSync(`/proc/${p}/comm`, "utf8").trim()} ${(k / 1024).toFixed(0)}`);
    } catch {}
  }
  return { mib: kib / 1024, processes: family.size, parts: parts.join(", "), family };
}

/** With BENCH_SMAPS=1: where each process's PSS is, by mapping (anonymous, heap, each file), largest first. */
function mappings(label, { family }) {
  if (!process.env.BENCH_SMAPS) return;
  for (const p of family) {
    const by = new Map();
    let name = "";
    for (const line of readFileSync(`/proc/${p}/smaps`, "utf8").split("\n")) {
      const head = line.match(/^[0-9a-f]+-[0-9a-f]+ \S+ \S+ \S+ \S+\s*(.*)$/);
      if (head) name = head[1] || "[anon]";
      const m = line.match(/^Pss:\s+(\d+) kB/);
      if (m) by.set(name, (by.get(name) ?? 0) + Number(m[1]));
    }
    const top = [...by].sort((a, b) => b[1] - a[1]).slice(0, Number(process.env.BENCH_SMAPS_TOP ?? 8)).map(([n, k]) => `${n.split("/").pop()} ${(k / 1024).toFixed(1)}`);
    console.log(`  ${label} ${readFileSync(`/proc/${p}/comm`, "utf8").trim()}: ${top.join(", ")}`);
  }
}

const percentile = (xs, p) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.round((p / 100) * (s.length - 1))];
};

async function visit(s, words) {
  await click(s, button("Nouvelle visite"));
  await click(s, button("Qualifier la demande"));
  const input = await find(s, `//input[@type="search"]`);
  await wd("POST", `/session/${s}/element/${input}/value`, { text: words });
  await click(s, `//ul[@data-query="${words}"]//button[1]`);
  await click(s, button("Orienter →"));
  await click(s, `//ul[contains(@class, "destinations")]//button[1]`);
  await click(s, button("sans accompagnement"));
  await find(s, `//*[contains(., "Visite enregistrée.")]`);
}

/**
 * The same visits walked from inside the page. WebKit's WebDriver keeps every
 * element it ever returned in a map for the session's life, so a long
 * WebDriver-driven session holds on to the DOM of every screen it visited;
 * measuring memory after such a session measures the driver, not the app.
 * Answers how many elements the page created on the way and in how many
 * renders (what a mutation observer saw added), so the same work can be
 * asked of the minimal window.
 */
async function visitsInPage(s, words, count) {
  await wd("POST", `/session/${s}/timeouts`, { script: 600000 });
  return wd("POST", `/session/${s}/execute/async`, {
    args: [words, count],
    script: `
      const [words, count, done] = arguments;
      const find = (x) => document.evaluate(x, document, null, XPathResult.FIRST_ORDERED_NODE_TYPE, null).singleNodeValue;
      const until = async (x) => { for (;;) { const n = find(x); if (n) return n; await new Promise((r) => setTimeout(r, 5)); } };
      const click = async (x) => (await until(x)).click();
      const button = (label) => '//button[contains(normalize-space(.), "' + label + '")]';
      const setter = Object.getOwnPropertyDescriptor(HTMLInputElement.prototype, 'value').set;
      let elements = 0, renders = 0;
      const seen = new MutationObserver((records) => {
        renders += 1;
        for (const r of records) for (const n of r.addedNodes) if (n.nodeType === 1) elements += 1 + n.getElementsByTagName('*').length;
      });
      seen.observe(document.body, { childList: true, subtree: true });
      (async () => {
        for (let i = 0; i < count; i++) {
          const w = words[i % words.length];
          await click(button("Nouvelle visite"));
          await click(button("Qualifier la demande"));
          const input = await until('//input[@type="search"]');
          setter.call(input, w);
          input.dispatchEvent(new Event('input', { bubbles: true }));
          await click('//ul[@data-query="' + w + '"]//button[1]');
          await click(button("Orienter →"));
          await click('//ul[contains(@class, "destinations")]//button[1]');
          await click(button("sans accompagnement"));
          await until('//*[contains(., "Visite enregistrée.")]');
        }
        seen.disconnect();
        done({ elements, renders });
      })();`,
  });
}

/**
 * A day's DOM work without the app: the minimal window creating and removing
 * as many elements (buttons with a line of text), in as many renders, each
 * put on screen for a frame, then taken off. What it grows by is the engine's own.
 */
async function churnInPage(s, { elements, renders }) {
  await wd("POST", `/session/${s}/timeouts`, { script: 600000 });
  return wd("POST", `/session/${s}/execute/async`, {
    args: [elements, renders],
    script: `
      const [elements, renders, done] = arguments;
      const frame = () => new Promise((r) => requestAnimationFrame(r));
      const each = Math.max(1, Math.round(elements / renders));
      (async () => {
        for (let i = 0; i < renders; i++) {
          const screen = document.createElement('section');
          for (let j = 1; j < each; j++) {
            const b = document.createElement('button');
            b.textContent = 'Visite ' + ((i * 31 + j) % 977) + ' à ' + (i % 24) + ':' + (j % 60);
            screen.appendChild(b);
          }
          document.body.appendChild(screen);
          await frame();
          screen.remove();
        }
        await frame();
        done(true);
      })();`,
  });
}

const phrasings = readFileSync(join(root, "tests", "data", "relevance.tsv"), "utf8")
  .split("\n")
  .filter((l) => l && !l.startsWith("#"))
  .map((l) => l.split("\t")[1])
  .filter((_, i) => i % Number(process.env.BENCH_EVERY ?? 1) === 0);

/**
 * Types each phrasing key by key in the page and times each keystroke until
 * its results are painted. Each key is typed as a keystroke arrives: in the
 * task after a frame's paint. Timed: from the input event to the end of the
 * first frame that holds the results (its `requestAnimationFrame` callback,
 * then a task: its paint has run), and how many frames that was; and where
 * the time goes: until the search command is sent, the command (Tauri's IPC,
 * a fetch of ipc://localhost/search, and the Rust search), until the results
 * are in the page, until they are painted.
 */
async function keystrokes(s) {
  await wd("POST", `/session/${s}/timeouts`, { script: 600000 });
  await click(s, button("Nouvelle visite"));
  await click(s, button("Qualifier la demande"));
  await find(s, `//input[@type="search"]`);
  // In batches of about 150 keystrokes: one WebDriver call must answer within
  // fetch's 300 s, even on a loaded machine whose frames come late.
  const batches = [[]];
  for (const phrase of phrasings) {
    if (batches.at(-1).join("").length >= 150) batches.push([]);
    batches.at(-1).push(phrase);
  }
  const all = { times: [], toFrame: [], frames: [], interval: [], parts: { send: [], command: [], render: [], paint: [] }, floor: { times: [], toFrame: [] }, split: { keyFirst: [], together: [] } };
  for (const batch of batches) {
    const got = await keystrokeBatch(s, batch);
    if (got.stalls) console.log(`  ${got.stalls.length} keystrokes whose results never showed (3 s), e.g. ${JSON.stringify(got.stalls[0])}`);
    for (const k of ["times", "toFrame", "frames", "interval"]) all[k].push(...got[k]);
    for (const k of Object.keys(all.parts)) all.parts[k].push(...got.parts[k]);
    for (const k of Object.keys(all.floor)) all.floor[k].push(...got.floor[k]);
    for (const k of Object.keys(all.split)) all.split[k].push(...got.split[k]);
  }
  return all;
}

async function keystrokeBatch(s, phrasings) {
  return wd("POST", `/session/${s}/execute/async`, {
    args: [phrasings, !!process.env.BENCH_PROBE],
    script: `
      const [phrasings, probe, done] = arguments;
      const split = { keyFirst: [], together: [] };
      const input = document.querySelector('input[type="search"]');
      const list = document.querySelector('.results');
      const setter = Object.getOwnPropertyDescriptor(HTMLInputElement.prototype, 'value').set;
      const timing = window.__benchTiming ??= { sent: 0, answered: 0 };
      if (!window.__benchFetch) {
        const fetch = window.__benchFetch = window.fetch;
        window.fetch = (url, ...rest) => {
          if (!String(url).endsWith('/search')) return fetch(url, ...rest);
          timing.sent = performance.now();
          return fetch(url, ...rest).then((r) => { timing.answered = performance.now(); return r; });
        };
      }
      const frame = () => new Promise((r) => requestAnimationFrame(r));
      // One message channel for the whole run, kept open: in WebKit every
      // channel is registered outside the page, and each channel left open
      // slows every later message (2 ms, then 63 ms after 8,000 channels).
      const channel = window.__benchChannel ??= new MessageChannel();
      const waiting = [];
      channel.port1.onmessage = () => waiting.shift()();
      const task = () => new Promise((r) => { waiting.push(r); channel.port2.postMessage(0); });
      const shown = (value) => new Promise((r) => {
        if (list.dataset.query === value) return r(performance.now());
        const o = new MutationObserver(() => { if (list.dataset.query === value) { o.disconnect(); clearTimeout(stall); r(performance.now()); } });
        o.observe(list, { attributes: true, attributeFilter: ['data-query'] });
        // A keystroke whose results never show is reported, and the typing goes on.
        const stall = setTimeout(() => { o.disconnect(); (stalls ??= []).push([value, list.dataset.query]); r(performance.now()); }, 3000);
      });
      let stalls;
      const times = [], toFrame = [], frames = [], interval = [], parts = { send: [], command: [], render: [], paint: [] };
      const floor = { times: [], toFrame: [] };
      (async () => {
        for (const phrase of phrasings) {
          for (let i = 1; i <= phrase.length; i++) {
            const value = phrase.slice(0, i);
            // The floor: the same key's text painted in the field, with no input
            // event (no search, no results), then the field put back.
            await frame();
            await task();
            const f0 = performance.now();
            setter.call(input, value);
            const floorFrame = await frame();
            await task();
            floor.times.push(performance.now() - f0);
            floor.toFrame.push(floorFrame - f0);
            setter.call(input, phrase.slice(0, i - 1));
            const before = await frame();
            await task();
            const t0 = performance.now();
            timing.sent = timing.answered = 0;
            setter.call(input, value);
            input.dispatchEvent(new Event('input', { bubbles: true }));
            let keyFrame = 0;
            if (probe) requestAnimationFrame(() => { keyFrame = performance.now(); });
            const inPage = await shown(value);
            const painting = await frame();
            if (probe) split[keyFrame && keyFrame < inPage ? "keyFirst" : "together"].push(painting - t0);
            await task();
            const t = performance.now();
            times.push(t - t0);
            toFrame.push(painting - t0);
            const next = await frame();
            interval.push(next - painting);
            frames.push(Math.round((painting - before) / (next - painting)));
            const { sent, answered } = timing;
            if (sent && answered) {
              parts.send.push(sent - t0);
              parts.command.push(answered - sent);
              parts.render.push(inPage - answered);
              parts.paint.push(t - inPage);
            }
          }
        }
        done({ times, toFrame, frames, interval, parts, floor, stalls, split });
      })();`,
  });
}

const appEnv = process.env.BENCH_APP_ENV ?? "WEBKIT_DISABLE_COMPOSITING_MODE=1";
const tauriDriver = spawn(process.env.TAURI_DRIVER ?? join(homedir(), ".cargo", "bin", "tauri-driver"), [], {
  env: { ...process.env, VOLANT_DB: db, ...(appEnv ? Object.fromEntries(appEnv.split(",").map((kv) => kv.split("="))) : {}) },
  stdio: "ignore",
});
try {
  for (let i = 0; i < 50; i++) {
    try {
      if ((await fetch(`${driver}/status`)).ok) break;
    } catch {}
    await sleep(200);
  }
  await sleep(500);
  // One untimed start of each first: the database exists (a start, not a
  // first install) and both binaries are in the page cache alike.
  for (const [app, usable] of [[release("minimal-window"), "//h1"], [release("volant-app"), button("Nouvelle visite")]]) {
    const [s] = await start(app, usable);
    await wd("DELETE", `/session/${s}`);
    await sleep(300);
  }
  const only = process.env.BENCH_ONLY;
  const measure = (part) => !only || only === part;
  let minimal, day;
  if (measure("memory")) {
  const starts = { minimal: [], volant: [] };
  for (let run = 0; run < RUNS; run++) {
    for (const [name, app, usable] of [
      ["minimal", release("minimal-window"), "//h1"],
      ["volant", release("volant-app"), button("Nouvelle visite")],
    ]) {
      const [s, ms] = await start(app, usable);
      starts[name].push(ms);
      await wd("DELETE", `/session/${s}`);
      await sleep(300);
    }
  }
  const median = (xs) => percentile(xs, 50);
  console.log(`cold start to first usable screen (median of ${RUNS}): Volant ${median(starts.volant).toFixed(0)} ms, minimal window ${median(starts.minimal).toFixed(0)} ms  (ratio ${(median(starts.volant) / median(starts.minimal)).toFixed(2)}x; target <= 1.2x)`);

  const [m] = await start(release("minimal-window"), "//h1");
  await sleep(1500);
  minimal = pss(release("minimal-window"));
  mappings("minimal", minimal);
  await wd("DELETE", `/session/${m}`);
  await sleep(500);

  }
  const [s] = await start(release("volant-app"), button("Nouvelle visite"));
  if (measure("memory")) {
  await sleep(1500);
  const fresh = pss(release("volant-app"));
  mappings("fresh", fresh);
  console.log(`memory (PSS) of Volant just started: ${fresh.mib.toFixed(0)} MiB (${fresh.parts})`);
  const words = ["naiss", "passeport", "apl", "cni", "cantine"];
  const count = Number(process.env.BENCH_VISITS ?? 50);
  if (process.env.BENCH_DRIVE === "webdriver") {
    for (let i = 0; i < count; i++) await visit(s, words[i % words.length]);
  } else {
    await visitsInPage(s, words, count);
  }
  await sleep(Number(process.env.BENCH_SETTLE_MS ?? 1500));
  const volant = pss(release("volant-app"));
  mappings(`after ${count}`, volant);
  console.log(`memory (PSS, app + WebKit processes${appEnv ? `, both with ${appEnv}` : ""}): Volant after ${count} visits ${volant.mib.toFixed(0)} MiB (${volant.parts}), minimal window ${minimal.mib.toFixed(0)} MiB (${minimal.parts})  (ratio ${(volant.mib / minimal.mib).toFixed(2)}x; target <= 1.15x)`);
  const dayVisits = Number(process.env.BENCH_DAY_VISITS ?? 300);
  const work = await visitsInPage(s, words, dayVisits - count);
  await sleep(Number(process.env.BENCH_SETTLE_MS ?? 1500));
  const evening = pss(release("volant-app"));
  mappings(`after ${dayVisits}`, evening);
  console.log(`memory over a day: Volant after ${count} visits ${volant.mib.toFixed(0)} MiB, after ${dayVisits} visits ${evening.mib.toFixed(0)} MiB (${evening.parts})  (growth ${(evening.mib - volant.mib).toFixed(1)} MiB; target: none)`);
  day = { work, growth: evening.mib - volant.mib };

  }
  if (measure("keystrokes")) {
    const { times, toFrame, frames, interval, parts, floor, split } = await keystrokes(s);
    const nextFrame = frames.filter((f) => f <= 1).length / frames.length;
    const pc = (xs) => `p50 ${percentile(xs, 50).toFixed(1)} ms, p95 ${percentile(xs, 95).toFixed(1)} ms`;
    console.log(`keystroke to results painted, ${times.length} keystrokes: to the frame that paints them ${pc(toFrame)}; to the end of its paint ${pc(times)}  (target p95 <= 16.7 ms, one frame)`);
    const p95 = (xs) => percentile(xs, 95);
    console.log(`  floor, the key's text alone painted in the field (no search): to its frame ${pc(floor.toFrame)}; to the end of its paint ${pc(floor.times)}  (ratio at p95: to the frame ${(p95(toFrame) / p95(floor.toFrame)).toFixed(2)}x, to the end of paint ${(p95(times) / p95(floor.times)).toFixed(2)}x)`);
    console.log(`  painted in the first frame after the keystroke: ${(100 * nextFrame).toFixed(1)} % (one frame: ${pc(interval)})`);
    console.log(`  where it goes (p50 / p95 ms): ${Object.entries(parts).map(([k, v]) => `${k} ${percentile(v, 50).toFixed(1)} / ${percentile(v, 95).toFixed(1)}`).join(", ")}`);
    if (process.env.BENCH_PROBE) {
      const n = split.keyFirst.length + split.together.length;
      const over = (xs) => xs.filter((x) => x > 16.7).length;
      console.log(`  the key's own frame before its results: ${((100 * split.keyFirst.length) / n).toFixed(1)} % of keystrokes (to the results' frame p95 ${split.keyFirst.length ? percentile(split.keyFirst, 95).toFixed(1) : "—"} ms, ${over(split.keyFirst)} over one frame); key and results in one frame: ${split.together.length} (p95 ${split.together.length ? percentile(split.together, 95).toFixed(1) : "—"} ms, ${over(split.together)} over one frame)`);
    }
  }
  await wd("DELETE", `/session/${s}`);
  await sleep(500);
  if (day) {
    // The day's DOM work in the minimal window (WebKitWebDriver holds one session at a time).
    const { work, growth } = day;
    const [f] = await start(release("minimal-window"), "//h1");
    await sleep(1500);
    const floorBefore = pss(release("minimal-window"));
    await churnInPage(f, work);
    await sleep(Number(process.env.BENCH_SETTLE_MS ?? 1500));
    const floorAfter = pss(release("minimal-window"));
    await wd("DELETE", `/session/${f}`);
    await sleep(500);
    console.log(`the day's DOM work in the minimal window (creating and removing the same ${work.elements} elements in ${work.renders} renders): ${floorBefore.mib.toFixed(0)} MiB, then ${floorAfter.mib.toFixed(0)} MiB  (growth ${(floorAfter.mib - floorBefore.mib).toFixed(1)} MiB; Volant's day grew ${(growth / Math.max(0.1, floorAfter.mib - floorBefore.mib)).toFixed(2)}x that)`);
  }

  const size = (name) => statSync(release(name)).size / (1024 * 1024);
  console.log(`release binary (stripped): Volant ${size("volant-app").toFixed(1)} MiB, minimal window ${size("minimal-window").toFixed(1)} MiB  (target <= 15 MB)`);
} finally {
  tauriDriver.kill("SIGTERM");
  await sleep(500);
}
