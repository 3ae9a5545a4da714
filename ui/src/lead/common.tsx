// What the lead's screens share: the notice that what is shown was fetched
// earlier, when the server cannot be reached.
import { dateTime } from "../words";

/** Says that what is shown is the last answer kept, and from when. */
export function Offline({ at }: { at: string | null }) {
  if (!at) return null;
  return (
    <p class="badge offline-note" role="status">
      Hors ligne : données reçues le {dateTime(at)}
    </p>
  );
}
