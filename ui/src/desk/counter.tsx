// « Guichet »: the counter desk, in a browser served by the mairie server.
// It calls its service's tickets and shows, on the ticket in hand, what the
// greeter already qualified, so the visitor need not tell it again. Live:
// the server's doorbell, a fetch of the state, a slow poll underneath.
import { useEffect, useState } from "preact/hooks";
import type { CounterAction, CounterView, QueueTicket, ServiceOutcome } from "../bindings";
import type { ScreenBackend } from "../backend";
import { BackendError } from "../backend";
import { Field, LiveRegion, useAnnouncer, useLanding } from "../a11y";
import { errorText } from "../app";
import { LANGUAGES } from "../i18n";
import { PROFILES } from "../visit";
import { ScreenEnrolment } from "./enrol";

const OUTCOMES: { value: ServiceOutcome; label: string }[] = [
  { value: "done", label: "Traité" },
  { value: "come_back", label: "À revenir avec des pièces" },
  { value: "redirected", label: "Réorienté" },
];

/** Minutes since `at`, as the agent reads it. */
export function waited(at: string, now: number): string {
  const minutes = Math.max(0, Math.floor((now - Date.parse(at)) / 60000));
  if (minutes < 1) return "moins d'une minute";
  return minutes < 60 ? `${minutes} min` : `${Math.floor(minutes / 60)} h ${String(minutes % 60).padStart(2, "0")}`;
}

const LANGUAGE_NAMES = new Intl.DisplayNames(["fr"], { type: "language" });

/** A language tag as the agent reads it: its French name, and its own name when the visitor screen speaks it. */
function languageWords(tag: string | null): string | null {
  if (!tag || tag === "fr") return null;
  const own = LANGUAGES.find((l) => l.code === tag)?.name;
  let name = tag;
  try {
    name = LANGUAGE_NAMES.of(tag) ?? tag;
  } catch {
    // Not a language tag the browser knows: shown as recorded.
  }
  return own ? `${name} (${own})` : name;
}

/** Ticks every second while mounted: waits and the recall delay move on screen. */
function useNow(): number {
  const [now, setNow] = useState(Date.now());
  useEffect(() => {
    const t = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(t);
  }, []);
  return now;
}

export function CounterDesk({ backend }: { backend: ScreenBackend }) {
  const [view, setView] = useState<CounterView | null>(null);
  const [enrolled, setEnrolled] = useState<boolean | null>(null);
  const [online, setOnline] = useState(true);
  const [error, setError] = useState<string | null>(null);
  const { said, announce } = useAnnouncer();

  const load = () =>
    backend
      .counterQueue()
      .then((v) => { setView(v); setEnrolled(true); })
      .catch((e) => {
        if (e instanceof BackendError && (e.code === "unauthenticated" || e.code === "revoked")) setEnrolled(false);
        else if (e instanceof BackendError && e.code === "forbidden") location.assign("/ecran");
        else setError(errorText(e));
      });
  useEffect(() => { load(); }, []);
  useEffect(() => (enrolled ? backend.watch(load, setOnline) : undefined), [enrolled]);
  useEffect(() => { document.title = view ? `Volant — ${view.counter}` : "Volant — guichet"; }, [view?.counter]);
  useLanding(view?.current ? `ticket:${view.current.code}` : "sans-ticket");

  const act = async (action: CounterAction, done: (code: string) => string) => {
    try {
      const result = await backend.counterAct(action);
      setError(null);
      announce(done(result.ticket.code));
    } catch (e) {
      setError(errorText(e));
    }
    await load();
  };

  if (enrolled === false) return <ScreenEnrolment backend={backend} kind="counter" onEnrolled={load} />;
  if (!view) return <main id="contenu"><h1>Guichet</h1><p>{error ?? "Connexion au serveur de la mairie…"}</p></main>;
  return (
    <div class="shell desk">
      <header class="bar">
        <span class="brand" aria-hidden="true">Volant</span>
        <p class="desk-title">{view.counter} <span class="desk-service">· {view.service.name}</span></p>
        <p class={online ? "sync online" : "sync offline"}>
          <span class="dot" aria-hidden="true" />
          {online ? "En ligne" : "Hors ligne : reconnexion…"}
        </p>
      </header>
      <main id="contenu" class="desk-main">
        <LiveRegion said={said} announce={announce}>
          {error && <p class="error" role="alert">{error}</p>}
          <div class="desk-grid">
            <InHand view={view} act={act} />
            <div class="desk-side">
              <Waiting view={view} act={act} />
              <Adopt act={act} busy={!!view.current} />
              <Absent view={view} act={act} />
            </div>
          </div>
        </LiveRegion>
      </main>
    </div>
  );
}

type Act = (action: CounterAction, done: (code: string) => string) => Promise<void>;

function InHand({ view, act }: { view: CounterView; act: Act }) {
  const now = useNow();
  const t = view.current;
  if (!t) {
    return (
      <section class="in-hand" aria-labelledby="titre-en-cours">
        <h1 id="titre-en-cours">Aucun ticket en cours</h1>
        <button type="button" class="start" disabled={view.waiting.length === 0} onClick={() => act({ type: "call_next" }, (c) => `Ticket ${c} appelé.`)}>
          Appeler le suivant
        </button>
        <p>{view.waiting.length === 0 ? "Personne n'attend." : `${view.waiting.length} en attente.`}</p>
      </section>
    );
  }
  const since = t.last_call_at ? Math.floor((now - Date.parse(t.last_call_at)) / 1000) : view.min_recall_interval_s;
  const wait = Math.max(0, view.min_recall_interval_s - since);
  return (
    <section class="in-hand" aria-labelledby="titre-en-cours">
      <h1 id="titre-en-cours" data-landing>
        <span class="ticket-label">Ticket en cours</span> <span class="desk-code">{t.code}</span>
      </h1>
      <p class="desk-state">
        {t.state === "present" ? "Au guichet" : `Appelé · ${t.calls} appel${t.calls > 1 ? "s" : ""}`} · arrivé à l'accueil il y a {waited(t.issued_at, now)}
        {t.adopted && " · pris en charge ici"}
      </p>
      <Qualification ticket={t} />
      <div class="actions">
        {t.state === "called" && (
          <>
            <button type="button" disabled={wait > 0} onClick={() => act({ type: "recall" }, (c) => `Ticket ${c} rappelé.`)}>
              Rappeler{wait > 0 ? ` (dans ${wait} s)` : ` (${t.calls + 1}e appel)`}
            </button>
            <button type="button" class="primary" onClick={() => act({ type: "arrived" }, (c) => `Ticket ${c} : usager présent.`)}>Usager présent</button>
            <button type="button" class="danger" onClick={() => act({ type: "no_show" }, (c) => `Ticket ${c} : absent.`)}>Absent</button>
          </>
        )}
      </div>
      <fieldset class="finish">
        <legend>Terminé</legend>
        <div class="chips">
          {OUTCOMES.map((o) => (
            <button type="button" key={o.value} class="primary" onClick={() => act({ type: "served", outcome: o.value }, (c) => `Ticket ${c} terminé : ${o.label.toLowerCase()}.`)}>
              {o.label}
            </button>
          ))}
        </div>
      </fieldset>
      <Transfer view={view} act={act} />
    </section>
  );
}

/** What the greeter qualified: démarches and documents, language, profile, accompaniment, note, initials. */
function Qualification({ ticket }: { ticket: QueueTicket }) {
  const q = ticket.qualified;
  if (!q) {
    return <p class="badge">Pas encore reçu de la tablette de l'accueil : demander au visiteur ce qu'il vient faire.</p>;
  }
  const language = languageWords(q.language);
  const profile = PROFILES.find((p) => p.value === q.profile)?.label;
  return (
    <section class="card qualified" aria-labelledby="titre-qualifie">
      <h2 id="titre-qualifie">Ce que l'accueil a déjà noté{q.agent ? ` (agent ${q.agent})` : ""}</h2>
      {q.demarches.map((d) => (
        <article key={d.id}>
          <h3>{d.title}</h3>
          {d.documents.length > 0 && (
            <>
              <h4>Documents à apporter</h4>
              <ul>{d.documents.map((doc) => <li key={doc}>{doc}</li>)}</ul>
            </>
          )}
        </article>
      ))}
      {q.unmet && <p><strong>Demande hors catalogue :</strong> {q.unmet}</p>}
      <ul class="facts">
        {language && <li><strong>Langue :</strong> {language} — penser à l'interprétariat</li>}
        {profile && <li><strong>Profil :</strong> {profile}</li>}
        {q.accompanied !== null && <li>{q.accompanied ? "Accompagné jusqu'ici par l'agent d'accueil" : "Venu seul depuis l'accueil"}</li>}
        {q.note && <li><strong>Note de l'accueil :</strong> {q.note}</li>}
      </ul>
    </section>
  );
}

function Transfer({ view, act }: { view: CounterView; act: Act }) {
  const [to, setTo] = useState("");
  if (view.transfer_to.length === 0) return null;
  return (
    <form class="transfer" aria-labelledby="titre-transfert" onSubmit={(e) => {
      e.preventDefault();
      const name = view.transfer_to.find((s) => s.id === to)?.name ?? to;
      if (to) act({ type: "transfer", service: to }, (c) => `Ticket ${c} transféré à « ${name} », à sa place dans la file.`);
    }}>
      <h2 id="titre-transfert">Transférer à un autre service</h2>
      <Field label="Service">
        <select value={to} onChange={(e) => setTo(e.currentTarget.value)}>
          <option value="">—</option>
          {view.transfer_to.map((s) => <option key={s.id} value={s.id}>{s.name}</option>)}
        </select>
      </Field>
      <button type="submit" disabled={!to}>Transférer</button>
    </form>
  );
}

function Waiting({ view, act }: { view: CounterView; act: Act }) {
  const now = useNow();
  return (
    <section aria-labelledby="titre-attente">
      <h2 id="titre-attente">En attente ({view.waiting.length})</h2>
      {view.waiting.length === 0 ? <p>Personne n'attend.</p> : (
        <ol class="waiting">
          {view.waiting.map((t) => (
            <li key={t.code}>
              <span class="waiting-code">{t.code}</span>
              <span class="waiting-since">depuis {waited(t.issued_at, now)}</span>
              {languageWords(t.qualified?.language ?? null) && <span class="badge">{languageWords(t.qualified?.language ?? null)}</span>}
              {t.qualified?.demarches[0] && <span class="waiting-what">{t.qualified.demarches[0].title}</span>}
              <button type="button" disabled={!!view.current} onClick={() => act({ type: "call", code: t.code }, (c) => `Ticket ${c} appelé.`)} aria-label={`Appeler ${t.code}`}>
                Appeler
              </button>
            </li>
          ))}
        </ol>
      )}
    </section>
  );
}

function Adopt({ act, busy }: { act: Act; busy: boolean }) {
  const [code, setCode] = useState("");
  return (
    <form class="adopt" aria-labelledby="titre-adopter" onSubmit={(e) => {
      e.preventDefault();
      if (code.trim()) act({ type: "adopt", code }, (c) => `Ticket ${c} pris en charge.`).then(() => setCode(""));
    }}>
      <h2 id="titre-adopter">Prendre en charge un ticket</h2>
      <Field label="Code du ticket" hint="celui que montre le visiteur, même si sa tablette d'accueil n'est pas encore synchronisée">
        <input type="text" autoComplete="off" value={code} onInput={(e) => setCode(e.currentTarget.value)} />
      </Field>
      <button type="submit" disabled={busy || !code.trim()}>Prendre en charge ce ticket</button>
    </form>
  );
}

function Absent({ view, act }: { view: CounterView; act: Act }) {
  if (view.absent.length === 0) return null;
  return (
    <section aria-labelledby="titre-absents">
      <h2 id="titre-absents">Absents ({view.absent.length})</h2>
      <ul class="waiting">
        {view.absent.map((t) => (
          <li key={t.code}>
            <span class="waiting-code">{t.code}</span>
            <button type="button" onClick={() => act({ type: "reactivate", code: t.code }, (c) => `Ticket ${c} remis dans la file, à sa place.`)} aria-label={`Remettre ${t.code} dans la file`}>
              Remettre dans la file
            </button>
          </li>
        ))}
      </ul>
    </section>
  );
}
