// The greeter's app: home, the visit stepper, the visitor screen, the day's
// journal and the settings. Every screen talks to the core through `Backend`.
import { useEffect, useRef, useState } from "preact/hooks";
import type { Catalogue, DaySummary, LogEntry, Settings, SyncStatus, Visit } from "./bindings";
import { type Backend, BackendError } from "./backend";
import { LiveRegion, useAnnouncer, useLanding } from "./a11y";
import { Journal } from "./journal";
import { hhmm, mairieDay } from "./paris";
import type { Draft } from "./lead/catalogue";
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
  // The home screen needs the day's counts only; the whole log is loaded for the journal alone.
  const [summary, setSummary] = useState<DaySummary | null>(null);
  const [log, setLog] = useState<LogEntry[] | null>(null);
  const [sync, setSync] = useState<SyncStatus | null>(null);
  const [settings, setSettings] = useState<Settings | null>(null);
  const { said, announce, clear } = useAnnouncer();
  const [draft, setDraft] = useState<Draft | null>(null);
  // The lead's screens (and their charts) are loaded on a lead's device only.
  const [lead, setLead] = useState<typeof import("./lead/screens") | null>(null);
  useEffect(() => {
    if (sync?.lead && !lead) import("./lead/screens").then(setLead).catch((e) => announce(errorText(e)));
  }, [sync?.lead]);

  const refresh = async () => {
    const [d, s, st] = await Promise.all([backend.daySummary(mairieDay()), backend.syncStatus(), backend.settings()]);
    setSummary(d);
    setSync(s);
    setSettings(st);
  };
  const openJournal = async () => setLog(await backend.dayLog(mairieDay()));

  useEffect(() => {
    backend.catalogue().then(setCatalogue).catch((e) => announce(errorText(e)));
    refresh().catch((e) => announce(errorText(e)));
  }, []);

  useEffect(() => {
    document.title = `Volant — ${TITLES[screen]}`;
  }, [screen]);

  // The sync status stays current while the tablet sits on any screen.
  useEffect(() => {
    const timer = setInterval(() => backend.syncStatus().then(setSync).catch(() => {}), 5000);
    return () => clearInterval(timer);
  }, []);

  // Going on line or off line is said once, when it happens; the badge itself stays quiet.
  const online = useRef<boolean | null>(null);
  useEffect(() => {
    if (!sync?.enrolled) return;
    if (online.current !== null && online.current !== sync.online) {
      announce(sync.online ? "De nouveau en ligne : la synchronisation reprend." : "Hors ligne : les visites restent sur la tablette.", { visible: false });
    }
    online.current = sync.online;
  }, [sync?.online, sync?.enrolled]);

  // Every screen or step change lands focus on the new screen's heading, or on the ticket once issued.
  const leadScreen = screen === "team" || screen === "indicators" || screen === "catalogue";
  useLanding(screen === "visit" || screen === "visitor" ? `${screen}:${visit?.id}:${visit?.step}` : leadScreen ? `${screen}:${lead !== null}` : screen);

  // A message belongs to the screen it was shown on.
  const navigate = (s: Screen) => {
    clear();
    if (s !== "journal") setLog(null);
    setScreen(s);
  };

  const start = async () => {
    try {
      setVisit(await backend.openVisit());
      clear();
      setScreen("visit");
      setSync(await backend.syncStatus());
    } catch (e) {
      announce(errorText(e));
    }
  };

  const finished = async (text: string) => {
    setVisit(null);
    announce(text);
    setScreen("home");
    await refresh();
  };

  // The visitor screen covers the agent's; the agent's stays mounted underneath, live region included.
  const showVisitor = screen === "visitor" && visit && catalogue;
  return (
    <>
      <div class="shell" hidden={!!showVisitor}>
        <header class="bar">
          <a class="skip-link" href="#contenu">Aller au contenu</a>
          <span class="brand" aria-hidden="true">Volant</span>
          <nav aria-label="Navigation principale">
            <NavButton current={screen} to="home" label="Accueil" go={navigate} />
            <NavButton current={screen} to="journal" label="Journal du jour" go={(s) => openJournal().then(() => navigate(s)).catch((e) => announce(errorText(e)))} />
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
        <main id="contenu" tabIndex={-1}>
          <LiveRegion said={said} announce={announce}>
            {screen === "home" && <Home summary={summary} onStart={start} onResume={(v) => { setVisit(v); setScreen("visit"); }} />}
            {(screen === "visit" || screen === "visitor") && visit && catalogue && (
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
            {screen === "journal" && log && <Journal log={log} catalogue={catalogue} />}
            {screen === "team" && sync?.lead && lead && <lead.TeamScreen backend={backend} catalogue={catalogue} />}
            {screen === "indicators" && sync?.lead && lead && (
              <lead.IndicatorsScreen backend={backend} onCreateDemarche={(g) => { setDraft(lead.newDemarche(g.label, g.wordings)); navigate("catalogue"); }} />
            )}
            {screen === "catalogue" && sync?.lead && lead && (
              <lead.CatalogueScreen backend={backend} catalogue={catalogue} draft={draft} onSaved={() => backend.catalogue().then(setCatalogue).catch(() => {})} />
            )}
            {screen === "settings" && settings && (
              <SettingsScreen backend={backend} settings={settings} sync={sync} catalogue={catalogue} onSaved={refresh} />
            )}
          </LiveRegion>
        </main>
      </div>
      {showVisitor && (
        <VisitorScreen
          visit={visit}
          catalogue={catalogue}
          onRecord={(a) => backend.record(visit.id, a).then(setVisit)}
          onPrint={settings?.printer ? (slip) => backend.printSlip(slip) : undefined}
          onDone={() => setScreen("visit")}
        />
      )}
    </>
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

function Home(props: { summary: DaySummary | null; onStart: () => void; onResume: (v: Visit) => void }) {
  const visits = props.summary?.visits ?? 0;
  const tickets = props.summary?.tickets ?? 0;
  const open = props.summary?.open ?? [];
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
            {open.map((v) => (
              <li key={v.id}>
                <button type="button" class="secondary" onClick={() => props.onResume(v)}>
                  Reprendre la visite de {hhmm(v.spans[0]?.started_at)}
                </button>
              </li>
            ))}
          </ul>
        </section>
      )}
    </section>
  );
}
