// What the visitor takes away, as plain text in their language: the ticket
// and the wait quoted with it, their démarche, where to go (and the
// permanence's next slot), the documents to bring, the online service's link.
// Nothing about the person. The visitor screen shows it as a QR code that a
// phone camera reads without a network.
import type { Catalogue, Demarche, DocumentItem, Service, Visit, WaitMinutes } from "./bindings";
import { type Said, type VisitorLanguage, WORDS, documentSaid, said, slotWords } from "./i18n";

/** What the visitor screen and the take-away both show. */
export type VisitorFacts = {
  ticket: string | null;
  /** The wait the orient step quoted with the ticket. */
  quote: WaitMinutes | undefined;
  demarches: Demarche[];
  service: Service | undefined;
  slot: string | null;
  documents: DocumentItem[];
  link: string | undefined;
  resolved: boolean;
};

export function visitorFacts(visit: Visit, catalogue: Catalogue): VisitorFacts {
  const destination = visit.orientation?.destination;
  const ids = visit.qualification?.kind === "demarches" ? visit.qualification.ids : [];
  const demarches = ids.map((id) => catalogue.demarches.find((d) => d.id === id)).filter((d): d is Demarche => !!d);
  const documents = new Map(demarches.flatMap((d) => d.documents).map((item) => [JSON.stringify(item), item]));
  return {
    ticket: visit.orientation?.ticket?.code ?? null,
    quote: visit.orientation?.ticket?.quoted_wait,
    demarches,
    service: destination && "service" in destination ? catalogue.services.find((s) => s.id === destination.service) : undefined,
    slot: destination?.kind === "permanence" ? destination.slot : null,
    documents: [...documents.values()],
    link: destination?.kind === "online" ? destination.url : undefined,
    resolved: destination?.kind === "resolved_on_spot",
  };
}

/** Where to go, for the visitor: the service's name and directions in their
 * language; a partner's address, hours and phone as the partner gives them. */
export function visitorPlace(service: Service, lang: VisitorLanguage): { name: Said; location: Said | null; details: string } {
  const location = service.kind === "counter" || service.kind === "permanence" ? said(service.location, service.location_in, lang) : null;
  const details = service.kind === "partner" ? [service.address, service.hours, service.phone ? `Tél. ${service.phone}` : ""].filter(Boolean).join(" · ") : "";
  return { name: said(service.name, service.name_in, lang), location, details };
}

/** The take-away in `lang`: a title, the ticket (printed large on a slip), then lines. */
export type Takeaway = { title: string; ticketLabel: string; ticket: string | null; lines: string[] };

export function takeaway(facts: VisitorFacts, lang: VisitorLanguage): Takeaway {
  const w = WORDS[lang];
  // A text the catalogue gives only in French says so.
  const plain = (s: Said) => (s.lang === lang ? s.text : `${s.text} (${w.inFrench})`);
  const lines: string[] = [];
  if (facts.ticket) lines.push(w.wait);
  if (facts.quote) lines.push(w.waitRange(facts.quote.optimistic, facts.quote.pessimistic));
  for (const d of facts.demarches) lines.push(`${w.demarche} : ${plain(said(d.title, d.title_in, lang))}`);
  if (facts.service) {
    const place = visitorPlace(facts.service, lang);
    const where = [place.location && plain(place.location), place.details].filter(Boolean).join(" · ");
    lines.push(`${w.goTo} : ${plain(place.name)}${where ? ` — ${where}` : ""}`);
  }
  if (facts.slot) lines.push(`${w.nextSlot} : ${slotWords(facts.slot, lang)}`);
  if (facts.resolved) lines.push(w.resolved);
  if (facts.documents.length > 0) lines.push(`${w.documents} :`, ...facts.documents.map((d) => `- ${plain(documentSaid(d, lang))}`));
  if (facts.link) lines.push(`${w.online} : ${facts.link}`);
  return { title: w.title, ticketLabel: w.ticket, ticket: facts.ticket, lines };
}

/** The take-away as the QR code's plain text. */
export function takeawayText(t: Takeaway): string {
  return [t.title, ...(t.ticket ? [`${t.ticketLabel} : ${t.ticket}`] : []), ...t.lines].join("\n");
}
