// Generated from src-tauri/src/commands.rs (the `commands!` list) by crate::ipc.
// Do not edit: run `UPDATE_BINDINGS=1 cargo test -p volant-app`.
import type { Cached, Catalogue, CatalogueEdit, CounterWaits, DaySummary, DemarcheReplacement, Destination, EditOutcome, Indicators, JournalQuery, LogEntry, Period, QuarantinedRecord, Raster, RecordKind, SearchHit, Settings, SignOff, SyncStatus, TeamJournal, Visit, VisitEvent } from "./bindings";

/** Sends one command; rejects with the command's `{code, message}`. */
export type Call = <T>(command: string, args?: Record<string, unknown>) => Promise<T>;

/** Every command of the shell, typed. */
export const commands = (call: Call) => ({
  catalogue: () => call<Catalogue>("catalogue"),
  search: (words: string, limit: number) => call<Array<SearchHit>>("search", { words, limit }),
  openVisit: () => call<Visit>("open_visit"),
  record: (id: string, action: VisitEvent<Destination>) => call<Visit>("record", { id, action }),
  dayLog: (day: string) => call<Array<LogEntry>>("day_log", { day }),
  daySummary: (day: string) => call<DaySummary>("day_summary", { day }),
  settings: () => call<Settings>("settings"),
  setSettings: (settings: Settings) => call<void>("set_settings", { settings }),
  printSlip: (slip: Raster) => call<void>("print_slip", { slip }),
  syncStatus: () => call<SyncStatus>("sync_status"),
  counterWaits: () => call<CounterWaits | null>("counter_waits"),
  refreshCounterWaits: () => call<CounterWaits | null>("refresh_counter_waits"),
  enroll: (invitation: string) => call<void>("enroll", { invitation }),
  teamJournal: (query: JournalQuery) => call<Cached<TeamJournal>>("team_journal", { query }),
  teamIndicators: (period: Period) => call<Cached<Indicators>>("team_indicators", { period }),
  signOff: (day: string, comment: string) => call<SignOff>("sign_off", { day, comment }),
  exportCsv: (period: Period) => call<string>("export_csv", { period }),
  repairQuarantined: (installId: string, seq: number, replacements: Array<DemarcheReplacement>) => call<QuarantinedRecord>("repair_quarantined", { installId, seq, replacements }),
  editCatalogue: (kind: RecordKind, id: string, edit: CatalogueEdit) => call<EditOutcome>("edit_catalogue", { kind, id, edit }),
});
