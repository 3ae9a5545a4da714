// What the lead's screens share: the notice that what is shown was fetched
// earlier, when the server cannot be reached, and the catalogue's records as
// grouped options (démarches by category, services by kind).
import type { Demarche, Service } from "../bindings";
import { dateTime } from "../words";

/** Says that what is shown is the last answer kept, and from when. */
export function Offline({ at }: { at: string | null }) {
  if (!at) return null;
  return (
    <p class="badge offline-note">
      Hors ligne : données reçues le {dateTime(at)}
    </p>
  );
}

function groups<T>(items: T[], key: (t: T) => string): [string, T[]][] {
  const by = new Map<string, T[]>();
  for (const t of items) by.set(key(t), [...(by.get(key(t)) ?? []), t]);
  return [...by.entries()].sort(([a], [b]) => a.localeCompare(b, "fr"));
}

const KINDS: Record<string, string> = { counter: "Guichets de la mairie", permanence: "Permanences", partner: "Partenaires extérieurs", online: "Services en ligne" };

export function DemarcheOptions({ demarches }: { demarches: Demarche[] }) {
  return (
    <>
      {groups(demarches, (d) => d.category).map(([category, list]) => (
        <optgroup key={category} label={category}>
          {list.map((d) => <option key={d.id} value={d.id}>{d.title}</option>)}
        </optgroup>
      ))}
    </>
  );
}

export function ServiceOptions({ services }: { services: Service[] }) {
  return (
    <>
      {groups(services, (s) => KINDS[s.kind] ?? s.kind).map(([kind, list]) => (
        <optgroup key={kind} label={kind}>
          {list.map((s) => <option key={s.id} value={s.id}>{s.name}</option>)}
        </optgroup>
      ))}
    </>
  );
}
