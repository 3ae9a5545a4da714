// How every screen puts a visit into words: step and outcome names, what the
// visitor asked for, durations as `m:ss`, and times and days in Paris time.
import type { Catalogue, Step, TicketStatus, Visit } from "./bindings";

export const STEP_LABELS: Record<Step, string> = {
  listen: "Écouter",
  qualify: "Qualifier",
  orient: "Orienter",
  accompany: "Accompagner",
  closed: "Terminée",
  abandoned: "Abandonnée",
};

export const OUTCOMES: Record<string, string> = {
  counter: "Guichet (ticket)",
  permanence: "Permanence",
  partner: "Partenaire extérieur",
  online: "Service en ligne",
  resolved_on_spot: "Résolu sur place",
  abandoned: "Abandon",
  open: "En cours",
};

/** The outcome key of a visit, as the core names it (`Visit::outcome`). */
export function outcomeOf(v: Visit): string {
  if (v.step === "abandoned") return "abandoned";
  if (v.step !== "closed") return "open";
  return v.orientation?.destination.kind ?? "open";
}

/** What the visitor came for: the démarches' titles, or the unmet need. */
export function requestText(v: Visit, catalogue: Catalogue | null): string {
  const q = v.qualification;
  const title = (id: string) => catalogue?.demarches.find((d) => d.id === id)?.title ?? id;
  if (q?.kind === "demarches") return q.ids.map(title).join(", ");
  if (q?.kind === "unmet") return `Hors catalogue : ${q.description}`;
  return "Non qualifiée";
}

/** What the counters did with a ticket, as the server said at the last sync. */
export function ticketStateWords(s: TicketStatus): string {
  switch (s.state) {
    case "waiting":
      return "en attente";
    case "called":
      return s.counter ? `appelé au ${s.counter}` : "appelé";
    case "present":
      return s.counter ? `au ${s.counter}` : "au guichet";
    case "served":
      return "servi";
    case "no_show":
      return "absent à l'appel";
    case "cancelled":
      return "annulé";
  }
}

/** Seconds as `m:ss`, the format of the step clock. */
export function clock(seconds: number): string {
  return `${Math.floor(seconds / 60)}:${String(seconds % 60).padStart(2, "0")}`;
}

/** A date and time in the mairie's time. */
export function dateTime(at: string): string {
  return new Date(at).toLocaleString("fr-FR", { timeZone: "Europe/Paris" });
}

/** A mairie day (`YYYY-MM-DD`) as French readers write it. */
export function frenchDay(day: string): string {
  return new Date(`${day}T12:00:00Z`).toLocaleDateString("fr-FR", { timeZone: "UTC" });
}
