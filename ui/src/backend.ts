// The commands the UI asks of the tablet's core, typed with the generated
// bindings. The Tauri shell implements them over IPC; `fake.ts` implements
// them in memory for browser tests.
import type {
  Action, Cached, Catalogue, CatalogueEdit, CounterAction, DaySummary, DemarcheReplacement, QuarantinedRecord, CounterActionResult, CounterView, CounterWaits, DisplayView, EditOutcome,
  ErrorBody, Indicators, JournalQuery, LogEntry, Period, Raster, RecordKind, ScreenEnrolled, SearchHit, Settings, SignOff,
  SyncStatus, TeamJournal, Visit, VisitId,
} from "./bindings";

export interface Backend {
  catalogue(): Promise<Catalogue>;
  search(words: string, limit: number): Promise<SearchHit[]>;
  openVisit(): Promise<Visit>;
  record(id: VisitId, action: Action): Promise<Visit>;
  dayLog(day: string): Promise<LogEntry[]>;
  /** The day's counts and open visits: what the home screen shows. */
  daySummary(day: string): Promise<DaySummary>;
  settings(): Promise<Settings>;
  setSettings(settings: Settings): Promise<void>;
  /** Prints the visitor's slip on the hall's receipt printer of the settings. */
  printSlip(slip: Raster): Promise<void>;
  /** The expected wait at each internal counter, as last fetched (null: never). */
  counterWaits(): Promise<CounterWaits | null>;
  /** The same, asked of the server again first when it answers. */
  refreshCounterWaits(): Promise<CounterWaits | null>;
  syncStatus(): Promise<SyncStatus>;
  /** Enrols (or, after a certificate change, re-enrols) with the link printed by `device enroll-code`. */
  enroll(invitation: string): Promise<void>;
  // The team lead's screens (lead devices only).
  teamJournal(query: JournalQuery): Promise<Cached<TeamJournal>>;
  teamIndicators(period: Period): Promise<Cached<Indicators>>;
  signOff(day: string, comment: string): Promise<SignOff>;
  /** Saves the period's CSV; answers where, in words. */
  exportCsv(period: Period): Promise<string>;
  editCatalogue(kind: RecordKind, id: string, edit: CatalogueEdit): Promise<EditOutcome>;
  /** Re-applies a quarantined visit on the server, its unknown démarches replaced (lead devices). */
  repairQuarantined(installId: string, seq: number, replacements: DemarcheReplacement[]): Promise<QuarantinedRecord>;
}

/**
 * What the counter desk and the call display ask of the mairie server, from
 * a browser enrolled as a counter or a display (`http.ts`). The tablet's
 * `Backend` has none of it: a screen records no visit, a tablet calls no ticket.
 */
export interface ScreenBackend {
  /** Trades a one-time code for the credential cookie of this browser. */
  /** Trades an invitation's one-time code, with the certificate fingerprint it names, for the credential cookie. */
  enrollScreen(code: string, fingerprint: string | null): Promise<ScreenEnrolled>;
  counterQueue(): Promise<CounterView>;
  counterAct(action: CounterAction): Promise<CounterActionResult>;
  displayCalls(): Promise<DisplayView>;
  /**
   * Calls `changed` on every change the server announces, on every
   * reconnection and every 15 s as a safety net; `link` says whether the
   * server is heard (false within 5 s of silence). Returns how to stop.
   */
  watch(changed: () => void, link: (up: boolean) => void): () => void;
}

/** An error from the backend, as it crosses IPC or HTTP: `{code, message}`. */
export class BackendError extends Error implements ErrorBody {
  constructor(public code: string, message: string, public retryAfterS?: number) {
    super(message);
  }
}
