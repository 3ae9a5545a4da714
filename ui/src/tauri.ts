// The Backend over Tauri's IPC: each method is one command of the shell
// (src-tauri/src/commands.rs); a rejected command carries `{code, message}`.
import { invoke } from "@tauri-apps/api/core";
import type { Action, Catalogue, ErrorBody, LogEntry, SearchHit, Settings, SyncStatus, Visit, VisitId } from "./bindings";
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
  enroll = (server: string, code: string) => call<void>("enroll", { server, code });
}
