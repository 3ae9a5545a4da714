// The Backend over Tauri's IPC: each method is one command of the shell,
// through the wrappers generated from src-tauri/src/commands.rs
// (commands.ts); a rejected command carries `{code, message}`.
import { invoke } from "@tauri-apps/api/core";
import type { ErrorBody, Period } from "./bindings";
import { commands } from "./commands";
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

/** The Backend: the generated command wrappers, the CSV export's path said in French. */
export function tauriBackend(): Backend {
  const shell = commands(call);
  return { ...shell, exportCsv: (period: Period) => shell.exportCsv(period).then((path) => `Export enregistré : ${path}`) };
}
