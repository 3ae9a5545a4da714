// The UI in a real browser: Debian's Chromium driven by playwright-core
// against the built UI (dist/) and its in-memory backend. Each test walks
// screens as a greeter would, checks them with axe-core and IBM Equal Access,
// and writes screenshots at tablet landscape (1280×800) and portrait
// (800×1280) to test-results/. The accessibility tests no engine can do
// (focus, announcements, reflow, keyboard, ARIA snapshots) are in a11y.mjs.
// Ends with one line: "N passed, N failed".
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import jsQR from "jsqr";
import { check, close, expectAxeClean, qualify, run, screens, shots, startVisit, test } from "./support.mjs";
import "./a11y.mjs";

/** The visitor screen's take-away QR code, drawn on a canvas and decoded with jsQR. */
async function takeaway(page) {
  const size = 800;
  await page.locator(".takeaway .qr svg").waitFor();
  const pixels = await page.evaluate(async (size) => {
    const svg = document.querySelector(".takeaway .qr svg");
    if (!svg) return null; // being redrawn
    const xml = new XMLSerializer().serializeToString(svg);
    const image = new Image();
    image.src = `data:image/svg+xml;charset=utf-8,${encodeURIComponent(xml)}`;
    await image.decode();
    const canvas = Object.assign(document.createElement("canvas"), { width: size, height: size });
    const context = canvas.getContext("2d");
    context.fillStyle = "#fff";
    context.fillRect(0, 0, size, size);
    context.drawImage(image, 0, 0, size, size);
    return Array.from(context.getImageData(0, 0, size, size).data);
  }, size);
  if (pixels === null) return "";
  const code = jsQR(Uint8ClampedArray.from(pixels), size, size);
  check(code !== null, "the QR code decodes");
  return Buffer.from(code.binaryData).toString("utf8");
}

test("home, then search as you type finds « acte de naissance » from « naiss »", async (page) => {
  await page.getByRole("button", { name: "Nouvelle visite" }).waitFor();
  await screens(page, "home");
  await startVisit(page);
  await screens(page, "visit-listen");
  await page.getByRole("button", { name: "Qualifier la demande →" }).click();
  const input = page.getByLabel("Mots du visiteur");
  let typed = "";
  for (const key of "naiss") {
    await input.press(key);
    typed += key;
    // The results on screen answer what is typed now, after every keystroke.
    await page.locator(`.results[data-query="${typed}"]`).waitFor({ state: "attached" });
  }
  check((await page.locator(".result-title").first().textContent()).includes("Acte de naissance"), "Acte de naissance is not first");
  await page.getByRole("button", { name: /Acte de naissance/ }).first().click();
  await noForm(page, "qualify");
  await screens(page, "visit-qualify");
});

/** A visit's step holds no <form>: the app's webview (WebKitGTK) never frees a removed one (see ListenStep). */
async function noForm(page, step) {
  check((await page.locator("form").count()) === 0, `a <form> on the ${step} step`);
}

test("a visit to an internal counter issues a ticket shown huge, then to the visitor in Arabic (rtl)", async (page) => {
  await startVisit(page);
  await noForm(page, "listen");
  await page.getByRole("button", { name: "العربية" }).click();
  await qualify(page, "acte de naisance", "Acte de naissance");
  await noForm(page, "orient");
  await screens(page, "visit-orient");
  await page.getByRole("button", { name: /Ticket · guichet\s*État civil/ }).click();
  const code = await page.locator(".ticket-code").textContent();
  check(/^EA\d\d$/.test(code), `ticket code ${code}`);
  await noForm(page, "accompany");
  await screens(page, "visit-accompany");
  await page.getByRole("button", { name: "Montrer au visiteur" }).click();
  const content = page.locator("main.visitor-content");
  check((await content.getAttribute("lang")) === "ar" && (await content.getAttribute("dir")) === "rtl", "lang/dir");
  await page.getByRole("heading", { name: "رقمك" }).waitFor();
  check((await page.locator(".visitor .ticket-code").textContent()) === code, "same code on the visitor screen");
  await screens(page, "visitor-arabic");
  // Every block in the visitor's language with its lang and dir, the French in
  // small type beside it; the take-away QR code, decoded from its pixels, says
  // it all in the visitor's language too; the démarche's free text stays
  // French, marked as such.
  const free = "Nom, prénoms, date de naissance et noms des parents de la personne";
  for (const [lang, tag, dir, heading, title, where, demarche, service, location, identity, inFrench] of [
    ["العربية", "ar", "rtl", "رقمك", "زيارتك إلى البلدية", "توجّه إلى", "شهادة الميلاد (نسخة كاملة أو مستخرج)", "الحالة المدنية (الولادات، الزواج، الوفيات)", "الطابق الأرضي، قاعة الشبابيك، الشبابيك من 1 إلى 8", "وثيقة هوية سارية المفعول (بطاقة هوية أو جواز سفر أو بطاقة إقامة)", "بالفرنسية"],
    ["English", "en", "ltr", "Your number", "Your visit to the town hall", "Go to", "Birth certificate (full copy or extract)", "Civil records (births, marriages, deaths)", "Ground floor, counter hall, counters 1 to 8", "Valid identity document (ID card, passport or residence permit)", "in French"],
    ["Español", "es", "ltr", "Su número", "Su visita al ayuntamiento", "Diríjase a", "Partida de nacimiento (copia íntegra o extracto)", "Registro civil (nacimientos, matrimonios, defunciones)", "Planta baja, sala de ventanillas, ventanillas 1 a 8", "Documento de identidad vigente (DNI, pasaporte o permiso de residencia)", "en francés"],
    ["中文", "zh-Hans", "ltr", "您的号码", "您在区政府的办理", "请前往", "出生证明（全文副本或摘录）", "户籍登记（出生、结婚、死亡）", "一楼，窗口大厅，1至8号窗口", "有效身份证件（身份证、护照或居留证）", "仅有法文"],
    ["Français", "fr", "ltr", "Votre numéro", "Votre passage à la mairie", "Allez à", "Acte de naissance (copie intégrale ou extrait)", "État civil", "Rez-de-chaussée, salle des guichets, guichets 1 à 8", "Pièce d'identité en cours de validité", null],
  ]) {
    await page.getByRole("button", { name: lang }).click();
    await page.getByRole("heading", { name: heading }).waitFor();
    for (const text of [demarche, service, location, identity]) {
      const block = page.locator(".visitor-content").getByText(text, { exact: true });
      const marked = await block.evaluate((e) => [e.closest("[lang]").lang, e.closest("[dir]").dir]);
      check(marked[0] === tag && marked[1] === dir, `${lang}: « ${text} » is marked ${marked}`);
    }
    if (tag !== "fr") {
      // The French beside, for the counter agent, marked French.
      const french = page.locator(".visitor-content .said-french", { hasText: "Pièce d'identité en cours de validité" });
      check((await french.getAttribute("lang")) === "fr" && (await french.getAttribute("dir")) === "ltr", `${lang}: the French beside`);
      check(await page.locator(".visitor-content .said-marker").first().textContent() === `(${inFrench})`, `${lang}: free text marked French`);
    }
    const freeBlock = page.locator(".visitor-content").getByText(free, { exact: true });
    check((await freeBlock.getAttribute("lang")) === "fr", `${lang}: the démarche's free text stays French`);
    // The code is redrawn for the language chosen: read it until it is.
    let lines = [];
    for (let tries = 0; tries < 20 && lines[0] !== title; tries++) {
      lines = (await takeaway(page)).split("\n");
      if (lines[0] !== title) await page.waitForTimeout(100);
    }
    check(lines[0] === title, `${lang}: the take-away starts with ${lines[0]}`);
    check(lines.includes(`${heading} : ${code}`), `${lang}: the ticket in the take-away: ${lines.join(" / ")}`);
    check(lines.includes(`${where} : ${service} — ${location}`), `${lang}: where to go: ${lines.join(" / ")}`);
    check(lines.includes(`- ${identity}`), `${lang}: the documents: ${lines.join(" / ")}`);
    check(lines.includes(inFrench ? `- ${free} (${inFrench})` : `- ${free}`), `${lang}: the free text: ${lines.join(" / ")}`);
    await screens(page, `visitor-${tag}`);
  }
  await page.getByRole("button", { name: "Rendre la main à l'agent" }).click();
  await close(page, true);
  check((await page.locator(".counters").textContent()).includes("1 tickets"), "today's counters count the ticket");
});

test("with the hall's printer set, « Imprimer » prints the visitor's slip in Arabic, the ticket code large", async (page) => {
  await page.getByRole("button", { name: "Réglages" }).click();
  await page.getByLabel("Imprimante de tickets").fill("192.168.1.50");
  await page.getByRole("button", { name: "Enregistrer" }).click();
  await page.getByText("Réglages enregistrés.").waitFor();
  await page.getByRole("button", { name: "Accueil" }).click();
  await startVisit(page);
  await page.getByRole("button", { name: "العربية" }).click();
  await qualify(page, "acte de naisance", "Acte de naissance");
  await page.getByRole("button", { name: /Ticket · guichet\s*État civil/ }).click();
  await page.getByRole("button", { name: "Montrer au visiteur" }).click();
  await page.getByRole("button", { name: "Imprimer" }).click();
  await page.getByRole("status").filter({ hasText: "Ticket imprimé." }).waitFor();
  // The raster drawn back on a canvas: 576 dots wide (80 mm), ink on it, and a picture of it.
  const slip = await page.evaluate(() => {
    const [s] = window.printedSlips;
    const canvas = Object.assign(document.createElement("canvas"), { width: s.width_bytes * 8, height: s.height, id: "slip" });
    const context = canvas.getContext("2d");
    const image = context.createImageData(canvas.width, canvas.height);
    let ink = 0;
    for (let i = 0; i < s.width_bytes * 8 * s.height; i++) {
      const black = (s.dots[i >> 3] & (0x80 >> (i & 7))) !== 0;
      ink += black ? 1 : 0;
      image.data.set(black ? [0, 0, 0, 255] : [255, 255, 255, 255], i * 4);
    }
    context.putImageData(image, 0, 0);
    document.body.append(canvas);
    return { width: canvas.width, height: canvas.height, ink };
  });
  check(slip.width === 576 && slip.height > 400 && slip.ink > 5000, `slip ${JSON.stringify(slip)}`);
  await page.locator("#slip").screenshot({ path: join(shots, "slip-arabic.png") });
});

test("the orient step says the wait at each counter, « inconnue » where it cannot be said; the visitor reads it in Spanish", async (page) => {
  await startVisit(page);
  await page.getByRole("button", { name: "Español" }).click();
  await qualify(page, "acte de naisance", "Acte de naissance");
  const civil = page.getByRole("button", { name: /Ticket · guichet\s*État civil/ });
  await civil.getByText("12 à 15 min d'attente · 4 personnes en attente · 2 guichets ouverts").waitFor();
  check((await civil.locator(".age").textContent()) === "(à l'instant)", "a fresh figure says so");
  await page.getByText("Autre guichet de la mairie…").click();
  const other = page.getByRole("button", { name: /Ticket · guichet\s*Régie/ });
  check((await other.locator(".wait").textContent()).startsWith("Attente inconnue (aucun guichet ouvert) · personne en attente"), "no counter open: unknown, and why");
  await screens(page, "visit-orient-waits");
  await civil.click();
  await page.getByRole("button", { name: "Montrer au visiteur" }).click();
  const range = page.locator(".visitor .wait-range");
  check((await range.textContent()) === "Espera estimada: de 12 a 15 minutos", `the range in Spanish: ${await range.textContent()}`);
  check((await range.evaluate((e) => e.closest("[lang]").lang)) === "es", "in a block marked Spanish");
  let lines = [];
  for (let i = 0; i < 20 && !lines.includes("Espera estimada: de 12 a 15 minutos"); i++) {
    lines = (await takeaway(page)).split("\n");
    await page.waitForTimeout(100);
  }
  check(lines.includes("Espera estimada: de 12 a 15 minutos"), `the wait in the take-away: ${lines.join(" / ")}`);
  await screens(page, "visitor-wait-spanish");
  await page.getByRole("button", { name: "Rendre la main à l'agent" }).click();
  await close(page, false);
});

test("offline, the orient step shows the last wait with its age and warns when it passes closing time; the visitor reads the wait quoted with the ticket", async (page) => {
  const board = (minutesAgo, services) => {
    const at = new Date(Date.now() - minutesAgo * 60_000).toISOString();
    return { fetched_at: at, board: { computed_at: at, services } };
  };
  const wait = (service, waiting, open, served, range, past) => ({ service, waiting, open_counters: open, served_today: served, range, past_closing: past });
  await page.evaluate((b) => { window.fakeWaits = b; }, board(7, [
    wait("etat-civil", 31, 1, 20, { optimistic: 96, pessimistic: 120 }, true),
    wait("regie", 2, 1, 1, null, false),
  ]));
  await startVisit(page);
  await qualify(page, "acte de naisance", "Acte de naissance");
  const civil = page.getByRole("button", { name: /Ticket · guichet\s*État civil/ });
  await civil.getByText("96 à 120 min d'attente · 31 personnes en attente · 1 guichet ouvert").waitFor();
  check((await civil.locator(".age").textContent()) === "(il y a 7 min)", "the figure's age");
  check(await civil.getByText("⚠ L'attente peut dépasser l'heure de fermeture du guichet").isVisible(), "the greeter is warned");
  await page.getByText("Autre guichet de la mairie…").click();
  const regie = page.getByRole("button", { name: /Ticket · guichet\s*Régie/ });
  check((await regie.locator(".wait").textContent()).startsWith("Attente inconnue (trop peu de visiteurs reçus aujourd'hui) · 2 personnes en attente"), "too few served: unknown, and why");
  await screens(page, "visit-orient-wait-old");
  // The visitor reads the wait quoted when the ticket was issued, whatever the figures say since.
  await civil.click();
  await page.evaluate((b) => { window.fakeWaits = b; }, board(0, [wait("etat-civil", 2, 2, 25, { optimistic: 4, pessimistic: 5 }, false)]));
  await page.getByRole("button", { name: "Montrer au visiteur" }).click();
  await page.getByRole("button", { name: "العربية" }).click();
  const range = page.locator(".visitor .wait-range");
  check((await range.textContent()) === "مدة الانتظار المتوقعة: من 96 إلى 120 دقيقة", `the quote in Arabic: ${await range.textContent()}`);
  check((await range.evaluate((e) => e.closest("[dir]").dir)) === "rtl", "right to left");
  await screens(page, "visitor-wait-arabic");
  await page.getByRole("button", { name: "Rendre la main à l'agent" }).click();
  await close(page, false);
});

test("the visitor gives their opinion in Chinese: a face, the repeat question, thanks; the screen returns to the agent after 10 s without a tap", async (page) => {
  await startVisit(page);
  await page.getByRole("button", { name: "中文" }).first().click();
  await qualify(page, "acte de naisance", "Acte de naissance");
  await page.getByRole("button", { name: /Ticket · guichet\s*État civil/ }).click();
  await page.getByRole("button", { name: "Montrer au visiteur" }).click();
  const opinion = page.getByRole("region", { name: "您的评价" });
  await opinion.getByRole("group", { name: "您对这次接待满意吗？" }).waitFor();
  check((await opinion.getByRole("button").allInnerTexts()).join("|") === "非常不满意|不满意|满意|非常满意", "four faces, least satisfied first, in Chinese");
  await opinion.scrollIntoViewIfNeeded();
  await screens(page, "visitor-opinion-chinese");
  await page.clock.install();
  await opinion.getByRole("button", { name: "满意", exact: true }).click();
  await opinion.getByRole("group", { name: "您是否需要再次说明您的情况？" }).waitFor();
  check(await opinion.getByRole("button", { name: "满意", exact: true }).count() === 0, "one face per visit: the faces are gone");
  const tapped = await page.evaluate(() => Date.now());
  await screens(page, "visitor-opinion-question");
  // The page's clock flowed while the screen was checked: pause it, then count the 10 s from the tap.
  await page.clock.pauseAt((await page.evaluate(() => Date.now())) + 1);
  const left = tapped + 9_000 - (await page.evaluate(() => Date.now()));
  check(left > 0, `the screen's checks took ${9_000 - left} ms, more than the 9 s the test can wait`);
  await page.clock.runFor(left);
  check(await page.locator(".visitor").isVisible(), "still the visitor's screen after 9 s");
  await page.clock.runFor(1_500);
  await page.clock.resume();
  await page.getByRole("heading", { name: "Accompagner" }).waitFor();
  check(!(await page.locator(".visitor").isVisible()), "back to the agent 10 s after the last tap");
  // The face is kept: shown again, the screen asks only the question, then thanks.
  await page.getByRole("button", { name: "Montrer au visiteur" }).click();
  await opinion.getByRole("button", { name: "否" }).click();
  await opinion.getByText("感谢您的评价。").waitFor();
  await page.clock.runFor(3_500);
  await page.getByRole("heading", { name: "Accompagner" }).waitFor();
  await close(page, false);
});

test("a permanence, a partner, an online service and « résolu sur place »", async (page) => {
  await startVisit(page);
  await qualify(page, "avocat gratuit", "Consultation gratuite d'un avocat");
  await page.getByRole("button", { name: /Permanence\s*Consultation gratuite d'avocats/ }).click();
  await page.getByText("Prochain créneau :").waitFor();
  await close(page, false);

  await startVisit(page);
  await qualify(page, "apl", "Aide au logement");
  await page.getByRole("button", { name: /Partenaire\s*CAF de Paris/ }).click();
  await page.getByRole("button", { name: "Montrer au visiteur" }).click();
  await page.getByText("3230").waitFor();
  await page.getByRole("button", { name: "Rendre la main à l'agent" }).click();
  await close(page, false);

  await startVisit(page);
  await qualify(page, "encombrants", "Encombrants");
  await page.getByRole("button", { name: /En ligne\s*Enlèvement des encombrants/ }).click();
  await page.getByRole("button", { name: "Montrer au visiteur" }).click();
  await page.locator(".qr svg").waitFor();
  check((await takeaway(page)).endsWith("Faites-le en ligne : https://www.paris.fr/encombrants"), "the online link in the take-away");
  await screens(page, "visitor-online");
  await page.getByRole("button", { name: "Rendre la main à l'agent" }).click();
  await close(page, false);

  await startVisit(page);
  await qualify(page, "horaires mairie", "Renseignement général");
  await page.getByRole("button", { name: /Résolu sur place/ }).click();
  await close(page, false);
});

test("an unmet need, going back a step, and abandoning", async (page) => {
  await startVisit(page);
  await page.getByRole("button", { name: "Qualifier la demande →" }).click();
  await page.getByRole("button", { name: "← Étape précédente" }).click();
  await page.getByRole("heading", { name: "Écouter" }).waitFor();
  await page.getByRole("button", { name: "Qualifier la demande →" }).click();
  await page.getByRole("button", { name: "Hors catalogue…" }).click();
  await page.getByLabel("Demande hors catalogue, en quelques mots").fill("vignette Crit'Air");
  await page.getByRole("button", { name: "Orienter →" }).click();
  await page.getByRole("button", { name: /Résolu sur place/ }).click();
  await close(page, false);

  await startVisit(page);
  await page.getByRole("button", { name: "Abandonner la visite" }).click();
  await page.getByText("Visite abandonnée").waitFor();
  await page.getByRole("button", { name: "Journal du jour" }).click();
  await page.getByRole("heading", { name: "Journal du jour" }).waitFor();
  const rows = page.locator(".journal tbody tr");
  check((await rows.count()) === 2, "two visits in the journal");
  check((await rows.nth(0).textContent()).includes("Hors catalogue : vignette Crit'Air"), "unmet need in the journal");
  check((await rows.nth(1).textContent()).includes("Abandon"), "abandon in the journal");
  check((await rows.nth(1).textContent()).includes("En attente"), "sync state per record");
  await screens(page, "journal");
});

test("settings: a bad code is refused, a good one links the tablet; about shows the data credits", async (page) => {
  await page.getByRole("button", { name: "Réglages" }).click();
  await page.getByText("Service-Public.fr / DILA — Licence Ouverte 2.0", { exact: false }).waitFor();
  await screens(page, "settings");
  await page.getByLabel("Invitation d'enrôlement").fill("https://127.0.0.1:8719");
  await page.getByRole("button", { name: "Relier la tablette" }).click();
  await page.getByRole("alert").filter({ hasText: "invitation incomplète" }).waitFor();
  await page.getByLabel("Invitation d'enrôlement").fill("https://127.0.0.1:8719/#code=ABC");
  await page.getByRole("button", { name: "Relier la tablette" }).click();
  await page.getByRole("alert").filter({ hasText: "code d'enrôlement inconnu" }).waitFor();
  await page.getByLabel("Invitation d'enrôlement").fill(`https://127.0.0.1:8719/#code=K7QM-2XPA&sha256=${"3f".repeat(32)}`);
  await page.getByRole("button", { name: "Relier la tablette" }).click();
  await page.getByText("Tablette reliée au serveur de la mairie.").waitFor();
  await page.getByText("Réenrôler la tablette (certificat du serveur changé)").waitFor();
  await page.getByText(/En ligne · 0 en attente/).waitFor();
});

test("an agent tablet has no lead screens", async (page) => {
  await page.getByRole("button", { name: "Réglages" }).waitFor();
  check(await page.getByRole("button", { name: "Équipe" }).count() === 0, "an agent tablet shows the lead's screens");
});

test("lead: the team journal across tablets, filtered, a visit's steps, and the sign-off", async (page) => {
  await page.getByRole("button", { name: "Équipe" }).click();
  await page.getByText(/^64 visites · page 1 sur 3$/).waitFor();
  await page.locator(".team-visits details").first().click();
  await page.getByText(/Durées \(min:s\) : écouter/).first().waitFor();
  await page.getByText("Horloge douteuse").first().waitFor();
  await screens(page, "lead-journal");
  await page.getByLabel("Besoins non couverts seulement").check();
  await page.getByText(/^\d visites? · page 1 sur 1$/).waitFor();
  const rows = await page.locator(".team-visits > li").allInnerTexts();
  check(rows.length > 0 && rows.every((r) => r.includes("Hors catalogue")), `unmet filter: ${rows.join(" / ")}`);
  await page.getByLabel("Besoins non couverts seulement").uncheck();
  await page.getByLabel("Tablette").fill("B");
  await page.getByText(/^22 visites/).waitFor();
  check((await page.locator(".team-visits summary").allInnerTexts()).every((r) => r.includes("Tablette B")), "tablet filter");
  await page.getByRole("heading", { name: "Écarts mis en quarantaine par le serveur" }).waitFor();
  await page.getByLabel("Commentaire (facultatif)").fill("Matinée chargée, deux agents.");
  await page.getByRole("button", { name: "Viser la journée" }).click();
  await page.getByText(/Visée par Poste responsable .* « Matinée chargée, deux agents. »/).waitFor();
  await page.getByRole("button", { name: "Viser de nouveau" }).waitFor();
}, "?lead");

test("dates are read and written in French on a browser set to English (en-US)", async (page) => {
  check(await page.evaluate(() => navigator.language) === "en-US", "the browser speaks English");
  await page.getByRole("button", { name: "Indicateurs" }).click();
  const date = page.getByLabel("Date", { exact: true });
  check(/^\d\d\/\d\d\/\d{4}$/.test(await date.inputValue()), `today, French: ${await date.inputValue()}`);
  await date.fill("15/11/2026");
  await page.getByRole("heading", { name: "Indicateurs du 15/11/2026" }).waitFor();
  await date.fill("31/02/2026");
  await date.blur();
  await page.getByText("date invalide : écrire par exemple 28/11/2026").waitFor();
  check((await date.getAttribute("aria-invalid")) === "true", "a day that is not in the calendar is marked invalid");
  await page.getByRole("heading", { name: "Indicateurs du 15/11/2026" }).waitFor();
  await page.screenshot({ path: join(shots, "date-french-en-US.png") });
  await page.getByRole("button", { name: "Équipe" }).click();
  const day = page.getByLabel("Jour", { exact: true });
  const [d, m, y] = (await day.inputValue()).split("/");
  check(d && m && y?.length === 4, `the journal's day, French: ${await day.inputValue()}`);
  await day.fill("23/11/2026");
  await page.getByText(/^\d+ visites? · page 1 sur \d+$/).waitFor();
  check(await day.inputValue() === "23/11/2026" && (await day.getAttribute("aria-invalid")) === null, "the day typed stays as typed");
  await expectAxeClean(page, "team journal (en-US)");
}, "?lead", "en-US");

test("lead: a quarantined visit is repaired, its unknown démarche mapped to a current one, and the repair recorded", async (page) => {
  await page.getByRole("button", { name: "Équipe" }).click();
  await page.getByRole("heading", { name: "Écarts mis en quarantaine par le serveur" }).waitFor();
  const select = page.getByLabel("Remplacer « ancienne-demarche » par");
  await select.selectOption({ label: "Acte de naissance (copie intégrale ou extrait)" });
  await select.scrollIntoViewIfNeeded();
  await screens(page, "lead-quarantine");
  await page.getByRole("button", { name: "Réappliquer la visite" }).click();
  await page.getByText(/^Réparée par Poste responsable le .* : « ancienne-demarche » remplacée par « Acte de naissance \(copie intégrale ou extrait\) »\.$/).waitFor();
  check(await page.getByRole("button", { name: "Réappliquer la visite" }).count() === 0, "a repaired record offers no second repair");
  check((await page.locator("#annonces").innerText()).includes("réappliquée"), "the repair is said in the live region");
}, "?lead");

test("lead: indicators as charts, a week, the CSV downloaded and parsed, the printed report", async (page) => {
  await page.getByRole("button", { name: "Indicateurs" }).click();
  await page.locator("canvas[data-chart=arrivees]").waitFor();
  const painted = await page.evaluate(() => [...document.querySelectorAll("canvas[data-chart]")].map((c) => {
    const { data } = c.getContext("2d").getImageData(0, 0, c.width, c.height);
    let ink = 0;
    for (let i = 3; i < data.length; i += 4) if (data[i] > 0) ink += 1;
    return [c.dataset.chart, ink];
  }));
  check(painted.length === 10 && painted.every(([, ink]) => ink > 500), `charts drawn: ${JSON.stringify(painted)}`);
  await page.getByRole("heading", { name: "Guichets" }).waitFor();
  await page.getByText(/d'absents à l'appel/).waitFor();
  await page.getByText(/^\d+ % appelés avant la fin de l'attente annoncée \(\d+ sur \d+\)$/).waitFor();
  await page.locator("section.queues").screenshot({ path: join(shots, "lead-queues.png") });
  await page.getByText(/heure la plus chargée/).waitFor();
  await page.getByText("8 avis sur la période : il en faut au moins 10 pour afficher un chiffre.").waitFor();
  await screens(page, "lead-indicators");
  await page.getByRole("button", { name: "Semaine" }).click();
  await page.getByText(/Indicateurs du \d\d\/\d\d\/\d{4} au \d\d\/\d\d\/\d{4}/).waitFor();
  const opinions = page.getByRole("region", { name: "Avis des visiteurs" });
  await opinions.getByText("71 % satisfaits (48 avis)").waitFor();
  await opinions.getByText(/^\+43 satisfaction nette/).waitFor();
  await opinions.getByText("24 % ont dû répéter leur situation").waitFor();
  await opinions.scrollIntoViewIfNeeded();
  await screens(page, "lead-opinions");
  const [download] = await Promise.all([page.waitForEvent("download"), page.getByRole("button", { name: "Exporter en CSV" }).click()]);
  const text = await readFile(await download.path(), "utf8");
  const lines = text.trim().split("\n");
  check(lines[0].startsWith("visit_id,day,tablet"), `CSV header: ${lines[0]}`);
  const visits = Number((await page.locator(".counters li").first().innerText()).match(/\d+/)[0]);
  check(lines.length - 1 === visits, `CSV rows ${lines.length - 1} for ${visits} visits`);
  check(download.suggestedFilename().match(/^volant-\d{4}-\d\d-\d\d-\d{4}-\d\d-\d\d\.csv$/), download.suggestedFilename());
  await page.emulateMedia({ media: "print" });
  await page.screenshot({ path: join(shots, "lead-report-print.png"), fullPage: true });
  check(!(await page.getByRole("button", { name: "Exporter en CSV" }).isVisible()), "the report prints without the buttons");
  const pdf = await page.pdf({ format: "A4" });
  check(pdf.length > 20000 && pdf.subarray(0, 4).toString() === "%PDF", `PDF of ${pdf.length} bytes`);
  await page.emulateMedia({ media: "screen" });
}, "?lead");

test("lead: an unmet need becomes a démarche; an edit against another version shows the current one; a permanence's slots changed, then archived", async (page) => {
  await page.getByRole("button", { name: "Indicateurs" }).click();
  await page.getByRole("button", { name: "Créer une démarche" }).first().click();
  await page.getByRole("heading", { name: "Nouvelle démarche" }).waitFor();
  check(await page.getByLabel("Titre", { exact: true }).inputValue() === "photo d'identité sur place", "title from the unmet need");
  check((await page.getByLabel("Mots des visiteurs").inputValue()).includes("photos d'identité ?"), "its wordings as keywords");
  await page.getByLabel("Catégorie").fill("Vie pratique");
  await page.getByLabel("Service qui la traite").selectOption({ index: 1 });
  await screens(page, "lead-catalogue-new");
  await page.getByRole("button", { name: "Enregistrer" }).click();
  await page.getByText(/^Enregistré \(version 1\)/).waitFor();
  await page.getByRole("button", { name: "Retour à la liste" }).click();
  await page.getByLabel("Chercher dans le catalogue").fill("photo d'identité");
  await page.getByRole("button", { name: "photo d'identité sur place" }).waitFor();
  await page.getByLabel("Chercher dans le catalogue").fill("");
  await screens(page, "lead-catalogue");
  await page.getByRole("button", { name: "Nouvelle démarche" }).click();
  await page.getByLabel("Identifiant").fill("etat-civil.acte-naissance");
  await page.getByLabel("Titre", { exact: true }).fill("Doublon");
  await page.getByRole("button", { name: "Enregistrer" }).click();
  await page.getByText(/^Non enregistré : /).waitFor();
  await page.getByText(/Version actuelle sur le serveur : .*\(version \d+\)/).waitFor();
  await page.getByRole("button", { name: "Reprendre à partir de la version actuelle" }).click();
  await page.getByRole("heading", { name: /Modifier \(version \d+\)/ }).waitFor();
  await page.getByRole("button", { name: "Retour à la liste" }).click();
  await page.getByLabel("Chercher dans le catalogue").fill("Écrivain public");
  await page.getByRole("button", { name: "Écrivain public", exact: true }).click();
  const slots = page.getByLabel("Créneaux");
  check((await slots.inputValue()).startsWith("mardi 14:00-17:00\njeudi 09:00-12:00"), `slots: ${await slots.inputValue()}`);
  await slots.fill("mardi 14:00-17:00\nvendredi 10:00-12:00");
  await page.getByRole("button", { name: "Enregistrer" }).click();
  await page.getByText(/^Enregistré \(version 2\)/).waitFor();
  check((await page.getByLabel("Créneaux").inputValue()) === "mardi 14:00-17:00\nvendredi 10:00-12:00", "the new slots are kept");
  await page.getByLabel("Archivé", { exact: true }).check();
  await page.getByRole("button", { name: "Enregistrer" }).click();
  await page.getByText(/^Enregistré \(version 3\)/).waitFor();
  await page.getByRole("button", { name: "Retour à la liste" }).click();
  await page.getByRole("button", { name: "Écrivain public (archivé)" }).waitFor();
}, "?lead");

test("lead: a démarche's visitor words in English and Spanish, its situations and life events are edited and kept", async (page) => {
  await page.getByRole("button", { name: "Catalogue" }).click();
  await page.getByLabel("Chercher dans le catalogue").fill("Acte de décès");
  await page.getByRole("button", { name: "Acte de décès (copie)", exact: true }).click();
  await page.getByRole("heading", { name: /Modifier \(version \d+\)/ }).waitFor();
  const english = page.getByLabel("Les mêmes en anglais");
  const spanish = page.getByLabel("Les mêmes en espagnol");
  const situations = page.getByLabel("Situations, comme les visiteurs les racontent");
  check((await english.inputValue()) === "death certificate", `English words: ${await english.inputValue()}`);
  check((await english.getAttribute("lang")) === "en" && (await spanish.getAttribute("lang")) === "es", "each language field says its language");
  check((await spanish.inputValue()).includes("acta de defunción"), `Spanish words: ${await spanish.inputValue()}`);
  check((await situations.inputValue()).startsWith("la banque me demande l'acte de décès de mon père"), `situations: ${await situations.inputValue()}`);
  const events = page.getByRole("group", { name: "Événements de vie" });
  check(await events.getByLabel("Décès d'un proche").isChecked(), "its life event is ticked");
  check(!(await events.getByLabel("Perte ou vol").isChecked()), "the others are not");
  await english.fill("death certificate\nmy father died");
  await spanish.fill("acta de defunción\nmi padre murió");
  await situations.fill("la banque me demande l'acte de décès de mon père\nle notaire veut un papier du décès");
  await events.getByLabel("Grand âge").check();
  await english.evaluate((e) => e.scrollIntoView({ block: "start" }));
  await screens(page, "lead-catalogue-visitor-words");
  await page.getByRole("button", { name: "Enregistrer" }).click();
  await page.getByText(/^Enregistré \(version \d+\)/).waitFor();
  await page.getByRole("button", { name: "Retour à la liste" }).click();
  await page.getByLabel("Chercher dans le catalogue").fill("Acte de décès");
  await page.getByRole("button", { name: "Acte de décès (copie)", exact: true }).click();
  check((await english.inputValue()) === "death certificate\nmy father died", `English kept: ${await english.inputValue()}`);
  check((await spanish.inputValue()) === "acta de defunción\nmi padre murió", `Spanish kept: ${await spanish.inputValue()}`);
  check((await situations.inputValue()).endsWith("le notaire veut un papier du décès"), `situations kept: ${await situations.inputValue()}`);
  check(await events.getByLabel("Grand âge").isChecked() && await events.getByLabel("Décès d'un proche").isChecked(), "both life events kept");
  await events.getByLabel("Grand âge").uncheck();
  await page.getByRole("button", { name: "Enregistrer" }).click();
  await page.getByText(/^Enregistré \(version \d+\)/).waitFor();
  check(!(await events.getByLabel("Grand âge").isChecked()), "a life event unticked stays unticked");
}, "?lead");

test("lead: a démarche's title for visitors in four languages and its documents from the vocabulary are edited and kept", async (page) => {
  await page.getByRole("button", { name: "Catalogue" }).click();
  await page.getByLabel("Chercher dans le catalogue").fill("Acte de décès");
  await page.getByRole("button", { name: "Acte de décès (copie)", exact: true }).click();
  await page.getByRole("heading", { name: /Modifier \(version \d+\)/ }).waitFor();
  const arabic = page.getByLabel("Titre en arabe");
  check((await arabic.inputValue()) === "شهادة الوفاة (نسخة)", `Arabic title: ${await arabic.inputValue()}`);
  check((await arabic.getAttribute("lang")) === "ar" && (await arabic.getAttribute("dir")) === "rtl", "the Arabic field reads right to left");
  const documents = page.getByRole("group", { name: "Pièces à apporter" });
  check(!(await documents.getByLabel("Livret de famille").isChecked()), "no entry ticked yet");
  check((await documents.getByLabel("Autres pièces").inputValue()) === "Nom et date du décès de la personne", "its free text");
  await page.getByLabel("Titre en espagnol").fill("");
  await arabic.fill("نسخة من شهادة الوفاة");
  await documents.getByLabel("Livret de famille").check();
  await documents.getByLabel("Autres pièces").fill("Nom et date du décès de la personne\nLettre du notaire");
  await arabic.evaluate((e) => e.scrollIntoView({ block: "start" }));
  await screens(page, "lead-catalogue-translations");
  await page.getByRole("button", { name: "Enregistrer" }).click();
  await page.getByText(/^Enregistré \(version \d+\)/).waitFor();
  await page.getByRole("button", { name: "Retour à la liste" }).click();
  await page.getByLabel("Chercher dans le catalogue").fill("Acte de décès");
  await page.getByRole("button", { name: "Acte de décès (copie)", exact: true }).click();
  check((await arabic.inputValue()) === "نسخة من شهادة الوفاة", `Arabic kept: ${await arabic.inputValue()}`);
  check((await page.getByLabel("Titre en espagnol").inputValue()) === "", "Spanish left in French");
  check(await documents.getByLabel("Livret de famille").isChecked(), "the entry ticked is kept");
  check((await documents.getByLabel("Autres pièces").inputValue()) === "Nom et date du décès de la personne\nLettre du notaire", "the free text is kept");
}, "?lead");

test("the mairie's clock without Intl reads every hour of 2000–2040 as Intl's Europe/Paris does", async () => {
  // The module itself, compiled by the UI's own Vite, run in Node (its ICU is the reference).
  const { createServer } = await import("vite");
  const vite = await createServer({ root: join(import.meta.dirname, ".."), logLevel: "silent", server: { middlewareMode: true } });
  try {
    const { mairieDay, hhmm } = await vite.ssrLoadModule("/src/paris.ts");
    const day = new Intl.DateTimeFormat("fr-CA", { timeZone: "Europe/Paris" });
    const time = new Intl.DateTimeFormat("fr-FR", { hour: "2-digit", minute: "2-digit", timeZone: "Europe/Paris" });
    let hours = 0;
    // Every hour, then on each hour's 59th minute: both sides of each change of time.
    for (let t = Date.UTC(2000, 0, 1); t < Date.UTC(2041, 0, 1); t += 3_600_000, hours++) {
      for (const at of [new Date(t), new Date(t + 59 * 60_000)]) {
        check(mairieDay(at) === day.format(at), `mairieDay(${at.toISOString()}) is ${mairieDay(at)}, Intl says ${day.format(at)}`);
        check(hhmm(at.toISOString()) === time.format(at), `hhmm(${at.toISOString()}) is ${hhmm(at.toISOString())}, Intl says ${time.format(at)}`);
      }
    }
    check(hours > 350_000 && hhmm(null) === "—", "every hour was read, and no instant reads « — »");
  } finally {
    await vite.close();
  }
});

await run();
