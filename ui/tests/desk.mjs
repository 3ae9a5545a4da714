// The counter desk (/guichet) and the call display (/ecran) in Debian's
// Chromium against the real mairie server on 127.0.0.1, fed by real tablets
// (the `volant` command line) that issue tickets and sync. Both engines on
// both pages at 1920×1080 and 1280×800; screenshots in test-results/.
// Over HTTPS with the certificate the server generates: Chromium pins it as a
// kiosk would (--ignore-certificate-errors-spki-list), the screens are
// enrolled by opening the invitation links `device enroll-code` prints.
// Needs target/debug/volant-server and target/debug/volant, and ui/dist.
// Ends with one line: "N passed, N failed".
import { spawn, execFileSync } from "node:child_process";
import { createHash, X509Certificate } from "node:crypto";
import { existsSync, readFileSync } from "node:fs";
import { mkdtemp, mkdir } from "node:fs/promises";
import { request } from "node:https";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { chromium } from "playwright-core";
import { check, expectAxeClean, expectEqualAccessClean, expectReflow, shots } from "./support.mjs";

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, "..", "..");
const bin = (name) => join(root, "target", "debug", name);
const dir = await mkdtemp(join(tmpdir(), "volant-desk-"));
const serverDb = join(dir, "server.sqlite3");
const SIZES = { "1920x1080": { width: 1920, height: 1080 }, "1280x800": { width: 1280, height: 800 } };

function freePort() {
  return new Promise((resolve) => {
    const s = createServer().listen(0, "127.0.0.1", () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });
}

const port = await freePort();
const base = `https://127.0.0.1:${port}`;
const certFile = join(dir, "server.cert.pem");

/** GET over HTTPS trusting the server's own certificate only; resolves to the status. */
function getStatus(path) {
  return new Promise((resolve, reject) => {
    const req = request(`${base}${path}`, { ca: readFileSync(certFile) }, (res) => {
      res.resume();
      resolve(res.statusCode);
    });
    req.on("error", reject);
    req.end();
  });
}

/** What Chromium pins: the base64 SHA-256 of the certificate's public key. */
function spkiPin() {
  const key = new X509Certificate(readFileSync(certFile)).publicKey.export({ type: "spki", format: "der" });
  return createHash("sha256").update(key).digest("base64");
}
let server = null;

/** Starts the real server on its port; resolves once it answers. */
async function startServer() {
  server = spawn(bin("volant-server"), ["--db", serverDb, "serve", "--listen", `127.0.0.1:${port}`, "--ui-dir", join(root, "ui", "dist")], { stdio: ["ignore", "pipe", "pipe"] });
  server.stderr.on("data", () => {});
  for (let i = 0; i < 100; i++) {
    try {
      if (existsSync(certFile) && (await getStatus("/v1/health")) === 200) return;
    } catch {}
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error("the server did not start");
}

function killServer() {
  server?.kill("SIGKILL");
  server = null;
}

const admin = (...args) => execFileSync(bin("volant-server"), ["--db", serverDb, ...args], { encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] }).trim();
const code = (kind, ...more) => admin("device", "enroll-code", "--kind", kind, ...more);

/** A real tablet: its own database, enrolled with the server, walking demo visits. */
class Tablet {
  constructor(name) {
    this.db = join(dir, `${name}.sqlite3`);
  }
  run(...args) {
    return execFileSync(bin("volant"), ["--db", this.db, ...args], { encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });
  }
  enroll() {
    this.run("enroll", code("agent"));
  }
  /** Walks visits; returns the day's tickets (code and service), oldest first. */
  visits(count, seed) {
    this.run("demo", "visits", "--count", String(count), "--seed", String(seed));
    return this.tickets();
  }
  tickets() {
    const day = new Intl.DateTimeFormat("fr-CA", { timeZone: "Europe/Paris" }).format(new Date());
    return JSON.parse(this.run("log", "export", "--date", day, "--format", "json"))
      .flatMap((e) => (e.visit.orientation?.ticket ? [{ code: e.visit.orientation.ticket.code, service: e.visit.orientation.ticket.service, visit: e.visit }] : []));
  }
  sync() {
    this.run("sync");
  }
}

/** Rows of the server's queue for a code: one ticket, never two. */
function queueRows(codeValue) {
  return Number(execFileSync("python3", ["-c", `import sqlite3,sys; print(sqlite3.connect(sys.argv[1]).execute("SELECT COUNT(*) FROM queue_ticket WHERE code = ?", (sys.argv[2],)).fetchone()[0])`, serverDb, codeValue], { encoding: "utf8" }).trim());
}

/** Opens the invitation link on the screen's browser, as the mairie's IT does, and confirms. */
async function enrolScreen(page, path, invitation) {
  check(invitation.startsWith(`${base}${path}#code=`) && /&sha256=[0-9a-f]{64}$/.test(invitation), `an invitation link for ${path}: ${invitation}`);
  await page.goto(invitation);
  const confirm = page.getByRole("button", { name: "Relier ce poste" });
  await confirm.waitFor();
  check(!page.url().includes("code="), `the code leaves the address bar: ${page.url()}`);
  await confirm.click();
}

async function engines(page, name) {
  for (const [size, viewport] of Object.entries(SIZES)) {
    await page.setViewportSize(viewport);
    await page.waitForTimeout(100);
    await page.screenshot({ path: join(shots, `${name}-${size}.png`) });
    await expectAxeClean(page, `${name} (${size})`);
    await expectEqualAccessClean(page, `${name} (${size})`);
  }
  await page.setViewportSize(SIZES["1280x800"]);
}

const heard = (page) => page.evaluate(() => window.__volantHeard ?? []);

const tests = [];
const test = (name, fn) => tests.push({ name, fn });

// The shared state of the walk: the hall's tablets and the first counter's service.
const hall = new Tablet("hall");
const late = new Tablet("offline");
let service;
let first;

test("a counter sees the tablet's ticket with what the greeter qualified, calls it, and the display shows and announces it", async (browser) => {
  hall.enroll();
  const tickets = hall.visits(40, 11);
  const count = (s) => tickets.filter((t) => t.service === s).length;
  service = tickets.map((t) => t.service).sort((x, y) => count(y) - count(x))[0];
  first = tickets.filter((t) => t.service === service);
  check(first.length >= 3, `demo tickets of ${service}: ${first.length}`);
  hall.sync();

  const display = await (await browser.newContext({ bypassCSP: true, viewport: SIZES["1920x1080"], locale: "fr-FR" })).newPage();
  await enrolScreen(display, "/ecran", code("display", "--label", "Salle d'attente", "--services", service));
  await display.getByText("Aucun appel pour l'instant").waitFor();
  await display.getByRole("button", { name: "Activer le son" }).click();
  await display.getByText(/Carillon/).waitFor();

  const desk = await (await browser.newContext({ bypassCSP: true, viewport: SIZES["1280x800"], locale: "fr-FR" })).newPage();
  await enrolScreen(desk, "/guichet", code("counter", "--service", service, "--label", "Guichet 3"));
  await desk.getByRole("heading", { name: "Aucun ticket en cours" }).waitFor();
  await desk.getByRole("heading", { name: `En attente (${first.length})` }).waitFor();
  check((await desk.context().cookies()).every((c) => c.httpOnly && c.secure && c.sameSite === "Strict"), "the credential cookie is HttpOnly, Secure and SameSite=Strict");
  check(await desk.evaluate(() => document.cookie) === "", "scripts cannot read the credential");
  await engines(desk, "desk-waiting");

  await desk.getByRole("button", { name: "Appeler le suivant" }).click();
  await desk.getByRole("heading", { name: `Ticket en cours ${first[0].code}` }).waitFor();
  check(await desk.evaluate(() => document.activeElement?.textContent?.includes("Ticket en cours")), "focus lands on the ticket in hand");
  await desk.getByRole("heading", { name: /Ce que l'accueil a déjà noté/ }).waitFor();
  const demarche = first[0].visit.qualification;
  if (demarche?.kind === "demarches") await desk.getByRole("heading", { level: 3 }).first().waitFor();
  await desk.getByText(`Ticket ${first[0].code} appelé.`).waitFor();
  await engines(desk, "desk-ticket");
  await expectReflow(desk, "desk-ticket");

  // The display shows the call very large and announces it: a chime, then the call said twice.
  await display.locator(".display-code", { hasText: first[0].code }).waitFor({ timeout: 2000 });
  await display.getByText("Guichet 3").first().waitFor();
  await display.waitForFunction(() => (window.__volantHeard ?? []).filter((h) => h.kind === "speech").length >= 2, null, { timeout: 5000 });
  const said = (await heard(display)).filter((h) => h.kind === "speech").map((h) => h.text);
  const spoken = `Ticket ${first[0].code.slice(0, 1)} ${first[0].code.slice(1, 2)} ${Number(first[0].code.slice(2))}, guichet 3`;
  check(said.length === 2 && said.every((s) => s === spoken), `announcements: ${JSON.stringify(said)} (expected « ${spoken} » twice)`);
  check((await heard(display))[0].kind === "chime", "a chime comes first");
  check(!(await display.content()).includes(first[0].visit.id), "no visit data on the display");
  await engines(display, "display-call");

  // Recall: not before 30 s, then counted; the display announces it again.
  const recall = desk.getByRole("button", { name: /^Rappeler/ });
  check(await recall.isDisabled(), "recall waits 30 s");
  await desk.waitForTimeout(30500);
  await recall.click();
  await desk.getByText(/2 appels/).waitFor();
  await display.waitForFunction(() => (window.__volantHeard ?? []).filter((h) => h.kind === "speech").length >= 4, null, { timeout: 8000 });

  await desk.getByRole("button", { name: "Usager présent" }).click();
  await desk.getByText("Au guichet").waitFor();
  await desk.getByRole("button", { name: "À revenir avec des pièces" }).click();
  await desk.getByText(`Ticket ${first[0].code} terminé : à revenir avec des pièces.`).waitFor();
  await desk.getByRole("heading", { name: "Aucun ticket en cours" }).waitFor();
  await desk.context().close();
  await display.context().close();
});

test("absent, put back in the queue, and transferred to another service at its place", async (browser) => {
  const desk = await (await browser.newContext({ bypassCSP: true, viewport: SIZES["1280x800"], locale: "fr-FR" })).newPage();
  await enrolScreen(desk, "/guichet", code("counter", "--service", service, "--label", "Guichet 4"));
  const other = service === "etat-civil" ? "affaires-generales" : "etat-civil";
  const otherDesk = await (await browser.newContext({ bypassCSP: true, viewport: SIZES["1280x800"], locale: "fr-FR" })).newPage();
  await enrolScreen(otherDesk, "/guichet", code("counter", "--service", other, "--label", "Guichet 9"));
  await otherDesk.getByRole("heading", { name: "Aucun ticket en cours" }).waitFor();

  await desk.getByRole("button", { name: "Appeler le suivant" }).click();
  const absent = first[1].code;
  await desk.getByRole("heading", { name: `Ticket en cours ${absent}` }).waitFor();
  await desk.getByRole("button", { name: "Absent" }).click();
  await desk.getByRole("heading", { name: "Absents (1)" }).waitFor();
  await desk.getByRole("button", { name: `Remettre ${absent} dans la file` }).click();
  await desk.getByText(`Ticket ${absent} remis dans la file, à sa place.`).waitFor();
  // Back at its place, first in line (the list follows the server's events).
  await desk.locator(".waiting-code").first().filter({ hasText: new RegExp(`^${absent}$`) }).waitFor();

  await desk.getByRole("button", { name: `Appeler ${absent}` }).click();
  await desk.getByRole("heading", { name: `Ticket en cours ${absent}` }).waitFor();
  await desk.getByLabel("Service", { exact: true }).selectOption(other);
  await desk.getByRole("button", { name: "Transférer" }).click();
  await desk.getByText(new RegExp(`Ticket ${absent} transféré`)).waitFor();
  // The other counter's page hears of it without reloading.
  await otherDesk.locator(".waiting-code", { hasText: absent }).waitFor({ timeout: 3000 });
  await desk.context().close();
  await otherDesk.context().close();
});

test("two counters calling the same ticket: one wins, the other is told", async (browser) => {
  const [a, b] = await Promise.all(["Guichet 5", "Guichet 6"].map(async (label) => {
    const page = await (await browser.newContext({ bypassCSP: true, viewport: SIZES["1280x800"], locale: "fr-FR" })).newPage();
    await enrolScreen(page, "/guichet", code("counter", "--service", service, "--label", label));
    await page.getByRole("heading", { name: "Aucun ticket en cours" }).waitFor();
    return page;
  }));
  const target = first[2].code;
  await Promise.all([a, b].map((p) => p.locator(".waiting-code", { hasText: target }).waitFor()));
  // Both counters press « Appeler » on the list they see; the second counter's
  // request is held on its way until the first one has the ticket in hand, so
  // the race is decided the same way on every run (the server is real).
  let release;
  const held = new Promise((resolve) => { release = resolve; });
  await b.route("**/v1/counter/actions", async (route) => { await held; await route.continue(); });
  await b.getByRole("button", { name: `Appeler ${target}` }).click();
  await a.getByRole("button", { name: `Appeler ${target}` }).click();
  await a.getByRole("heading", { name: `Ticket en cours ${target}` }).waitFor();
  release();
  await b.getByRole("alert").waitFor();
  const won = await Promise.all([a, b].map((p) => p.getByRole("heading", { name: `Ticket en cours ${target}` }).count()));
  check(won[0] === 1 && won[1] === 0, `exactly one counter has ${target}: ${won}`);
  const told = await b.getByRole("alert").textContent();
  check(/déjà appelé au Guichet 5/.test(told), `the other is told: ${told}`);
  await a.context().close();
  await b.context().close();
});

test("a ticket whose tablet is still offline is adopted at the counter, then joined when the tablet syncs", async (browser) => {
  late.enroll();
  const counterTickets = late.visits(40, 23).filter((t) => t.service === service);
  check(counterTickets.length > 0, "the offline tablet issued a ticket for this service");
  const adopted = counterTickets[0].code;
  const desk = await (await browser.newContext({ bypassCSP: true, viewport: SIZES["1280x800"], locale: "fr-FR" })).newPage();
  await enrolScreen(desk, "/guichet", code("counter", "--service", service, "--label", "Guichet 7"));
  await desk.getByRole("heading", { name: "Aucun ticket en cours" }).waitFor();
  await desk.getByLabel("Code du ticket").fill(adopted.toLowerCase());
  await desk.getByRole("button", { name: "Prendre en charge ce ticket" }).click();
  await desk.getByRole("heading", { name: `Ticket en cours ${adopted}` }).waitFor();
  await desk.getByText(/Pas encore reçu de la tablette/).waitFor();
  await desk.getByRole("button", { name: "Traité" }).click();
  await desk.getByText(`Ticket ${adopted} terminé : traité.`).waitFor();
  late.sync();
  check(queueRows(adopted) === 1, `one ticket ${adopted} after the sync, never two`);
  await desk.waitForTimeout(500);
  check(!(await desk.locator(".waiting-code", { hasText: adopted }).count()), "the synced snapshot did not put it back in the queue");
  await desk.context().close();
});

test("a screen invitation naming another certificate is refused, and its code still works", async (browser) => {
  const page = await (await browser.newContext({ bypassCSP: true, viewport: SIZES["1280x800"], locale: "fr-FR" })).newPage();
  const invitation = code("counter", "--service", service, "--label", "Guichet 5");
  await page.goto(invitation.replace(/sha256=[0-9a-f]{64}/, `sha256=${"0".repeat(64)}`));
  await page.getByRole("button", { name: "Relier ce poste" }).click();
  await page.getByText("le certificat du serveur a changé : demander une nouvelle invitation").waitFor();
  await page.screenshot({ path: join(shots, "desk-certificate-changed.png") });
  await expectAxeClean(page, "desk-certificate-changed");
  // Pasted this time, into the field the refusal is tied to.
  await page.getByLabel("Invitation d'enrôlement").fill(invitation);
  await page.getByRole("button", { name: "Relier ce poste" }).click();
  await page.getByRole("heading", { name: "Aucun ticket en cours" }).waitFor();
  await page.context().close();
});

test("the display says within 5 s that it lost the server, and replays nothing once it is back", async (browser) => {
  const display = await (await browser.newContext({ bypassCSP: true, viewport: SIZES["1280x800"], locale: "fr-FR" })).newPage();
  await enrolScreen(display, "/ecran", code("display", "--label", "Salle 2", "--services", service));
  await display.getByRole("button", { name: "Activer le son" }).click();
  await display.locator(".display-code").waitFor();
  const before = (await heard(display)).length;
  const lost = Date.now();
  killServer();
  await display.getByText(/Connexion au serveur perdue/).waitFor({ timeout: 6000 });
  const banner = Date.now() - lost;
  check(banner <= 5500, `banner after ${banner} ms`);
  await display.screenshot({ path: join(shots, "display-lost-1280x800.png") });
  await startServer();
  await display.getByText(/Connexion au serveur perdue/).waitFor({ state: "detached", timeout: 15000 });
  await display.waitForTimeout(2500);
  check((await heard(display)).length === before, `nothing replayed after the reconnection: ${JSON.stringify((await heard(display)).slice(before))}`);
  await display.context().close();
});

await mkdir(shots, { recursive: true });
await startServer();
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM ?? "/usr/bin/chromium",
  args: [`--ignore-certificate-errors-spki-list=${spkiPin()}`, "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--autoplay-policy=user-gesture-required"],
});
let passed = 0;
let failed = 0;
for (const t of tests) {
  try {
    await t.fn(browser);
    passed += 1;
    console.log(`ok - ${t.name}`);
  } catch (e) {
    failed += 1;
    console.log(`FAILED - ${t.name}\n  ${String(e.stack ?? e).split("\n").slice(0, 10).join("\n  ")}`);
  }
}
await browser.close();
killServer();
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed === 0 ? 0 : 1);
