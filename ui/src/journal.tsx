// This tablet's visits of the day: steps, outcome and sync state per record.
import type { Catalogue, LogEntry } from "./bindings";
import { OUTCOMES as OUTCOME } from "./lead/common";


/** Seconds as `m:ss`, the format of the step clock. */
export function clock(seconds: number): string {
  return `${Math.floor(seconds / 60)}:${String(seconds % 60).padStart(2, "0")}`;
}

function outcomeOf(e: LogEntry): string {
  const v = e.visit;
  if (v.step === "abandoned") return OUTCOME.abandoned;
  if (v.step !== "closed") return OUTCOME.open;
  return OUTCOME[v.orientation?.destination.kind ?? "open"];
}

export function Journal({ log, catalogue }: { log: LogEntry[]; catalogue: Catalogue | null }) {
  const title = (id: string) => catalogue?.demarches.find((d) => d.id === id)?.title ?? id;
  return (
    <section class="journal" aria-labelledby="titre-journal">
      <h1 id="titre-journal">Journal du jour</h1>
      {log.length === 0 ? (
        <p>Aucune visite aujourd'hui sur cette tablette.</p>
      ) : (
        <table>
          <caption class="visually-hidden">Visites du jour, de la plus ancienne à la plus récente</caption>
          <thead>
            <tr>
              <th scope="col">Heure</th>
              <th scope="col">Demande</th>
              <th scope="col">Issue</th>
              <th scope="col">Durées (min:s) : écouter · qualifier · orienter · accompagner</th>
              <th scope="col">Envoi</th>
            </tr>
          </thead>
          <tbody>
            {log.map((e) => {
              const v = e.visit;
              const q = v.qualification;
              const request = q?.kind === "demarches" ? q.ids.map(title).join(", ") : q?.kind === "unmet" ? `Hors catalogue : ${q.description}` : "—";
              const d = e.durations;
              return (
                <tr key={v.id}>
                  <td>{new Date(v.spans[0]?.started_at ?? "").toLocaleTimeString("fr-FR", { hour: "2-digit", minute: "2-digit" })}</td>
                  <td>{request}</td>
                  <td>
                    {outcomeOf(e)}
                    {v.orientation?.ticket ? ` ${v.orientation.ticket.code}` : ""}
                  </td>
                  <td>{[d.listen, d.qualify, d.orient, d.accompany].map(clock).join(" · ")}</td>
                  <td>{e.pending_changes === 0 ? "Synchronisé" : `En attente (${e.pending_changes})`}</td>
                </tr>
              );
            })}
          </tbody>
        </table>
      )}
    </section>
  );
}
