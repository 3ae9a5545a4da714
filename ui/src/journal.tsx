// This tablet's visits of the day: steps, outcome and sync state per record.
import type { Catalogue, LogEntry } from "./bindings";
import { hhmm } from "./paris";
import { OUTCOMES, clock, outcomeOf, requestText, ticketStateWords } from "./words";

export function Journal({ log, catalogue }: { log: LogEntry[]; catalogue: Catalogue | null }) {
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
              const d = e.durations;
              return (
                <tr key={v.id}>
                  <td data-label="Heure">{hhmm(v.spans[0]?.started_at)}</td>
                  <td data-label="Demande">{requestText(v, catalogue)}</td>
                  <td data-label="Issue">
                    {OUTCOMES[outcomeOf(v)]}
                    {v.orientation?.ticket ? ` ${v.orientation.ticket.code}` : ""}
                    {e.ticket_state && <span class="ticket-state"> · {ticketStateWords(e.ticket_state)}</span>}
                  </td>
                  <td data-label="Durées (min:s)">{[d.listen, d.qualify, d.orient, d.accompany].map(clock).join(" · ")}</td>
                  <td data-label="Envoi">{e.pending_changes === 0 ? "Synchronisé" : `En attente (${e.pending_changes})`}</td>
                </tr>
              );
            })}
          </tbody>
        </table>
      )}
    </section>
  );
}
