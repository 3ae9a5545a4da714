// The screen turned towards the visitor: ticket, where to go, documents to
// bring, the online service's QR code, then their opinion — in the visitor's
// language.
import { useEffect, useState } from "preact/hooks";
import QRCode from "qrcode";
import type { Action, Catalogue, Demarche, Visit } from "./bindings";
import { LANGUAGES, type VisitorLanguage, WORDS, slotWords, visitorLanguage } from "./i18n";
import { serviceDetail } from "./visit";
import { OpinionPanel } from "./opinion";

export function VisitorScreen({ visit, catalogue, onRecord, onDone }: { visit: Visit; catalogue: Catalogue; onRecord: (a: Action) => Promise<unknown>; onDone: () => void }) {
  const [lang, setLang] = useState<VisitorLanguage>(visitorLanguage(visit.listening.language));
  const [qr, setQr] = useState<string | null>(null);
  const words = WORDS[lang];
  const dir = LANGUAGES.find((l) => l.code === lang)?.dir ?? "ltr";
  const o = visit.orientation;
  const destination = o?.destination;
  const service = destination && "service" in destination ? catalogue.services.find((s) => s.id === destination.service) : undefined;
  const ids = visit.qualification?.kind === "demarches" ? visit.qualification.ids : [];
  const demarches = ids.map((id) => catalogue.demarches.find((d) => d.id === id)).filter((d): d is Demarche => !!d);
  const documents = [...new Set(demarches.flatMap((d) => d.documents))];
  const link = destination?.kind === "online" ? destination.url : undefined;

  useEffect(() => {
    if (link) QRCode.toString(link, { type: "svg", margin: 1 }).then(setQr).catch(() => setQr(null));
  }, [link]);

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
        {o?.ticket && (
          <section class="ticket" aria-labelledby="v-ticket">
            <h2 id="v-ticket">{words.ticket}</h2>
            <p class="ticket-code" lang="fr" dir="ltr">{o.ticket.code}</p>
            <p>{words.wait}</p>
          </section>
        )}
        {service && (
          <section aria-labelledby="v-where">
            <h2 id="v-where">{words.goTo}</h2>
            <p class="where" lang="fr" dir="ltr">
              <strong>{service.name}</strong>
              <br />
              {serviceDetail(service)}
            </p>
            {destination?.kind === "permanence" && destination.slot && (
              <p class="where">
                {words.nextSlot} : <strong>{slotWords(destination.slot, lang)}</strong>
              </p>
            )}
          </section>
        )}
        {destination?.kind === "resolved_on_spot" && <p class="resolved">{words.resolved}</p>}
        {link && (
          <section aria-labelledby="v-online">
            <h2 id="v-online">{words.online}</h2>
            {qr && <div class="qr" role="img" aria-label={words.scan} dangerouslySetInnerHTML={{ __html: qr }} />}
            <p>{words.scan}</p>
            <p class="link" lang="fr" dir="ltr">{link}</p>
          </section>
        )}
        {documents.length > 0 && (
          <section aria-labelledby="v-docs">
            <h2 id="v-docs">{words.documents}</h2>
            <ul lang="fr" dir="ltr">
              {documents.map((d) => <li key={d}>{d}</li>)}
            </ul>
          </section>
        )}
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
