// What the lead's screens share: outcome names and the offline notice.

export const OUTCOMES: Record<string, string> = {
  counter: "Guichet (ticket)",
  permanence: "Permanence",
  partner: "Partenaire extérieur",
  online: "Service en ligne",
  resolved_on_spot: "Résolu sur place",
  abandoned: "Abandon",
  open: "En cours",
};

/** Says that what is shown is the last answer kept, and from when. */
export function Offline({ at }: { at: string | null }) {
  if (!at) return null;
  return (
    <p class="badge offline-note" role="status">
      Hors ligne : données reçues le {new Date(at).toLocaleString("fr-FR", { timeZone: "Europe/Paris" })}
    </p>
  );
}
