// What the visitor takes away, as plain text in their language: the ticket
// and the wait quoted with it, where to go (and the permanence's next slot),
// the documents to bring, the online service's link. Nothing about the
// person. The visitor screen shows it as a QR code that a phone camera reads
// without a network.
import type { Catalogue, Demarche, Service, Visit, WaitMinutes } from "./bindings";
import { type VisitorLanguage, WORDS, slotWords } from "./i18n";
import { serviceDetail } from "./visit";

/** What the visitor screen and the take-away both show. */
export type VisitorFacts = {
  ticket: string | null;
  /** The wait the orient step quoted with the ticket. */
  quote: WaitMinutes | undefined;
  service: Service | undefined;
  slot: string | null;
  documents: string[];
  link: string | undefined;
  resolved: boolean;
};

export function visitorFacts(visit: Visit, catalogue: Catalogue): VisitorFacts {
  const destination = visit.orientation?.destination;
  const ids = visit.qualification?.kind === "demarches" ? visit.qualification.ids : [];
  const demarches = ids.map((id) => catalogue.demarches.find((d) => d.id === id)).filter((d): d is Demarche => !!d);
  return {
    ticket: visit.orientation?.ticket?.code ?? null,
    quote: visit.orientation?.ticket?.quoted_wait,
    service: destination && "service" in destination ? catalogue.services.find((s) => s.id === destination.service) : undefined,
    slot: destination?.kind === "permanence" ? destination.slot : null,
    documents: [...new Set(demarches.flatMap((d) => d.documents))],
    link: destination?.kind === "online" ? destination.url : undefined,
    resolved: destination?.kind === "resolved_on_spot",
  };
}

/** The take-away in `lang`: a title, the ticket (printed large on a slip), then lines. */
export type Takeaway = { title: string; ticketLabel: string; ticket: string | null; lines: string[] };

export function takeaway(facts: VisitorFacts, lang: VisitorLanguage): Takeaway {
  const w = WORDS[lang];
  const lines: string[] = [];
  if (facts.ticket) lines.push(w.wait);
  if (facts.quote) lines.push(w.waitRange(facts.quote.optimistic, facts.quote.pessimistic));
  if (facts.service) {
    const detail = serviceDetail(facts.service);
    lines.push(`${w.goTo} : ${facts.service.name}${detail ? ` — ${detail}` : ""}`);
  }
  if (facts.slot) lines.push(`${w.nextSlot} : ${slotWords(facts.slot, lang)}`);
  if (facts.resolved) lines.push(w.resolved);
  if (facts.documents.length > 0) lines.push(`${w.documents} :`, ...facts.documents.map((d) => `- ${d}`));
  if (facts.link) lines.push(`${w.online} : ${facts.link}`);
  return { title: w.title, ticketLabel: w.ticket, ticket: facts.ticket, lines };
}

/** The take-away as the QR code's plain text. */
export function takeawayText(t: Takeaway): string {
  return [t.title, ...(t.ticket ? [`${t.ticketLabel} : ${t.ticket}`] : []), ...t.lines].join("\n");
}
