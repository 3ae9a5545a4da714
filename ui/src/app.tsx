// The greeter's app: home, the visit stepper, the visitor screen, the day's
// journal and the settings. Every screen talks to the core through `Backend`.
import { useEffect, useState } from "preact/hooks";
import type { Catalogue, LogEntry, Settings, SyncStatus, Visit } from "./bindings";
import { type Backend, BackendError, mairieDay } from "./backend";
import { Journal } from "./journal";
import { hhmm } from "./words";
import { CatalogueScreen, type Draft, newDemarche } from "./lead/catalogue";
import { IndicatorsScreen } from "./lead/indicators";
import { TeamScreen } from "./lead/team";
import { SettingsScreen } from "./settings";
import { SyncBadge } from "./sync";
import { VisitScreen } from "./visit";
import { VisitorScreen } from "./visitor";

type Screen = "home" | "visit" | "visitor" | "journal" | "settings" | "team" | "indicators" | "catalogue";

export function errorText(e: unknown): string {
  return e instanceof BackendError || e instanceof Error ? e.message : String(e);
}

export function App({ backend }: { backend: Backend }) {
  const [screen, setScreen] = useState<Screen>("home");
  const [catalogue, setCatalogue] = useState<Catalogue | null>(null);
  const [visit, setVisit] = useState<Visit | null>(null);
  const [log, setLog] = useState<LogEntry[]>([]);
  const [sync, setSync] = useState<SyncStatus | null>(null);
  const [settings, setSettings] = useState<Settings | null>(null);
  const [message, setMessage] = useState<string | null>(null);
  const [draft, setDraft] = useState<Draft | null>(null);

  const refresh = async () => {
    const [l, s, st] = await Promise.all([backend.dayLog(mairieDay()), backend.syncStatus(), backend.settings()]);
    setLog(l);
    setSync(s);
    setSettings(st);
  };

  useEffect(() => {
    backend.catalogue().then(setCatalogue).catch((e) => setMessage(errorText(e)));
    refresh().catch((e) => setMessage(errorText(e)));
  }, []);

  useEffect(() => {
    document.title = `Volant — ${TITLES[screen]}`;
  }, [screen]);

  // The sync status stays current while the tablet sits on any screen.
  useEffect(() => {
    const timer = setInterval(() => backend.syncStatus().then(setSync).catch(() => {}), 5000);
    return () => clearInterval(timer);
  }, []);

  // A message belongs to the screen it was shown on.
  const navigate = (s: Screen) => {
    setMessage(null);
    setScreen(s);
  };

  const start = async () => {
    try {
      setVisit(await backend.openVisit());
      setMessage(null);
      setScreen("visit");
      setSync(await backend.syncStatus());
    } catch (e) {
      setMessage(errorText(e));
    }
  };

  const finished = async (text: string) => {
    setVisit(null);
    setMessage(text);
    setScreen("home");
    await refresh();
  };

  if (screen === "visitor" && visit && catalogue) {
    return <VisitorScreen visit={visit} catalogue={catalogue} onDone={() => setScreen("visit")} />;
  }

  return (
    <div class="shell">
      <header class="bar">
        <span class="brand" aria-hidden="true">Volant</span>
        <nav aria-label="Navigation principale">
          <NavButton current={screen} to="home" label="Accueil" go={navigate} />
          <NavButton current={screen} to="journal" label="Journal du jour" go={(s) => refresh().then(() => navigate(s))} />
          {sync?.lead && (
            <>
              <NavButton current={screen} to="team" label="Équipe" go={navigate} />
              <NavButton current={screen} to="indicators" label="Indicateurs" go={navigate} />
              <NavButton current={screen} to="catalogue" label="Catalogue" go={(s) => { setDraft(null); navigate(s); }} />
            </>
          )}
          <NavButton current={screen} to="settings" label="Réglages" go={navigate} />
        </nav>
        <SyncBadge status={sync} />
      </header>
      <main id="contenu">
        {message && (
          <p class="notice" role="status">
            {message}
          </p>
        )}
        {screen === "home" && <Home log={log} sync={sync} onStart={start} onResume={(v) => { setVisit(v); setScreen("visit"); }} />}
        {screen === "visit" && visit && catalogue && (
          <VisitScreen
            backend={backend}
            catalogue={catalogue}
            settings={settings}
            visit={visit}
            onChange={(v) => { setVisit(v); backend.syncStatus().then(setSync).catch(() => {}); }}
            onShowVisitor={() => setScreen("visitor")}
            onFinished={finished}
          />
        )}
        {screen === "journal" && <Journal log={log} catalogue={catalogue} />}
        {screen === "team" && sync?.lead && <TeamScreen backend={backend} catalogue={catalogue} />}
        {screen === "indicators" && sync?.lead && (
          <IndicatorsScreen backend={backend} onCreateDemarche={(g) => { setDraft(newDemarche(g.label, g.wordings)); navigate("catalogue"); }} />
        )}
        {screen === "catalogue" && sync?.lead && (
          <CatalogueScreen backend={backend} catalogue={catalogue} draft={draft} onSaved={() => backend.catalogue().then(setCatalogue).catch(() => {})} />
        )}
        {screen === "settings" && settings && (
          <SettingsScreen backend={backend} settings={settings} sync={sync} catalogue={catalogue} onSaved={refresh} />
        )}
      </main>
    </div>
  );
}

const TITLES: Record<Screen, string> = {
  home: "accueil",
  visit: "visite en cours",
  visitor: "écran visiteur",
  journal: "journal du jour",
  settings: "réglages",
  team: "journal de l'équipe",
  indicators: "indicateurs",
  catalogue: "catalogue",
};

function NavButton(props: { current: Screen; to: Screen; label: string; go: (s: Screen) => void }) {
  const active = props.current === props.to;
  return (
    <button type="button" class={active ? "nav active" : "nav"} aria-current={active ? "page" : undefined} onClick={() => props.go(props.to)}>
      {props.label}
    </button>
  );
}

function Home(props: { log: LogEntry[]; sync: SyncStatus | null; onStart: () => void; onResume: (v: Visit) => void }) {
  const visits = props.log.length;
  const tickets = props.log.filter((e) => e.visit.orientation?.ticket).length;
  const open = props.log.filter((e) => e.visit.step !== "closed" && e.visit.step !== "abandoned");
  return (
    <section class="home" aria-labelledby="titre-accueil">
      <h1 id="titre-accueil">Bonjour</h1>
      <button type="button" class="start" onClick={props.onStart}>
        Nouvelle visite
      </button>
      <ul class="counters" aria-label="Aujourd'hui">
        <li><strong>{visits}</strong> visites</li>
        <li><strong>{tickets}</strong> tickets</li>
        <li><strong>{open.length}</strong> en cours</li>
      </ul>
      {open.length > 0 && (
        <section aria-labelledby="titre-en-cours">
          <h2 id="titre-en-cours">Visites en cours</h2>
          <ul class="open-visits">
            {open.map((e) => (
              <li key={e.visit.id}>
                <button type="button" class="secondary" onClick={() => props.onResume(e.visit)}>
                  Reprendre la visite de {hhmm(e.visit.spans[0]?.started_at)}
                </button>
              </li>
            ))}
          </ul>
        </section>
      )}
    </section>
  );
}
