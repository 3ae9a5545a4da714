// The lead's journal of a day across every tablet: filters, pages, each
// visit's steps and flags, the changes the server quarantined, and the
// day's sign-off.
import { useEffect, useState } from "preact/hooks";
import { DateField } from "../date";
import type { Cached, Catalogue, JournalQuery, QuarantinedRecord, TeamJournal, TeamVisit } from "../bindings";
import type { Backend } from "../backend";
import { hhmm, mairieDay } from "../paris";
import { errorText } from "../app";
import { OUTCOMES, STEP_LABELS, clock, dateTime, frenchDay, outcomeOf, requestText } from "../words";
import { DemarcheOptions, Offline, ServiceOptions } from "./common";
import { Check, Field, useAnnounce, useSettled } from "../a11y";

export function TeamScreen({ backend, catalogue }: { backend: Backend; catalogue: Catalogue | null }) {
  const [query, setQuery] = useState<JournalQuery>({ day: mairieDay(), tablet: null, agent: null, service: null, outcome: null, demarche: null, unmet_only: false, page: 0 });
  const [journal, setJournal] = useState<Cached<TeamJournal> | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [comment, setComment] = useState("");
  const [refused, setRefused] = useState<string | null>(null);
  const announce = useAnnounce();

  const load = (q: JournalQuery) =>
    backend.teamJournal(q).then((j) => { setJournal(j); setError(null); }).catch((e) => { setJournal(null); setError(errorText(e)); });
  useEffect(() => { load(query); }, [query]);
  const change = (patch: Partial<JournalQuery>) => setQuery({ ...query, ...patch, page: patch.page ?? 0 });
  const text = (v: string) => (v.trim() === "" ? null : v.trim());

  const signOff = async (e: Event) => {
    e.preventDefault();
    try {
      const s = await backend.signOff(query.day, comment);
      setRefused(null);
      announce(`Journée du ${frenchDay(query.day)} visée.`);
      setComment("");
      setJournal(journal && { ...journal, value: { ...journal.value, signoff: s } });
    } catch (err) {
      setRefused(errorText(err));
    }
  };

  const j = journal?.value;
  const pages = j ? Math.max(1, Math.ceil(j.total / j.page_size)) : 1;
  const count = j ? `${j.total} visite${j.total > 1 ? "s" : ""} · page ${j.page + 1} sur ${pages}` : "";
  // What the filters found is said once they have settled.
  useSettled(count, 800, (c) => c && announce(c, { visible: false }));
  return (
    <section class="team" aria-labelledby="titre-equipe">
      <h1 id="titre-equipe">Journal de l'équipe</h1>
      <div class="filters" role="group" aria-label="Filtres">
        <DateField label="Jour" value={query.day} onChange={(day) => change({ day })} />
        <label class="field">Tablette<input value={query.tablet ?? ""} maxLength={1} onInput={(e) => change({ tablet: text(e.currentTarget.value.toUpperCase()) })} /></label>
        <label class="field">Agent<input value={query.agent ?? ""} maxLength={4} onInput={(e) => change({ agent: text(e.currentTarget.value.toUpperCase()) })} /></label>
        <label class="field">Issue
          <select value={query.outcome ?? ""} onChange={(e) => change({ outcome: text(e.currentTarget.value) })}>
            <option value="">Toutes</option>
            {Object.entries(OUTCOMES).map(([k, label]) => <option key={k} value={k}>{label}</option>)}
          </select>
        </label>
        <label class="field">Service
          <select value={query.service ?? ""} onChange={(e) => change({ service: text(e.currentTarget.value) })}>
            <option value="">Tous</option>
            {catalogue && <ServiceOptions services={catalogue.services} />}
          </select>
        </label>
        <label class="field">Démarche
          <select value={query.demarche ?? ""} onChange={(e) => change({ demarche: text(e.currentTarget.value) })}>
            <option value="">Toutes</option>
            {catalogue && <DemarcheOptions demarches={catalogue.demarches} />}
          </select>
        </label>
        <Check label="Besoins non couverts seulement" checked={query.unmet_only} onChange={(unmet_only) => change({ unmet_only })} />
      </div>
      {error && <p class="error" role="alert">{error}</p>}
      {journal && <Offline at={journal.cached_at} />}
      {j?.purged && <p class="notice">Journée au-delà de la durée de conservation : seuls les agrégats restent (voir Indicateurs).</p>}
      {j && (
        <>
          <p>{count}</p>
          <ol class="team-visits">
            {j.visits.map((t) => <TeamRow key={t.visit.id} t={t} catalogue={catalogue} />)}
          </ol>
          <div class="actions">
            <button type="button" disabled={query.page === 0} onClick={() => change({ page: query.page - 1 })}>Page précédente</button>
            <button type="button" disabled={query.page + 1 >= pages} onClick={() => change({ page: query.page + 1 })}>Page suivante</button>
          </div>
          {j.quarantined.length > 0 && (
            <section aria-labelledby="titre-quarantaine">
              <h2 id="titre-quarantaine">Écarts mis en quarantaine par le serveur</h2>
              <ul class="quarantine">
                {j.quarantined.map((q) => (
                  <li key={`${q.install_id}-${q.seq}`}>
                    <Quarantined q={q} catalogue={catalogue} backend={backend} onRepaired={() => load(query)} />
                  </li>
                ))}
              </ul>
            </section>
          )}
          <section class="card signoff" aria-labelledby="titre-visa">
            <h2 id="titre-visa">Visa de la journée</h2>
            {j.signoff ? (
              <p>Visée par {j.signoff.signed_by} le {dateTime(j.signoff.signed_at)}{j.signoff.comment && ` : « ${j.signoff.comment} »`}</p>
            ) : <p>Journée pas encore visée.</p>}
            <form onSubmit={signOff}>
              <label class="field">Commentaire (facultatif)
                <textarea maxLength={500} value={comment} onInput={(e) => setComment(e.currentTarget.value)} />
              </label>
              <button type="submit" class="primary">{j.signoff ? "Viser de nouveau" : "Viser la journée"}</button>
            </form>
            {refused && <p class="error" role="alert">{refused}</p>}
          </section>
        </>
      )}
    </section>
  );
}

function TeamRow({ t, catalogue }: { t: TeamVisit; catalogue: Catalogue | null }) {
  const v = t.visit;
  const d = t.durations;
  return (
    <li>
      <details>
        <summary>
          <span class="when">{hhmm(v.spans[0]?.started_at)}</span> · Tablette {v.tablet}{v.agent ? ` (${v.agent})` : ""} · {requestText(v, catalogue)} → {OUTCOMES[outcomeOf(v)]}
          {v.orientation?.ticket ? ` ${v.orientation.ticket.code}` : ""} · {clock(d.listen + d.qualify + d.orient + d.accompany)}
          {t.clock_suspect && <span class="badge">Horloge douteuse</span>}
          {t.quarantined && <span class="badge">Quarantaine</span>}
        </summary>
        <ul class="spans">
          {v.spans.map((s, i) => (
            <li key={i}>{STEP_LABELS[s.step]} : {hhmm(s.started_at)} → {hhmm(s.ended_at)}</li>
          ))}
        </ul>
        <p>Durées (min:s) : écouter {clock(d.listen)} · qualifier {clock(d.qualify)} · orienter {clock(d.orient)} · accompagner {clock(d.accompany)}
          {v.accompaniment ? (v.accompaniment.accompanied ? " · accompagné" : " · non accompagné") : ""}</p>
        {t.quarantined && <p class="error">Refusé par le serveur : {t.quarantined}</p>}
      </details>
    </li>
  );
}

/** One quarantined record: why, and the lead's repair (made, or to make when démarches are unknown). */
function Quarantined(props: { q: QuarantinedRecord; catalogue: Catalogue | null; backend: Backend; onRepaired: () => void }) {
  const { q, catalogue } = props;
  const [choice, setChoice] = useState<Record<string, string>>({});
  const [refusal, setRefusal] = useState<string | null>(null);
  const announce = useAnnounce();
  const title = (id: string) => catalogue?.demarches.find((d) => d.id === id)?.title ?? id;
  const repair = async (e: Event) => {
    e.preventDefault();
    try {
      const replacements = q.unknown_demarches.map((from) => ({ from, to: choice[from] ?? "" }));
      await props.backend.repairQuarantined(q.install_id, q.seq, replacements);
      setRefusal(null);
      announce(`Visite de ${hhmm(q.device_time)} réappliquée.`);
      props.onRepaired();
    } catch (err) {
      setRefusal(errorText(err));
    }
  };
  return (
    <>
      <p>{hhmm(q.device_time)} · {q.device} : {q.reason}</p>
      {q.repair ? (
        <p class="repaired">
          Réparée par {q.repair.by} le {dateTime(q.repair.at)} : {q.repair.replacements.map((r) => `« ${r.from} » remplacée par « ${title(r.to)} »`).join(", ")}.
        </p>
      ) : q.unknown_demarches.length > 0 && catalogue ? (
        <form class="repair" onSubmit={repair}>
          {q.unknown_demarches.map((from) => (
            <Field key={from} label={`Remplacer « ${from} » par`} required error={refusal}>
              <select value={choice[from] ?? ""} onChange={(e) => setChoice({ ...choice, [from]: e.currentTarget.value })}>
                <option value="">Choisir une démarche du catalogue</option>
                <DemarcheOptions demarches={catalogue.demarches} />
              </select>
            </Field>
          ))}
          <button type="submit" class="primary">Réappliquer la visite</button>
        </form>
      ) : (
        <p class="hint">Rien à remplacer ici : à voir avec l'informatique de la mairie.</p>
      )}
    </>
  );
}
