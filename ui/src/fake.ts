// An in-memory backend for browser tests and demos: the shipped catalogue,
// a simple search, and visits kept in memory. It implements the same
// generated command types as the real core, not its rules in full.
import shipped from "../../catalogue/mairie-19e.json";
import type {
  Action, Catalogue, CatalogueEdit, CounterWaits, DaySummary, DemarcheReplacement, Destination, JournalQuery, LogEntry, Orientation, Period, Raster, RecordKind, SearchHit,
  Settings, Step, SyncStatus, Visit, VisitId,
} from "./bindings";
import { type Backend, BackendError } from "./backend";
import { mairieDay } from "./paris";
import { FakeTeam } from "./fake-lead";

// The file leaves out fields that have defaults; the core fills them in, and so does this.
const file = shipped as unknown as Catalogue;
const catalogue: Catalogue = {
  ...file,
  services: file.services.map((s) => ({ ...s, active: s.active ?? true, version: s.version ?? 1 })),
  demarches: file.demarches.map((d) => ({ ...d, active: d.active ?? true, version: d.version ?? 1, frequency: d.frequency ?? 2 })),
};

function fold(text: string): string {
  return text.normalize("NFD").replace(/\p{M}/gu, "").toLowerCase().replace(/[^a-z0-9]+/g, " ").trim();
}

const NEXT: Partial<Record<Action["type"], Step>> = {
  listened: "qualify", qualified: "orient", oriented: "accompany", accompanied: "closed",
};
const EXPECTED: Partial<Record<Action["type"], Step>> = {
  listened: "listen", qualified: "qualify", oriented: "orient", accompanied: "accompany",
};
const PREVIOUS: Partial<Record<Step, Step>> = { qualify: "listen", orient: "qualify", accompany: "orient" };

export class FakeBackend implements Backend {
  private visits = new Map<VisitId, Visit>();
  private tickets = new Map<string, number>();
  private current: Settings = { tablet: "A", agent: null, notes_enabled: false, printer: null };
  /** `?lead` in the address: a device enrolled as the team lead's. */
  private lead = new URLSearchParams(location.search).has("lead");
  private enrolled = this.lead;
  private team = new FakeTeam(catalogue);

  async catalogue(): Promise<Catalogue> {
    return catalogue;
  }

  async search(words: string, limit: number): Promise<SearchHit[]> {
    const terms = fold(words).split(" ").filter((w) => w.length >= 2);
    if (terms.length === 0) return [];
    const service = (id: string) => catalogue.services.find((s) => s.id === id)?.name ?? id;
    return catalogue.demarches
      .map((d) => {
        const text = fold(`${d.title} ${d.keywords.join(" ")}`).split(" ");
        const hits = terms.filter((t) => text.some((w) => w.startsWith(t))).length;
        return { d, score: hits === 0 ? 0 : hits * 10 + (d.frequency ?? 2) };
      })
      .filter((r) => r.score > 0)
      .sort((a, b) => b.score - a.score)
      .slice(0, limit)
      .map(({ d, score }) => ({
        id: d.id, title: d.title, category: d.category, service_id: d.service,
        service: service(d.service), keywords: d.keywords, score: -score,
      }));
  }

  async openVisit(): Promise<Visit> {
    const now = new Date().toISOString();
    const visit: Visit = {
      id: crypto.randomUUID(), tablet: this.current.tablet, agent: this.current.agent, day: mairieDay(),
      step: "listen", spans: [{ step: "listen", started_at: now, ended_at: null }],
      listening: { profile: null, language: null, note: null }, qualification: null, orientation: null,
      accompaniment: null, abandoned_at: null, revision: 0,
    };
    this.visits.set(visit.id, visit);
    return visit;
  }

  private orientation(destination: Destination): Orientation {
    if (destination.kind === "permanence" && destination.slot === null) {
      // A slot a week from now at the first weekly slot's time: enough for a test double.
      const first = catalogue.services.find((s) => s.id === destination.service);
      const start = first?.kind === "permanence" ? first.slots[0]?.start : undefined;
      const day = new Date(Date.now() + 7 * 86400000).toISOString().slice(0, 10);
      return { destination: { ...destination, slot: start ? `${day}T${start}:00` : null }, ticket: null };
    }
    if (destination.kind !== "counter") return { destination, ticket: null };
    const service = catalogue.services.find((s) => s.id === destination.service);
    if (!service || service.kind !== "counter") throw new BackendError("invalid", "ce service n'est pas un guichet");
    const key = `${mairieDay()}:${service.id}`;
    const number = (this.tickets.get(key) ?? 0) + 1;
    this.tickets.set(key, number);
    return {
      destination,
      ticket: {
        code: `${service.ticket_letter}${this.current.tablet}${String(number).padStart(2, "0")}`,
        service: service.id, day: mairieDay(), number, issued_at: new Date().toISOString(),
        quoted_wait: this.board()?.board.services.find((w) => w.service === service.id)?.range ?? undefined,
      },
    };
  }

  async record(id: VisitId, action: Action): Promise<Visit> {
    const old = this.visits.get(id);
    if (!old) throw new BackendError("not_found", `visite « ${id} » introuvable`);
    const opinion = action.type === "rated" || action.type === "answered_repeat";
    if ((old.step === "closed" && !opinion) || old.step === "abandoned") throw new BackendError("workflow", "la visite est terminée");
    const expected = EXPECTED[action.type];
    if (expected && old.step !== expected) throw new BackendError("workflow", "action impossible à cette étape");
    const now = new Date().toISOString();
    const v: Visit = structuredClone(old);
    const enter = (step: Step) => {
      const open = v.spans[v.spans.length - 1];
      if (open && open.ended_at === null) open.ended_at = now;
      if (step !== "closed" && step !== "abandoned") v.spans.push({ step, started_at: now, ended_at: null });
      v.step = step;
    };
    switch (action.type) {
      case "listened": v.listening = action.data; break;
      case "qualified": v.qualification = action.data; break;
      case "oriented": v.orientation = this.orientation(action.data); break;
      case "accompanied": v.accompaniment = action.data; break;
      case "abandon": v.abandoned_at = old.step; enter("abandoned"); break;
      case "rated":
        if (old.step !== "accompany" && old.step !== "closed") throw new BackendError("workflow", "l'avis du visiteur se donne à la fin de la visite");
        if (v.opinion) throw new BackendError("workflow", "le visiteur a déjà donné son avis");
        v.opinion = { satisfaction: action.data, repeated_situation: null, given_at: now };
        break;
      case "answered_repeat":
        if (!v.opinion) throw new BackendError("workflow", "la question vient après le choix d'un visage");
        if (v.opinion.repeated_situation !== null) throw new BackendError("workflow", "le visiteur a déjà répondu");
        v.opinion.repeated_situation = action.data;
        break;
      case "back": {
        const previous = PREVIOUS[old.step];
        if (!previous) throw new BackendError("workflow", "pas d'étape avant « Écouter »");
        enter(previous);
      }
    }
    const next = NEXT[action.type];
    if (next) enter(next);
    v.revision += 1;
    this.visits.set(id, v);
    return v;
  }

  async daySummary(day: string): Promise<DaySummary> {
    const visits = [...this.visits.values()].filter((v) => v.day === day);
    return {
      visits: visits.length,
      tickets: visits.filter((v) => v.orientation?.ticket).length,
      open: visits.filter((v) => v.step !== "closed" && v.step !== "abandoned"),
    };
  }

  async dayLog(day: string): Promise<LogEntry[]> {
    const now = Date.now();
    return [...this.visits.values()]
      .filter((v) => v.day === day)
      .map((visit) => {
        const durations = { listen: 0, qualify: 0, orient: 0, accompany: 0 };
        for (const s of visit.spans) {
          const end = s.ended_at ? Date.parse(s.ended_at) : now;
          const key = s.step as keyof typeof durations;
          if (key in durations) durations[key] += Math.max(0, Math.round((end - Date.parse(s.started_at)) / 1000));
        }
        return { visit, durations, pending_changes: this.enrolled ? 0 : visit.revision + 1, ticket_state: this.enrolled && visit.orientation?.ticket ? { code: visit.orientation.ticket.code, state: "waiting" as const, counter: null } : null };
      });
  }

  async settings(): Promise<Settings> {
    return this.current;
  }

  async setSettings(settings: Settings): Promise<void> {
    this.current = settings;
  }

  /** Keeps the slips "printed", for the tests to look at (`window.printedSlips`). */
  async printSlip(slip: Raster): Promise<void> {
    if (!this.current.printer) throw new BackendError("printer_not_configured", "aucune imprimante de tickets n'est réglée (Réglages)");
    const w = window as unknown as { printedSlips?: Raster[] };
    w.printedSlips = [...(w.printedSlips ?? []), slip];
  }

  /**
   * The server's last wait board: `window.fakeWaits` when a test set one (its
   * figures and age as given), else État civil with two counters open, just fetched.
   */
  async counterWaits(): Promise<CounterWaits | null> {
    return this.board();
  }

  private board(): CounterWaits | null {
    const set = (window as unknown as { fakeWaits?: CounterWaits | null }).fakeWaits;
    if (set !== undefined) return set;
    const now = new Date().toISOString();
    const counters = catalogue.services.filter((s) => s.kind === "counter" && s.active);
    return {
      fetched_at: now,
      board: {
        computed_at: now,
        services: counters.map((s) =>
          s.id === "etat-civil"
            ? { service: s.id, waiting: 4, open_counters: 2, served_today: 12, range: { optimistic: 12, pessimistic: 15 }, past_closing: false }
            : { service: s.id, waiting: 0, open_counters: 0, served_today: 0, range: null, past_closing: false },
        ),
      },
    };
  }

  async refreshCounterWaits(): Promise<CounterWaits | null> {
    return this.counterWaits();
  }

  async syncStatus(): Promise<SyncStatus> {
    const pending = this.enrolled ? 0 : [...this.visits.values()].reduce((n, v) => n + v.revision + 1, 0);
    return {
      enrolled: this.enrolled, online: this.enrolled, pending,
      last_success_at: this.enrolled ? new Date().toISOString() : null,
      last_error: null, quarantined: 0, clock_offset_ms: this.enrolled ? 12 : null, clock_suspect: false,
      lead: this.lead,
    };
  }

  async enroll(invitation: string): Promise<void> {
    const [address, fragment = ""] = invitation.split("#");
    const code = new URLSearchParams(fragment).get("code");
    if (!/^https:\/\//.test(address) || code === null) throw new BackendError("invalid_address", "invitation incomplète : recopier toute la ligne donnée par l'informatique (adresse#code=…)");
    if (code.replace(/[^A-Za-z0-9]/g, "").length !== 8) throw new BackendError("invalid_code", "code d'enrôlement inconnu, déjà utilisé ou expiré");
    this.enrolled = true;
  }

  private requireLead(): void {
    if (!this.lead) throw new BackendError("forbidden", "réservé aux appareils du responsable d'accueil");
  }

  async teamJournal(query: JournalQuery) {
    this.requireLead();
    return this.team.journal(query);
  }

  async teamIndicators(period: Period) {
    this.requireLead();
    return this.team.indicators(period);
  }

  async signOff(day: string, comment: string) {
    this.requireLead();
    return this.team.signOff(day, comment);
  }

  /** In a browser, the export is a download. */
  async exportCsv(period: Period): Promise<string> {
    this.requireLead();
    const name = `volant-${period.from}-${period.to}.csv`;
    const link = document.createElement("a");
    link.href = URL.createObjectURL(new Blob([this.team.csv(period)], { type: "text/csv" }));
    link.download = name;
    link.click();
    return `Export téléchargé : ${name}`;
  }

  async editCatalogue(kind: RecordKind, id: string, edit: CatalogueEdit) {
    this.requireLead();
    return this.team.edit(kind, id, edit);
  }

  async repairQuarantined(installId: string, seq: number, replacements: DemarcheReplacement[]) {
    this.requireLead();
    return this.team.repair(installId, seq, replacements);
  }
}
