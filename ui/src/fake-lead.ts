// The lead's side of the in-memory test backend: a made-up day of two
// tablets, its journal pages and indicators, sign-offs, a CSV export and
// catalogue edits with versions. Same generated types as the real core.
import type {
  Cached, Catalogue, CatalogueEdit, Count, DemarcheReplacement, Destination, EditOutcome, Indicators, JournalQuery, Period,
  QuarantinedRecord, QuarantineRepair, RecordKind, SignOff, StepDurations, TeamJournal, TeamVisit, Visit,
} from "./bindings";
import { BackendError } from "./backend";
import { OUTCOMES, outcomeOf } from "./words";

const UNMET = ["photo d'identité sur place", "photos d'identité ?", "prêt de vélo cargo pour association"];
const STEPS = ["listen", "qualify", "orient", "accompany"] as const;

function visitsOf(catalogue: Catalogue, day: string): TeamVisit[] {
  const frequent = catalogue.demarches.filter((d) => d.active).sort((a, b) => (b.frequency ?? 2) - (a.frequency ?? 2)).slice(0, 12);
  const out: TeamVisit[] = [];
  for (let i = 0; i < 64; i++) {
    const tablet = i % 3 === 0 ? "B" : "A";
    const hour = 8 + ((i * 7) % 10);
    const start = new Date(`${day}T${String(hour).padStart(2, "0")}:${String((i * 13) % 60).padStart(2, "0")}:00+01:00`);
    const secs = [40 + (i * 17) % 120, 30 + (i * 11) % 90, 20 + (i * 7) % 60, i % 5 === 0 ? 180 : 10];
    const unmet = i % 11 === 4 ? UNMET[i % 3] : null;
    const d = frequent[i % frequent.length];
    const service = catalogue.services.find((s) => s.id === d.service);
    const abandoned = i % 17 === 9;
    const destination: Destination = unmet
      ? { kind: "resolved_on_spot" }
      : service?.kind === "counter" ? { kind: "counter", service: service.id }
      : { kind: "resolved_on_spot" };
    let t = start.getTime();
    const spans = STEPS.slice(0, abandoned ? 2 : 4).map((step, k) => {
      const started = new Date(t).toISOString();
      t += secs[k] * 1000;
      return { step, started_at: started, ended_at: new Date(t).toISOString() };
    });
    const ticket = destination.kind === "counter" && service?.kind === "counter" && !abandoned
      ? { code: `${service.ticket_letter}${tablet}${String(i).padStart(2, "0")}`, service: service.id, day, number: i, issued_at: spans[2].started_at }
      : null;
    const visit: Visit = {
      id: `0190${String(i).padStart(4, "0")}-0000-7000-8000-000000000000`, tablet, agent: tablet === "A" ? "MD" : "KB", day,
      step: abandoned ? "abandoned" : "closed", spans,
      listening: { profile: null, language: i % 4 === 0 ? "ar" : "fr", note: null },
      qualification: unmet ? { kind: "unmet", description: unmet } : { kind: "demarches", ids: [d.id] },
      orientation: abandoned ? null : { destination, ticket },
      accompaniment: abandoned ? null : { accompanied: i % 5 === 0 }, abandoned_at: abandoned ? "qualify" : null, revision: 4,
    };
    const durations: StepDurations = { listen: secs[0], qualify: secs[1], orient: abandoned ? 0 : secs[2], accompany: abandoned ? 0 : secs[3] };
    out.push({ visit, durations, device: `Tablette ${tablet}`, clock_suspect: i === 10, quarantined: null });
  }
  return out.sort((a, b) => a.visit.spans[0].started_at.localeCompare(b.visit.spans[0].started_at));
}


/** Illustrative opinions, 8 a day: a day's are too few to show, a week's are shown. The real ones come from the visits. */
function opinionFigures(days: number): Indicators["satisfaction"] {
  const answers = 8 * days;
  const shown = answers >= 10;
  return { answers, satisfied_pct: shown ? 71 : null, net: shown ? 43 : null, repeat_answers: 6 * days, repeated_pct: 6 * days >= 10 ? 24 : null };
}

function counts(map: Map<string, number>, label: (k: string) => string): Count[] {
  return [...map].map(([key, visits]) => ({ key, label: label(key), visits })).sort((a, b) => b.visits - a.visits || a.key.localeCompare(b.key));
}

function quantile(values: number[], q: number): number {
  const s = [...values].sort((a, b) => a - b);
  return s.length === 0 ? 0 : s[Math.min(s.length, Math.max(1, Math.ceil(q * s.length))) - 1];
}

/** The days of a period with visits: Sundays are closed, but a period of one day has
 *  that day's visits, as its journal shows them (the demo's « today » always has some). */
function days(period: Period): string[] {
  if (period.from === period.to) return [period.from];
  const out: string[] = [];
  for (let d = new Date(`${period.from}T12:00:00Z`); d <= new Date(`${period.to}T12:00:00Z`); d.setUTCDate(d.getUTCDate() + 1)) {
    if (d.getUTCDay() !== 0) out.push(d.toISOString().slice(0, 10));
  }
  return out;
}

/** The install the fake quarantined record comes from; its seq is the day of the month. */
const QUARANTINED_INSTALL = "0192f0c4-7d1e-7c3a-9e51-2b8d4a6f0e11";

export class FakeTeam {
  private signoffs = new Map<string, SignOff>();
  private repairs = new Map<string, QuarantineRepair>();

  /** The day's quarantined record: a démarche the catalogue no longer has, until the lead repairs it. */
  private quarantined(day: string): QuarantinedRecord {
    const seq = Number(day.slice(8, 10));
    const repair = this.repairs.get(`${QUARANTINED_INSTALL}/${seq}`) ?? null;
    return {
      device: "Tablette B", entity_id: "x", device_time: `${day}T09:12:00Z`, reason: "démarche « ancienne-demarche » inconnue du catalogue",
      install_id: QUARANTINED_INSTALL, seq, unknown_demarches: repair ? [] : ["ancienne-demarche"], repair,
    };
  }

  repair(installId: string, seq: number, replacements: DemarcheReplacement[]): QuarantinedRecord {
    const key = `${installId}/${seq}`;
    if (installId !== QUARANTINED_INSTALL || this.repairs.has(key)) throw new BackendError("not_found", "rien en quarantaine à cet endroit (déjà réparé ?)");
    for (const r of replacements) {
      if (!this.catalogue.demarches.some((d) => d.id === r.to)) throw new BackendError("invalid_field", `démarche « ${r.to} » absente du catalogue`);
    }
    this.repairs.set(key, { by: "Poste responsable", at: new Date().toISOString(), replacements });
    const day = new Date().toISOString().slice(0, 8) + String(seq).padStart(2, "0");
    return this.quarantined(day);
  }
  constructor(private catalogue: Catalogue) {}

  journal(q: JournalQuery): Cached<TeamJournal> {
    const all = visitsOf(this.catalogue, q.day).filter(({ visit: v }) =>
      (!q.tablet || v.tablet === q.tablet) && (!q.agent || v.agent === q.agent) && (!q.outcome || outcomeOf(v) === q.outcome)
      && (!q.unmet_only || v.qualification?.kind === "unmet")
      && (!q.demarche || (v.qualification?.kind === "demarches" && v.qualification.ids.includes(q.demarche)))
      && (!q.service || (v.orientation?.destination as { service?: string } | undefined)?.service === q.service));
    const size = 25;
    return {
      value: {
        day: q.day, total: all.length, page: q.page, page_size: size, visits: all.slice(q.page * size, (q.page + 1) * size),
        quarantined: q.page === 0 ? [this.quarantined(q.day)] : [],
        signoff: this.signoffs.get(q.day) ?? null, purged: false,
      },
      cached_at: null,
    };
  }

  indicators(period: Period): Cached<Indicators> {
    const visits = days(period).flatMap((d) => visitsOf(this.catalogue, d));
    const hours = new Map<string, number>(), dem = new Map<string, number>(), out = new Map<string, number>(), tab = new Map<string, TeamVisit[]>();
    const add = (m: Map<string, number>, k: string) => m.set(k, (m.get(k) ?? 0) + 1);
    for (const t of visits) {
      const v = t.visit;
      add(hours, String(new Date(v.spans[0].started_at).toLocaleString("en-GB", { hour: "2-digit", hour12: false, timeZone: "Europe/Paris" })).padStart(2, "0"));
      if (v.qualification?.kind === "demarches") add(dem, v.qualification.ids[0]);
      add(out, outcomeOf(v));
      tab.set(v.tablet, [...(tab.get(v.tablet) ?? []), t]);
    }
    const perHour = counts(hours, (h) => `${Number(h)} h`).sort((a, b) => a.key.localeCompare(b.key));
    const byCount = [...perHour].sort((a, b) => b.visits - a.visits);
    const unmet = visits.flatMap((t) => (t.visit.qualification?.kind === "unmet" ? [t.visit.qualification.description] : []));
    const groups = [
      { label: UNMET[0], wordings: [UNMET[0], UNMET[1]] },
      { label: UNMET[2], wordings: [UNMET[2]] },
    ].map((g) => ({ ...g, visits: unmet.filter((u) => g.wordings.includes(u)).length })).filter((g) => g.visits > 0);
    return {
      value: {
        period, visits: visits.length, arrivals_per_hour: perHour,
        busiest_hour: byCount[0]?.key ?? null, quietest_hour: byCount[byCount.length - 1]?.key ?? null,
        top_demarches: counts(dem, (id) => this.catalogue.demarches.find((d) => d.id === id)?.title ?? id).slice(0, 10),
        orientations: counts(out, (o) => OUTCOMES[o] ?? o),
        step_times: STEPS.map((step) => {
          const values = visits.filter((t) => t.visit.spans.some((s) => s.step === step)).map((t) => t.durations[step]);
          return { step, median_s: quantile(values, 0.5), p90_s: quantile(values, 0.9), visits: values.length };
        }),
        accompanied: visits.filter((t) => t.visit.accompaniment?.accompanied).length,
        accompany_answered: visits.filter((t) => t.visit.accompaniment).length,
        unmet: groups,
        per_tablet: [...tab].map(([tablet, ts]) => ({
          tablet, visits: ts.length, tickets: ts.filter((t) => t.visit.orientation?.ticket).length,
          unmet: ts.filter((t) => t.visit.qualification?.kind === "unmet").length, abandoned: ts.filter((t) => t.visit.step === "abandoned").length,
        })),
        detailed_days: days(period).length, aggregated_days: 0,
        signed_off: [...this.signoffs.keys()].filter((d) => d >= period.from && d <= period.to),
        ...this.queueFigures(visits),
        satisfaction: opinionFigures(days(period).length),
      },
      cached_at: null,
    };
  }

  /** Illustrative counter figures for the visits' tickets: the real ones come from the counters' events. */
  private queueFigures(visits: TeamVisit[]): Pick<Indicators, "queues" | "calls_per_counter"> {
    const byService = new Map<string, number>();
    for (const t of visits) {
      const ticket = t.visit.orientation?.ticket;
      if (ticket) byService.set(ticket.service, (byService.get(ticket.service) ?? 0) + 1);
    }
    const name = (id: string) => this.catalogue.services.find((s) => s.id === id)?.name ?? id;
    const queues = [...byService].map(([service, tickets], i) => {
      const no_shows = Math.floor(tickets / 8);
      return {
        service: name(service), tickets, served: tickets - no_shows, no_shows,
        wait_median_s: 540 + 120 * i, wait_p90_s: 1320 + 180 * i, service_median_s: 360 + 60 * i, service_p90_s: 840 + 90 * i,
        quoted: tickets - no_shows, called_within_quote: Math.round((tickets - no_shows) * (0.9 - 0.1 * (i % 3))),
      };
    });
    const calls_per_counter = [...byService].flatMap(([service, tickets]) =>
      [1, 2].map((n) => {
        const label = `Guichet ${n} — ${name(service)}`;
        return { key: label, label, visits: Math.ceil((tickets * (n === 1 ? 0.6 : 0.5)) + 1) };
      }),
    ).sort((a, b) => b.visits - a.visits);
    return { queues, calls_per_counter };
  }

  signOff(day: string, comment: string): SignOff {
    if (comment.length > 500) throw new BackendError("invalid_field", "commentaire trop long (500 caractères au plus)");
    const s: SignOff = { day, comment: comment.trim(), signed_by: "Poste responsable", signed_at: new Date().toISOString() };
    this.signoffs.set(day, s);
    return s;
  }

  csv(period: Period): string {
    const rows = days(period).flatMap((d) => visitsOf(this.catalogue, d)).map(({ visit: v, durations: d }) =>
      [v.id, v.day, v.tablet, v.agent ?? "", v.spans[0].started_at, outcomeOf(v),
        v.qualification?.kind === "demarches" ? v.qualification.ids.join("|") : "",
        v.qualification?.kind === "unmet" ? v.qualification.description : "",
        v.orientation?.ticket?.code ?? "", d.listen, d.qualify, d.orient, d.accompany].map((c) => `"${String(c).replace(/"/g, '""')}"`).join(","));
    return ["visit_id,day,tablet,agent,opened_at,outcome,demarches,unmet_need,ticket,listen_s,qualify_s,orient_s,accompany_s", ...rows].join("\n") + "\n";
  }

  edit(kind: RecordKind, id: string, edit: CatalogueEdit): EditOutcome {
    const list = (kind === "demarche" ? this.catalogue.demarches : this.catalogue.services) as unknown as Array<Record<string, unknown>>;
    const index = list.findIndex((r) => r.id === id);
    const current = index >= 0 ? { version: 1, ...list[index] } : null;
    const version = current ? Number(current.version ?? 1) : null;
    if (version !== edit.expected_version) {
      return { outcome: "conflict", message: current ? `« ${id} » a été modifié entre-temps (version ${version})` : `« ${id} » n'existe pas`, current: current as never };
    }
    const record: Record<string, unknown> = { ...(edit.record as Record<string, unknown>), version: (version ?? 0) + 1 };
    if (!record.title && kind === "demarche") throw new BackendError("invalid_field", "title : champ manquant");
    if (index >= 0) list[index] = record; else list.push(record);
    return { outcome: "saved", record: record as never };
  }
}
