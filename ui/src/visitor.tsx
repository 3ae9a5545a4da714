// The screen turned towards the visitor: ticket, their démarche, where to go,
// documents to bring, the online service's link, a QR code of all of it to
// take away, then their opinion — in the visitor's language, each catalogue
// text with its French in small type beside it for the counter agent, and a
// marker on what the catalogue gives only in French.
import { useEffect, useState } from "preact/hooks";
import QRCode from "qrcode";
import type { Action, Catalogue, Raster, Visit } from "./bindings";
import { LANGUAGES, type Said, type VisitorLanguage, WORDS, type Words, direction, documentSaid, said, slotWords, visitorLanguage } from "./i18n";
import { takeaway as takeawayOf, takeawayText, visitorFacts, visitorPlace } from "./takeaway";
import { drawSlip } from "./slip";
import { errorText } from "./app";
import { OpinionPanel } from "./opinion";

type Props = {
  visit: Visit;
  catalogue: Catalogue;
  onRecord: (a: Action) => Promise<unknown>;
  /** Prints the slip on the hall's printer; absent when none is set. */
  onPrint?: (slip: Raster) => Promise<void>;
  onDone: () => void;
};

export function VisitorScreen({ visit, catalogue, onRecord, onPrint, onDone }: Props) {
  const [lang, setLang] = useState<VisitorLanguage>(visitorLanguage(visit.listening.language));
  const [qr, setQr] = useState<string | null>(null);
  const words = WORDS[lang];
  const dir = direction(lang);
  const facts = visitorFacts(visit, catalogue);
  // The wait quoted with the ticket: what the orient step showed, and what the lead's indicators measure.
  const { service, link, documents, quote } = facts;
  const place = service && visitorPlace(service, lang);
  const takeaway = takeawayOf(facts, lang);
  const text = takeawayText(takeaway);
  const [printed, setPrinted] = useState<{ ok: boolean; text: string } | null>(null);
  const print = () =>
    onPrint?.(drawSlip(takeaway, dir))
      .then(() => setPrinted({ ok: true, text: "Ticket imprimé." }))
      .catch((e) => setPrinted({ ok: false, text: errorText(e) }));

  useEffect(() => {
    setQr(null);
    QRCode.toString(text, { type: "svg", margin: 4, errorCorrectionLevel: "M" }).then(setQr).catch(() => setQr(null));
  }, [text]);

  useEffect(() => {
    document.title = `Volant — ${words.title}`;
  }, [lang]);

  return (
    <div class="visitor">
      <nav class="languages" aria-label="Langue · Language · اللغة">
        {LANGUAGES.map((l) => (
          <button type="button" key={l.code} lang={l.code} dir={l.dir} class="chip" aria-pressed={lang === l.code} onClick={() => setLang(l.code)}>
            {l.name}
          </button>
        ))}
      </nav>
      <main lang={lang} dir={dir} class="visitor-content">
        <h1>{words.title}</h1>
        {facts.ticket && (
          <section class="ticket" aria-labelledby="v-ticket">
            <h2 id="v-ticket">{words.ticket}</h2>
            <p class="ticket-code" lang="fr" dir="ltr">{facts.ticket}</p>
            <p>{words.wait}</p>
            {quote && <p class="wait-range">{words.waitRange(quote.optimistic, quote.pessimistic)}</p>}
          </section>
        )}
        {facts.demarches.length > 0 && (
          <section aria-labelledby="v-demarche">
            <h2 id="v-demarche">{words.demarche}</h2>
            <ul class="said-list">
              {facts.demarches.map((d) => <li key={d.id}><SaidText said={said(d.title, d.title_in, lang)} lang={lang} words={words} /></li>)}
            </ul>
          </section>
        )}
        {place && (
          <section aria-labelledby="v-where">
            <h2 id="v-where">{words.goTo}</h2>
            <p class="where">
              <strong><SaidText said={place.name} lang={lang} words={words} /></strong>
              {place.location && <><br /><SaidText said={place.location} lang={lang} words={words} /></>}
              {place.details && <><br /><span lang="fr" dir="ltr">{place.details}</span></>}
            </p>
            {facts.slot && (
              <p class="where">
                {words.nextSlot} : <strong>{slotWords(facts.slot, lang)}</strong>
              </p>
            )}
          </section>
        )}
        {facts.resolved && <p class="resolved">{words.resolved}</p>}
        {link && (
          <section aria-labelledby="v-online">
            <h2 id="v-online">{words.online}</h2>
            <p class="link" lang="fr" dir="ltr">{link}</p>
          </section>
        )}
        {documents.length > 0 && (
          <section aria-labelledby="v-docs">
            <h2 id="v-docs">{words.documents}</h2>
            <ul class="said-list">
              {documents.map((d) => <li key={JSON.stringify(d)}><SaidText said={documentSaid(d, lang)} lang={lang} words={words} /></li>)}
            </ul>
          </section>
        )}
        <section aria-labelledby="v-takeaway" class="takeaway">
          <h2 id="v-takeaway">{words.takeAway}</h2>
          {qr && <div class="qr" role="img" aria-label={words.takeAwayHint} dangerouslySetInnerHTML={{ __html: qr }} />}
          <p>{words.takeAwayHint}</p>
          {onPrint && (
            <div lang="fr" dir="ltr">
              <button type="button" class="secondary" onClick={print}>Imprimer</button>
              <p role="status" class={printed && !printed.ok ? "error" : undefined}>{printed?.text}</p>
            </div>
          )}
        </section>
        <OpinionPanel opinion={visit.opinion} words={words} onRecord={onRecord} onIdle={onDone} />
      </main>
      <footer class="back-to-agent" lang="fr">
        <button type="button" class="secondary" onClick={onDone}>
          Rendre la main à l'agent
        </button>
      </footer>
    </div>
  );
}

/** A catalogue text in the visitor's language with its French in small type,
 * or in French with a marker when the catalogue gives no translation. */
function SaidText({ said, lang, words }: { said: Said; lang: VisitorLanguage; words: Words }) {
  return (
    <span class="said">
      <span lang={said.lang} dir={direction(said.lang)}>{said.text}</span>
      {said.french && <small class="said-french" lang="fr" dir="ltr">{said.french}</small>}
      {said.lang !== lang && <small class="said-marker">({words.inFrench})</small>}
    </span>
  );
}
