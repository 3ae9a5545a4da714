// The visit, one screen per step: Écouter → Qualifier → Orienter → Accompagner.
// Back and abandon are always there; the step's clock runs in the header.
import { useEffect, useRef, useState } from "preact/hooks";
import type {
  Action, Catalogue, Demarche, Destination, Listening, SearchHit, Service, Settings, Step, Visit, VisitorProfile,
} from "./bindings";
import type { Backend } from "./backend";
import { errorText } from "./app";
import { Field, useAnnounce, useSettled } from "./a11y";
import { LANGUAGES, documentFrench, slotWords } from "./i18n";
import { STEP_LABELS, clock } from "./words";
import { WaitLine, useCounterWaits } from "./waits";

const STEPS: { step: Step; label: string }[] = (["listen", "qualify", "orient", "accompany"] as const).map((step) => ({
  step,
  label: STEP_LABELS[step],
}));

export const PROFILES: { value: VisitorProfile; label: string }[] = [
  { value: "citizen", label: "Citoyen" },
  { value: "consumer_novice", label: "Usager novice" },
  { value: "consumer_expert", label: "Usager averti" },
  { value: "beneficiary_fragile", label: "Bénéficiaire fragile" },
  { value: "beneficiary_expert", label: "Bénéficiaire averti" },
  { value: "inhabitant", label: "Habitant" },
  { value: "curious", label: "Curieux" },
  { value: "practitioner", label: "Professionnel" },
];

type Props = {
  backend: Backend;
  catalogue: Catalogue;
  settings: Settings | null;
  visit: Visit;
  onChange: (v: Visit) => void;
  onShowVisitor: () => void;
  onFinished: (message: string) => void;
};

export function VisitScreen(props: Props) {
  const { visit } = props;
  const [error, setError] = useState<string | null>(null);
  const act = async (action: Action) => {
    try {
      const next = await props.backend.record(visit.id, action);
      setError(null);
      if (next.step === "closed") return props.onFinished("Visite enregistrée.");
      if (next.step === "abandoned") return props.onFinished("Visite abandonnée : enregistrée comme telle.");
      props.onChange(next);
    } catch (e) {
      setError(errorText(e));
    }
  };
  const index = STEPS.findIndex((s) => s.step === visit.step);
  return (
    <section class="visit" aria-labelledby="titre-etape">
      <ol class="stepper" aria-label="Étapes de la visite">
        {STEPS.map((s, i) => (
          <li key={s.step} class={i === index ? "current" : i < index ? "done" : ""} aria-current={i === index ? "step" : undefined}>
            <span class="num" aria-hidden="true">{i + 1}</span> {s.label}
          </li>
        ))}
      </ol>
      <div class="step-head">
        <h1 id="titre-etape">{STEPS[index]?.label}</h1>
        <StepClock since={visit.spans[visit.spans.length - 1]?.started_at} />
      </div>
      {error && <p class="error" role="alert">{error}</p>}
      {visit.step === "listen" && <ListenStep settings={props.settings} onDone={(l) => act({ type: "listened", data: l })} />}
      {visit.step === "qualify" && <QualifyStep {...props} onDone={act} />}
      {visit.step === "orient" && <OrientStep {...props} onDone={act} />}
      {visit.step === "accompany" && <AccompanyStep visit={visit} catalogue={props.catalogue} onShowVisitor={props.onShowVisitor} onDone={act} />}
      <div class="actions secondary-actions">
        {index > 0 && (
          <button type="button" class="secondary" onClick={() => act({ type: "back" })}>
            ← Étape précédente
          </button>
        )}
        <button type="button" class="danger" onClick={() => act({ type: "abandon" })}>
          Abandonner la visite
        </button>
      </div>
    </section>
  );
}

function StepClock({ since }: { since: string | undefined }) {
  const [now, setNow] = useState(Date.now());
  useEffect(() => {
    const t = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(t);
  }, []);
  const seconds = since ? Math.max(0, Math.floor((now - Date.parse(since)) / 1000)) : 0;
  return (
    <p class="clock">
      <span class="visually-hidden">Temps passé à cette étape : </span>
      <time dateTime={`PT${seconds}S`}>{clock(seconds)}</time>
    </p>
  );
}

function ListenStep({ settings, onDone }: { settings: Settings | null; onDone: (l: Listening) => void }) {
  const [profile, setProfile] = useState<VisitorProfile | null>(null);
  const [language, setLanguage] = useState<string | null>(null);
  const [note, setNote] = useState("");
  return (
    // Not a <form>: the app's webview (WebKitGTK 2.50) frees no removed form
    // nor its controls, even after a garbage collection, so one form a visit
    // grew the web process all day; and no field here is submitted by Enter.
    <div class="step">
      <fieldset>
        <legend>Profil du visiteur (facultatif)</legend>
        <div class="chips">
          {PROFILES.map((p) => (
            <button type="button" key={p.value} class="chip" aria-pressed={profile === p.value} onClick={() => setProfile(profile === p.value ? null : p.value)}>
              {p.label}
            </button>
          ))}
        </div>
      </fieldset>
      <fieldset>
        <legend>Langue du visiteur (facultatif)</legend>
        <div class="chips">
          {LANGUAGES.map((l) => (
            <button type="button" key={l.code} class="chip" lang={l.code} dir={l.dir} aria-pressed={language === l.code} onClick={() => setLanguage(language === l.code ? null : l.code)}>
              {l.name}
            </button>
          ))}
        </div>
      </fieldset>
      {settings?.notes_enabled && (
        <Field label="Note factuelle" hint="280 caractères au plus. Le visiteur peut lire cette note (droit d'accès) : des faits, rien de personnel.">
          <textarea maxLength={280} value={note} onInput={(e) => setNote((e.target as HTMLTextAreaElement).value)} />
        </Field>
      )}
      <div class="actions">
        <button type="button" class="primary" onClick={() => onDone({ profile, language, note: note.trim() ? note.trim() : null })}>
          Qualifier la demande →
        </button>
      </div>
    </div>
  );
}

function QualifyStep(props: Props & { onDone: (a: Action) => void }) {
  const [words, setWords] = useState("");
  const [hits, setHits] = useState<{ query: string; list: SearchHit[] }>({ query: "", list: [] });
  const [chosen, setChosen] = useState<string[]>([]);
  const [unmet, setUnmet] = useState<string | null>(null);
  const announce = useAnnounce();
  // « Hors catalogue… » gives way to its field: focus follows it there.
  const unmetField = useRef<HTMLInputElement>(null);
  useEffect(() => {
    if (unmet === "") unmetField.current?.focus();
  }, [unmet === null]);
  // The search starts in the keystroke's own handler, not in an effect (which
  // Preact runs after the next paint): its results can make the next frame.
  // Only the answer to the latest words is shown.
  const latest = useRef<string | null>("");
  useEffect(() => () => { latest.current = null; }, []);
  const type = (value: string) => {
    setWords(value);
    latest.current = value;
    const show = (list: SearchHit[]) => latest.current === value && setHits({ query: value, list });
    props.backend.search(value, 8).then(show, () => show([]));
  };
  // The number of results is said once typing has settled, not on every keystroke.
  useSettled(hits, 800, (h) => {
    if (h.query.trim() === "" || h.query !== words) return;
    const n = h.list.length;
    announce(n === 0 ? "Aucune démarche trouvée." : `${n} démarche${n > 1 ? "s" : ""} trouvée${n > 1 ? "s" : ""}.`, { visible: false });
  });
  const toggle = (id: string) => setChosen(chosen.includes(id) ? chosen.filter((c) => c !== id) : [...chosen, id]);
  const demarche = (id: string) => props.catalogue.demarches.find((d) => d.id === id);
  const submit = () =>
    unmet !== null
      ? props.onDone({ type: "qualified", data: { kind: "unmet", description: unmet } })
      : props.onDone({ type: "qualified", data: { kind: "demarches", ids: chosen } });
  return (
    <div class="step qualify">
      <Field label="Mots du visiteur" class="search">
        <input type="search" autoComplete="off" value={words} placeholder="ex. naiss, carte identité, apl…" onInput={(e) => type((e.target as HTMLInputElement).value)} />
      </Field>
      <ul class="results" aria-label="Démarches trouvées" data-query={hits.query}>
        {hits.list.map((h) => (
          <li key={h.id}>
            <button type="button" class="result" aria-pressed={chosen.includes(h.id)} onClick={() => toggle(h.id)}>
              <span class="result-title">{h.title}</span>
              <span class="result-service">{h.service}</span>
            </button>
          </li>
        ))}
      </ul>
      {chosen.length > 0 && (
        <section class="chosen" aria-labelledby="titre-choisies">
          <h2 id="titre-choisies">Démarches retenues</h2>
          {chosen.map((id) => <DemarcheCard key={id} demarche={demarche(id)} />)}
        </section>
      )}
      {unmet === null ? (
        <button type="button" class="secondary" onClick={() => setUnmet("")}>Hors catalogue…</button>
      ) : (
        <Field label="Demande hors catalogue, en quelques mots">
          <input ref={unmetField} type="text" maxLength={200} value={unmet} onInput={(e) => setUnmet((e.target as HTMLInputElement).value)} />
        </Field>
      )}
      <div class="actions">
        <button type="button" class="primary" disabled={unmet === null ? chosen.length === 0 : unmet.trim() === ""} onClick={submit}>
          Orienter →
        </button>
      </div>
    </div>
  );
}

function DemarcheCard({ demarche }: { demarche: Demarche | undefined }) {
  if (!demarche) return null;
  return (
    <article class="card">
      <h3>{demarche.title}</h3>
      {demarche.appointment.required && <p class="badge">Sur rendez-vous{demarche.appointment.booking ? ` : ${demarche.appointment.booking}` : ""}</p>}
      {demarche.documents.length > 0 && (
        <>
          <h4>Documents à apporter</h4>
          <ul>{demarche.documents.map((d) => <li key={JSON.stringify(d)}>{documentFrench(d)}</li>)}</ul>
        </>
      )}
    </article>
  );
}

/** The places that fit the chosen démarches, each démarche's own first. */
export function destinationsFor(visit: Visit, catalogue: Catalogue): { services: Service[]; online: { title: string; url: string }[] } {
  const ids = visit.qualification?.kind === "demarches" ? visit.qualification.ids : [];
  const demarches = ids.map((id) => catalogue.demarches.find((d) => d.id === id)).filter((d): d is Demarche => !!d);
  const serviceIds = [...new Set(demarches.flatMap((d) => [d.service, ...(d.other_services ?? [])]))];
  const services = serviceIds
    .map((id) => catalogue.services.find((s) => s.id === id))
    .filter((s): s is Service => !!s && s.active !== false && s.kind !== "online");
  const links = demarches.flatMap((d) => d.online);
  const online = links.filter((l, i) => links.findIndex((o) => o.url === l.url) === i);
  return { services, online };
}

const KIND_LABEL: Record<string, string> = { counter: "Guichet", permanence: "Permanence", partner: "Partenaire" };

function OrientStep(props: Props & { onDone: (a: Action) => void }) {
  const { services, online } = destinationsFor(props.visit, props.catalogue);
  const go = (destination: Destination) => props.onDone({ type: "oriented", data: destination });
  const others = props.catalogue.services.filter((s) => s.active !== false && s.kind === "counter" && !services.includes(s));
  const waits = useCounterWaits(() => props.backend.counterWaits(), () => props.backend.refreshCounterWaits());
  const now = Date.now();
  // The other counters are built when their list is opened, not on every visit that never opens it.
  const [othersOpen, setOthersOpen] = useState(false);
  return (
    <div class="step orient">
      <ul class="destinations">
        {services.map((s) => (
          <li key={s.id}>
            <button
              type="button"
              class={s.kind === "counter" ? "destination counter" : "destination"}
              onClick={() => go(s.kind === "counter" ? { kind: "counter", service: s.id } : s.kind === "permanence" ? { kind: "permanence", service: s.id, slot: null } : { kind: "partner", service: s.id })}
            >
              <span class="kind">{s.kind === "counter" ? "Ticket · guichet" : KIND_LABEL[s.kind]}</span>
              <span class="name">{s.name}</span>
              <span class="detail">{serviceDetail(s)}</span>
              {s.kind === "counter" && <WaitLine waits={waits} service={s.id} now={now} />}
            </button>
          </li>
        ))}
        {online.map((l) => (
          <li key={l.url}>
            <button type="button" class="destination" onClick={() => go({ kind: "online", title: l.title, url: l.url })}>
              <span class="kind">En ligne</span>
              <span class="name">{l.title}</span>
              <span class="detail">{l.url}</span>
            </button>
          </li>
        ))}
        <li>
          <button type="button" class="destination" onClick={() => go({ kind: "resolved_on_spot" })}>
            <span class="kind">Sur place</span>
            <span class="name">Résolu sur place</span>
          </button>
        </li>
      </ul>
      {others.length > 0 && (
        <details class="other-counters" onToggle={(e) => setOthersOpen((e.currentTarget as HTMLDetailsElement).open)}>
          <summary>Autre guichet de la mairie…</summary>
          {othersOpen && (
            <ul class="destinations">
              {others.map((s) => (
                <li key={s.id}>
                  <button type="button" class="destination counter" onClick={() => go({ kind: "counter", service: s.id })}>
                    <span class="kind">Ticket · guichet</span>
                    <span class="name">{s.name}</span>
                    <WaitLine waits={waits} service={s.id} now={now} />
                  </button>
                </li>
              ))}
            </ul>
          )}
        </details>
      )}
    </div>
  );
}

const DAYS: Record<string, string> = {
  monday: "lundi", tuesday: "mardi", wednesday: "mercredi", thursday: "jeudi", friday: "vendredi", saturday: "samedi", sunday: "dimanche",
};

export function serviceDetail(s: Service): string {
  switch (s.kind) {
    case "counter":
      return s.location;
    case "permanence":
      return `${s.location} · ${s.slots.map((slot) => `${DAYS[slot.weekday]} ${slot.start}–${slot.end}`).join(", ")}`;
    case "partner":
      return [s.address, s.hours, s.phone ? `Tél. ${s.phone}` : ""].filter(Boolean).join(" · ");
    default:
      return "";
  }
}

function AccompanyStep(props: { visit: Visit; catalogue: Catalogue; onShowVisitor: () => void; onDone: (a: Action) => void }) {
  const o = props.visit.orientation;
  const service = o && "service" in o.destination ? props.catalogue.services.find((s) => "service" in o.destination && s.id === o.destination.service) : undefined;
  return (
    <div class="step accompany">
      {o?.ticket && (
        <h2 class="ticket" data-landing>
          <span class="ticket-label">Ticket</span> <span class="ticket-code">{o.ticket.code}</span>
        </h2>
      )}
      <p class="summary">
        {o?.destination.kind === "online" ? `En ligne : ${o.destination.title}` : o?.destination.kind === "resolved_on_spot" ? "Résolu sur place" : service?.name}
        {o?.destination.kind === "permanence" && o.destination.slot && <span class="slot">Prochain créneau : {slotWords(o.destination.slot, "fr")}</span>}
      </p>
      <button type="button" class="secondary big" onClick={props.onShowVisitor}>
        Montrer au visiteur
      </button>
      <div class="actions">
        <button type="button" class="primary" onClick={() => props.onDone({ type: "accompanied", data: { accompanied: true } })}>
          Je l'accompagne
        </button>
        <button type="button" class="primary" onClick={() => props.onDone({ type: "accompanied", data: { accompanied: false } })}>
          Y va sans accompagnement
        </button>
      </div>
    </div>
  );
}
