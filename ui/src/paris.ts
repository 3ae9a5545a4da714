// The mairie's clock, Europe/Paris, on the agent's everyday screens without
// Intl: formatting through Intl makes the webview load ICU's locale and time
// zone data, about 4 MiB more in its process all day long. Paris is UTC+1,
// UTC+2 in summer time, which the EU's rule (in force since 1996) starts on
// the last Sunday of March and ends on the last Sunday of October, at 01:00
// UTC both times. The lead's screens, on the lead's device, keep Intl.

const HOUR = 3_600_000;

/** 01:00 UTC on the last Sunday of `month` (0-based) of `year`, in ms. */
function lastSunday(year: number, month: number): number {
  const last = new Date(Date.UTC(year, month + 1, 0, 1));
  return last.getTime() - last.getUTCDay() * 24 * HOUR;
}

/** The instant as Paris reads it, in the fields of a UTC date. */
function paris(at: Date): Date {
  const year = at.getUTCFullYear();
  const t = at.getTime();
  const summer = t >= lastSunday(year, 2) && t < lastSunday(year, 9);
  return new Date(t + (summer ? 2 : 1) * HOUR);
}

const two = (n: number) => String(n).padStart(2, "0");

/** The mairie day (Paris) of an instant, `YYYY-MM-DD`. */
export function mairieDay(at: Date = new Date()): string {
  const p = paris(at);
  return `${p.getUTCFullYear()}-${two(p.getUTCMonth() + 1)}-${two(p.getUTCDate())}`;
}

/** `HH:MM` in the mairie's time; « — » when there is no instant. */
export function hhmm(at: string | null | undefined): string {
  if (!at) return "—";
  const p = paris(new Date(at));
  return `${two(p.getUTCHours())}:${two(p.getUTCMinutes())}`;
}
