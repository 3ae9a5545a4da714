// The sync status in plain words, always visible. It is not a live region:
// a change of connection is said once by the app (`App`), not every minute.
import type { SyncStatus } from "./bindings";
import { hhmm } from "./paris";

export function syncWords(status: SyncStatus | null): string {
  if (!status) return "Synchronisation : …";
  if (!status.enrolled) return `Hors ligne (tablette non reliée) · ${status.pending} en attente`;
  const state = status.online ? "En ligne" : "Hors ligne";
  const when = status.last_success_at
    ? ` · dernière synchro ${hhmm(status.last_success_at)}`
    : "";
  return `${state} · ${status.pending} en attente${when}`;
}

export function SyncBadge({ status }: { status: SyncStatus | null }) {
  const online = !!status?.online;
  return (
    <p class={online ? "sync online" : "sync offline"}>
      <span class="dot" aria-hidden="true" />
      {syncWords(status)}
      {status?.clock_suspect && <span> · horloge à vérifier</span>}
    </p>
  );
}
