// What no accessibility engine sees, tested as a keyboard or screen-reader
// user and a visitor who zooms would meet it: where focus lands after every
// step and screen change, what the one live region says (and how often), no
// sideways scrolling at 320×640 and 640×400, a whole visit with the keyboard
// alone, and the accessibility tree of every visit step against its
// reference in tests/aria/ (UPDATE_ARIA=1 rewrites them after a deliberate change).
import { readFile, writeFile, mkdir } from "node:fs/promises";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { check, close, expectReflow, qualify, shots, startVisit, test } from "./support.mjs";

const aria = join(dirname(fileURLToPath(import.meta.url)), "aria");

/** The focused element, as a screen reader would name it. */
async function focused(page) {
  return page.evaluate(() => {
    const e = document.activeElement;
    if (!e || e === document.body) return { tag: "body", name: "" };
    const labelled = e.getAttribute("aria-labelledby");
    const name = (labelled ? document.getElementById(labelled)?.textContent : null) ?? e.labels?.[0]?.textContent ?? e.getAttribute("aria-label") ?? e.textContent;
    return { tag: e.tagName.toLowerCase(), name: (name ?? "").replace(/\s+/g, " ").trim(), landing: e.hasAttribute("data-landing") };
  });
}

/** Focus is on a heading (h1, or h2 for the ticket) whose words match `name`. */
async function expectFocusOn(page, tag, name, after) {
  // Focus moves once the new screen is painted: give it that frame.
  for (let i = 0; i < 20; i++) {
    const f = await focused(page);
    if (f.tag === tag && name.test(f.name)) return;
    await page.waitForTimeout(25);
  }
  const f = await focused(page);
  throw new Error(`after ${after}, focus is on <${f.tag}> « ${f.name} », not <${tag}> ${name}`);
}

/** Records every text added to the live region from now on. */
async function listen(page) {
  await page.evaluate(() => {
    const region = document.getElementById("annonces");
    region.dataset.watched = "1";
    window.__said = [];
    new MutationObserver((changes) => {
      for (const c of changes) for (const n of c.addedNodes) window.__said.push(n.textContent);
    }).observe(region, { childList: true, subtree: true });
  });
}

const said = (page) => page.evaluate(() => window.__said);

/** The live region is the one that was there from the start, and it says `text`. */
async function expectSaid(page, text) {
  await page.waitForFunction((t) => window.__said.some((s) => s.includes(t)), text, { timeout: 3000 }).catch(async () => {
    throw new Error(`the live region never said « ${text} »: ${JSON.stringify(await said(page))}`);
  });
  check(await page.evaluate(() => document.getElementById("annonces")?.dataset.watched === "1"), "the live region was replaced");
}

/** Every `<time>` says its value in a machine-readable form. */
async function expectValidTimes(page) {
  const bad = await page.evaluate(() =>
    [...document.querySelectorAll("time")].map((t) => t.getAttribute("datetime") ?? "").filter((d) => !/^(P(T\d+H)?(T?\d+M)?(T?\d+S)?|PT\d+S|\d{4}-\d\d-\d\d(T\d\d:\d\d(:\d\d)?)?)$/.test(d)),
  );
  check(bad.length === 0, `<time> without a valid datetime: ${JSON.stringify(bad)}`);
}

/** The accessibility tree of `main` against its reference; step clocks and ticket numbers vary. */
async function expectAria(page, name) {
  const tree = (await page.locator("main:visible").ariaSnapshot())
    .replace(/\b\d+:\d\d\b/g, "m:ss")
    .replace(/\b[A-Z]{2}\d\d\b/g, "XX00");
  const file = join(aria, `${name}.yml`);
  if (process.env.UPDATE_ARIA) {
    await mkdir(aria, { recursive: true });
    await writeFile(file, `${tree}\n`);
    return;
  }
  const reference = await readFile(file, "utf8").catch(() => null);
  check(reference !== null, `no ARIA reference ${file}: run with UPDATE_ARIA=1 and read it`);
  check(reference.trimEnd() === tree.trimEnd(), `the accessibility tree of ${name} changed:\n--- reference\n${reference}\n--- now\n${tree}`);
}

test("a11y: focus lands on each step's heading or the ticket, and never on the page's body", async (page) => {
  await page.getByRole("button", { name: "Nouvelle visite" }).click();
  await expectFocusOn(page, "h1", /^Écouter$/, "« Nouvelle visite »");
  await expectAria(page, "visit-listen");
  await page.getByRole("button", { name: "Qualifier la demande →" }).click();
  await expectFocusOn(page, "h1", /^Qualifier$/, "« Qualifier la demande → »");
  await page.getByRole("button", { name: "Hors catalogue…" }).click();
  await expectFocusOn(page, "input", /^Demande hors catalogue/, "« Hors catalogue… »");
  await page.getByRole("button", { name: "← Étape précédente" }).click();
  await expectFocusOn(page, "h1", /^Écouter$/, "« ← Étape précédente »");
  await page.getByRole("button", { name: "Qualifier la demande →" }).click();
  await page.getByLabel("Mots du visiteur").fill("naiss");
  await page.getByRole("button", { name: /Acte de naissance/ }).first().click();
  await expectAria(page, "visit-qualify");
  await page.getByRole("button", { name: "Orienter →" }).click();
  await expectFocusOn(page, "h1", /^Orienter$/, "« Orienter → »");
  await expectAria(page, "visit-orient");
  await page.getByRole("button", { name: /Ticket · guichet\s*État civil/ }).click();
  await expectFocusOn(page, "h2", /^Ticket [A-Z]{2}\d\d$/, "choosing a counter (the ticket is issued)");
  await expectAria(page, "visit-accompany");
  await page.getByRole("button", { name: "Montrer au visiteur" }).click();
  await expectFocusOn(page, "h1", /^Votre passage à la mairie$/, "« Montrer au visiteur »");
  await page.getByRole("button", { name: "Rendre la main à l'agent" }).click();
  await expectFocusOn(page, "h2", /^Ticket [A-Z]{2}\d\d$/, "« Rendre la main à l'agent »");
  await page.getByRole("button", { name: "Je l'accompagne" }).click();
  await expectFocusOn(page, "h1", /^Bonjour$/, "« Je l'accompagne »");
  await page.getByRole("button", { name: "Journal du jour" }).click();
  await expectFocusOn(page, "h1", /^Journal du jour$/, "« Journal du jour »");
  await expectValidTimes(page);
  await page.getByRole("button", { name: "Accueil" }).click();
  await startVisit(page);
  await qualify(page, "horaires mairie", "Renseignement général");
  await page.getByRole("button", { name: /Résolu sur place/ }).click();
  await expectFocusOn(page, "h1", /^Accompagner$/, "« Résolu sur place » (no ticket)");
  await expectValidTimes(page);
});

test("a11y: confirmations and result counts are said by the one live region, once", async (page) => {
  await page.getByRole("button", { name: "Nouvelle visite" }).waitFor();
  check(await page.locator("#annonces[role=status]").count() === 1, "one live region, there from the start");
  await listen(page);
  await startVisit(page);
  await page.getByRole("button", { name: "Qualifier la demande →" }).click();
  await page.getByLabel("Mots du visiteur").pressSequentially("carte ident", { delay: 60 });
  await page.waitForTimeout(1200);
  const counts = (await said(page)).filter((s) => /démarches? trouvées?|Aucune démarche/.test(s));
  check(counts.length === 1 && /^\d+ démarches? trouvées?\.$/.test(counts[0]), `results counted once after typing: ${JSON.stringify(counts)}`);
  check(await page.locator(".results[aria-live]").count() === 0, "the results list is not re-read on every keystroke");
  check(await page.locator(".sync[aria-live], .sync[role=status]").count() === 0, "the sync badge is not a live region");
  await page.getByRole("button", { name: /Carte d'identité/ }).first().click();
  await page.getByRole("button", { name: "Orienter →" }).click();
  await page.getByRole("button", { name: /Résolu sur place/ }).click();
  await close(page, false);
  await expectSaid(page, "Visite enregistrée.");
  await page.getByRole("button", { name: "Réglages" }).click();
  await page.getByRole("button", { name: "Enregistrer" }).click();
  await expectSaid(page, "Réglages enregistrés.");
  // A wrong code is an error tied to its field, said as an alert.
  await page.getByLabel("Invitation d'enrôlement").fill("https://127.0.0.1:8719/#code=ABC");
  await page.getByRole("button", { name: "Relier la tablette" }).click();
  const code = page.getByLabel("Invitation d'enrôlement");
  await page.getByRole("alert").waitFor();
  check((await code.getAttribute("aria-invalid")) === "true", "the code field is marked invalid");
  const described = (await code.getAttribute("aria-describedby")) ?? "";
  const descriptions = await Promise.all(described.split(" ").map((id) => page.locator(`[id="${id}"]`).textContent()));
  check(descriptions.some((d) => /code d'enrôlement inconnu/.test(d)), `the error describes its field: ${JSON.stringify(descriptions)}`);
  check(await page.getByRole("textbox", { name: "Invitation d'enrôlement", exact: true }).count() === 1, "the field's name is its label alone, hint apart");
  check(await page.locator("input[required]").count() === 1, "the invitation field is marked required");
});

test("a11y: the lead's sign-off, export and catalogue confirmations go through the live region", async (page) => {
  await page.getByRole("button", { name: "Équipe" }).waitFor();
  await listen(page);
  await page.getByRole("button", { name: "Équipe" }).click();
  await expectFocusOn(page, "h1", /^Journal de l'équipe$/, "« Équipe »");
  await expectSaid(page, "64 visites · page 1 sur 3");
  await page.getByRole("button", { name: "Viser la journée" }).click();
  await expectSaid(page, "visée.");
  await page.getByRole("button", { name: "Indicateurs" }).click();
  await expectFocusOn(page, "h1", /^Indicateurs/, "« Indicateurs »");
  await page.getByRole("button", { name: "Exporter en CSV" }).click();
  await expectSaid(page, "Export");
  await page.getByRole("button", { name: "Créer une démarche" }).first().click();
  await expectFocusOn(page, "h2", /^Nouvelle démarche$/, "« Créer une démarche »");
  await page.getByLabel("Catégorie").fill("Vie pratique");
  await page.getByLabel("Service qui la traite").selectOption({ index: 1 });
  await page.getByRole("button", { name: "Enregistrer" }).click();
  await expectSaid(page, "Enregistré (version 1)");
  await page.getByRole("button", { name: "Retour à la liste" }).click();
  await page.getByRole("button", { name: "Nouveau service ou partenaire" }).click();
  await expectFocusOn(page, "h2", /^Nouveau service$/, "« Nouveau service ou partenaire »");
}, "?lead");

test("a11y: no sideways scrolling at 320×640 and 640×400 on every agent screen", async (page) => {
  await page.getByRole("button", { name: "Nouvelle visite" }).waitFor();
  await expectReflow(page, "home");
  await startVisit(page);
  await expectReflow(page, "visit-listen");
  await page.getByRole("button", { name: "Qualifier la demande →" }).click();
  await page.getByLabel("Mots du visiteur").fill("naissance");
  await page.getByRole("button", { name: /Acte de naissance/ }).first().click();
  await expectReflow(page, "visit-qualify");
  await page.getByRole("button", { name: "Orienter →" }).click();
  await page.locator(".other-counters summary").click();
  await expectReflow(page, "visit-orient");
  await page.getByRole("button", { name: /Ticket · guichet\s*État civil/ }).first().click();
  await expectReflow(page, "visit-accompany");
  await page.getByRole("button", { name: "Montrer au visiteur" }).click();
  await page.getByRole("button", { name: "العربية" }).click();
  await expectReflow(page, "visitor-arabic");
  await page.getByRole("button", { name: "Rendre la main à l'agent" }).click();
  await close(page, true);
  await page.getByRole("button", { name: "Journal du jour" }).click();
  await expectReflow(page, "journal");
  await page.getByRole("button", { name: "Réglages" }).click();
  await page.locator(".statement summary").click();
  await expectReflow(page, "settings");
});

test("a11y: no sideways scrolling at 320×640 and 640×400 on the lead's screens", async (page) => {
  await page.getByRole("button", { name: "Équipe" }).click();
  await page.getByText(/^64 visites · page 1 sur 3$/).waitFor();
  await page.locator(".team-visits details").first().click();
  await expectReflow(page, "lead-journal");
  await page.getByRole("button", { name: "Indicateurs" }).click();
  await page.locator("canvas[data-chart=arrivees]").waitFor();
  await expectReflow(page, "lead-indicators");
  await page.getByRole("button", { name: "Catalogue" }).click();
  await expectReflow(page, "lead-catalogue");
  await page.getByRole("button", { name: "Nouvelle démarche" }).click();
  await expectReflow(page, "lead-catalogue-form");
}, "?lead");

/** Presses Tab until the focused element is named `name`; each stop must show its focus ring. */
async function tabTo(page, name, max = 60) {
  for (let i = 0; i < max; i++) {
    await page.keyboard.press("Tab");
    const f = await page.evaluate(() => {
      const e = document.activeElement;
      const s = getComputedStyle(e);
      return { name: (e.labels?.[0]?.textContent ?? e.textContent ?? "").replace(/\s+/g, " ").trim(), ring: s.outlineStyle !== "none" && parseFloat(s.outlineWidth) >= 2 };
    });
    check(f.ring, `« ${f.name} » has no visible focus ring`);
    if (name.test(f.name)) return;
  }
  throw new Error(`${name} cannot be reached with Tab`);
}

test("a11y: a whole visit with the keyboard alone, skip link included", async (page) => {
  await page.getByRole("button", { name: "Nouvelle visite" }).waitFor();
  await page.keyboard.press("Tab");
  check((await focused(page)).name === "Aller au contenu", "the first Tab reaches the skip link");
  await page.screenshot({ path: join(shots, "keyboard-skip-link.png") });
  await page.keyboard.press("Enter");
  check((await focused(page)).tag === "main", "the skip link moves focus to the content");
  await tabTo(page, /^Nouvelle visite$/);
  await page.keyboard.press("Enter");
  await expectFocusOn(page, "h1", /^Écouter$/, "Enter on « Nouvelle visite »");
  await tabTo(page, /^English$/);
  await page.keyboard.press("Space");
  await tabTo(page, /^Qualifier la demande →$/);
  await page.keyboard.press("Enter");
  await expectFocusOn(page, "h1", /^Qualifier$/, "Enter on « Qualifier la demande → »");
  await tabTo(page, /^Mots du visiteur/);
  await page.keyboard.type("naiss");
  await page.locator('.results[data-query="naiss"] button').first().waitFor();
  await tabTo(page, /^Acte de naissance/);
  await page.screenshot({ path: join(shots, "keyboard-result-focus.png") });
  await page.keyboard.press("Space");
  check((await page.locator(".result[aria-pressed=true]").count()) === 1, "Space chose the result");
  await page.screenshot({ path: join(shots, "keyboard-result-chosen-focus.png") });
  await tabTo(page, /^Orienter →$/);
  await page.keyboard.press("Enter");
  await expectFocusOn(page, "h1", /^Orienter$/, "Enter on « Orienter → »");
  await tabTo(page, /^Ticket · guichet\s*État civil/);
  await page.keyboard.press("Enter");
  await expectFocusOn(page, "h2", /^Ticket [A-Z]{2}\d\d$/, "Enter on a counter");
  await tabTo(page, /^Montrer au visiteur$/);
  await page.keyboard.press("Enter");
  await expectFocusOn(page, "h1", /^Your visit to the town hall$/, "Enter on « Montrer au visiteur »");
  await tabTo(page, /^Rendre la main à l'agent$/);
  await page.keyboard.press("Enter");
  await expectFocusOn(page, "h2", /^Ticket [A-Z]{2}\d\d$/, "Enter on « Rendre la main à l'agent »");
  await tabTo(page, /^Je l'accompagne$/);
  await page.keyboard.press("Enter");
  await page.getByText("Visite enregistrée.").waitFor();
  await expectFocusOn(page, "h1", /^Bonjour$/, "Enter on « Je l'accompagne »");
});
