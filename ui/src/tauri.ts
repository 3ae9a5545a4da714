// The Backend over Tauri's IPC: each method is one command of the shell
// (src-tauri/src/commands.rs); a rejected command carries `{code, message}`.
import { invoke } from "@tauri-apps/api/core";
import type {
  Action, Cached, Catalogue, CatalogueEdit, EditOutcome, ErrorBody, Indicators, JournalQuery, LogEntry, Period,
  RecordKind, SearchHit, Settings, SignOff, SyncStatus, TeamJournal, Visit, VisitId,
} from "./bindings";
import { type Backend, BackendError } from "./backend";

async function call<T>(command: string, args?: Record<string, unknown>): Promise<T> {
  try {
    return await invoke<T>(command, args);
  } catch (e) {
    const body = e as Partial<ErrorBody>;
    throw new BackendError(body.code ?? "ipc", body.message ?? String(e));
  }
}

export function inTauri(): boolean {
  return "__TAURI_INTERNALS__" in window;
}

export class TauriBackend implements Backend {
  catalogue = () => call<Catalogue>("catalogue");
  search = (words: string, limit: number) => call<SearchHit[]>("search", { words, limit });
  openVisit = () => call<Visit>("open_visit");
  record = (id: VisitId, action: Action) => call<Visit>("record", { id, action });
  dayLog = (day: string) => call<LogEntry[]>("day_log", { day });
  settings = () => call<Settings>("settings");
  setSettings = (settings: Settings) => call<void>("set_settings", { settings });
  syncStatus = () => call<SyncStatus>("sync_status");
  enroll = (invitation: string) => call<void>("enroll", { invitation });
  teamJournal = (query: JournalQuery) => call<Cached<TeamJournal>>("team_journal", { query });
  teamIndicators = (period: Period) => call<Cached<Indicators>>("team_indicators", { period });
  signOff = (day: string, comment: string) => call<SignOff>("sign_off", { day, comment });
  exportCsv = (period: Period) =>
    call<string>("export_csv", { period }).then((path) => `Export enregistré : ${path}`);
  editCatalogue = (kind: RecordKind, id: string, edit: CatalogueEdit) =>
    call<EditOutcome>("edit_catalogue", { kind, id, edit });
}
