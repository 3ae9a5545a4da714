// The indicators of a day, a week or a month, charted with Chart.js (each
// chart followed by its figures as a table, for screen readers and print),
// with the CSV export and a printable report.
import { useEffect, useRef, useState } from "preact/hooks";
import { DateField } from "../date";
import {
  BarController, BarElement, CategoryScale, Chart, type ChartConfiguration, Legend, LinearScale, type Scale, Tooltip,
} from "chart.js";
import type { Cached, Count, Indicators, Period, SatisfactionFigures, Step, UnmetGroup } from "../bindings";
import type { Backend } from "../backend";
import { mairieDay } from "../paris";
import { errorText } from "../app";
import { STEP_LABELS, clock, frenchDay } from "../words";
import { Offline } from "./common";
import { useAnnounce } from "../a11y";

Chart.register(BarController, BarElement, CategoryScale, LinearScale, Tooltip, Legend);

type Span = "day" | "week" | "month";

const iso = (d: Date) => d.toISOString().slice(0, 10);

/** The day, its week (Monday to Sunday) or its month. */
export function periodOf(span: Span, day: string): Period {
  const d = new Date(`${day}T12:00:00Z`);
  if (span === "day") return { from: day, to: day };
  if (span === "week") {
    const monday = new Date(d);
    monday.setUTCDate(d.getUTCDate() - ((d.getUTCDay() + 6) % 7));
    const sunday = new Date(monday);
    sunday.setUTCDate(monday.getUTCDate() + 6);
    return { from: iso(monday), to: iso(sunday) };
  }
  const first = new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), 1, 12));
  const last = new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 0, 12));
  return { from: iso(first), to: iso(last) };
}

/** A category axis label cut to 28 characters. */
function shortLabel(this: Scale, value: string | number): string {
  const label = String(this.getLabelForValue(Number(value)));
  return label.length > 28 ? `${label.slice(0, 27)}…` : label;
}

const ACCENT = "#0a5c47";
const SECOND = "#b7791f";

/** A bar chart and its figures; `unit` names the figures when the series' label does not. */
function BarChart(props: { title: string; id: string; axis: string; labels: string[]; series: { label: string; data: number[]; color: string }[]; horizontal?: boolean; unit?: string }) {
  const canvas = useRef<HTMLCanvasElement>(null);
  useEffect(() => {
    if (!canvas.current) return;
    const config: ChartConfiguration<"bar"> = {
      type: "bar",
      data: { labels: props.labels, datasets: props.series.map((s) => ({ label: s.label, data: s.data, backgroundColor: s.color, maxBarThickness: 64 })) },
      options: {
        indexAxis: props.horizontal ? "y" : "x",
        // Numbers in French (0,5) whatever the system's locale.
        locale: "fr-FR",
        animation: false,
        responsive: true,
        maintainAspectRatio: false,
        plugins: { legend: { display: props.series.length > 1 } },
        // Long category names are cut on the axis; the table below the chart has them whole.
        scales: {
          // An axis of numbers keeps Chart.js's own formatter, which writes them in French.
          x: { ticks: { color: "#1c2233", ...(props.horizontal ? {} : { callback: shortLabel }) } },
          y: { ticks: { color: "#1c2233", ...(props.horizontal ? { callback: shortLabel } : {}) }, beginAtZero: true },
        },
      },
    };
    const chart = new Chart(canvas.current, config);
    return () => chart.destroy();
  }, [JSON.stringify(props.labels), JSON.stringify(props.series)]);
  return (
    <figure class="chart" aria-labelledby={`${props.id}-titre`}>
      <figcaption id={`${props.id}-titre`}>{props.title}</figcaption>
      <div class={props.horizontal ? "canvas tall" : "canvas"}>
        <canvas ref={canvas} role="img" aria-label={`${props.title} : graphique, valeurs dans le tableau qui suit`} data-chart={props.id} />
      </div>
      <table class="figures">
        <caption class="visually-hidden">{props.title}</caption>
        <thead><tr><th scope="col">{props.axis}</th>{props.series.map((s) => <th scope="col" key={s.label}>{props.unit ? `${s.label} (${props.unit})` : s.label}</th>)}</tr></thead>
        <tbody>
          {props.labels.map((l, i) => (
            <tr key={l}><th scope="row">{l}</th>{props.series.map((s) => <td key={s.label}>{s.data[i]}</td>)}</tr>
          ))}
        </tbody>
      </table>
    </figure>
  );
}

function countChart(id: string, title: string, axis: string, counts: Count[], horizontal = false) {
  return <BarChart id={id} title={title} axis={axis} horizontal={horizontal} labels={counts.map((c) => c.label)} series={[{ label: "Visites", data: counts.map((c) => c.visits), color: ACCENT }]} />;
}

/** Seconds as minutes with one decimal, for the counters' charts. */
const minutes = (s: number) => Math.round(s / 6) / 10;

/** The counters' side: waits before the call, time at the counter, absences, calls per counter. */
function QueueCharts({ indicators: i }: { indicators: Indicators }) {
  const absent = i.queues.reduce((n, q) => n + q.no_shows, 0);
  const called = i.queues.reduce((n, q) => n + q.served + q.no_shows, 0);
  const quoted = i.queues.reduce((n, q) => n + q.quoted, 0);
  const withinQuote = i.queues.reduce((n, q) => n + q.called_within_quote, 0);
  const share = (within: number, of: number) => Math.round((100 * within) / of);
  const withQuotes = i.queues.filter((q) => q.quoted > 0);
  return (
    <section class="queues" aria-labelledby="titre-guichets">
      <h2 id="titre-guichets">Guichets</h2>
      <ul class="counters">
        <li><strong>{i.queues.reduce((n, q) => n + q.tickets, 0)}</strong> tickets aux guichets</li>
        <li><strong>{called ? Math.round((100 * absent) / called) : 0} %</strong> d'absents à l'appel</li>
        <li>
          {quoted > 0
            ? <><strong>{share(withinQuote, quoted)} %</strong> appelés avant la fin de l'attente annoncée ({withinQuote} sur {quoted})</>
            : "Aucune attente annoncée sur la période"}
        </li>
      </ul>
      <div class="charts">
        <BarChart id="attente" title="Attente avant l'appel (médiane et 90e centile)" axis="Service" unit="minutes" horizontal
          labels={i.queues.map((q) => q.service)}
          series={[
            { label: "Médiane", data: i.queues.map((q) => minutes(q.wait_median_s)), color: ACCENT },
            { label: "90e centile", data: i.queues.map((q) => minutes(q.wait_p90_s)), color: SECOND },
          ]} />
        <BarChart id="service" title="Temps au guichet (médiane et 90e centile)" axis="Service" unit="minutes" horizontal
          labels={i.queues.map((q) => q.service)}
          series={[
            { label: "Médiane", data: i.queues.map((q) => minutes(q.service_median_s)), color: ACCENT },
            { label: "90e centile", data: i.queues.map((q) => minutes(q.service_p90_s)), color: SECOND },
          ]} />
        {withQuotes.length > 0 && (
          <BarChart id="annoncee" title="Appelés avant la fin de l'attente annoncée" axis="Service" unit="%" horizontal
            labels={withQuotes.map((q) => q.service)}
            series={[{ label: "Part des appelés", data: withQuotes.map((q) => share(q.called_within_quote, q.quoted)), color: ACCENT }]} />
        )}
        <BarChart id="appels" title="Appels par guichet (rappels compris)" axis="Guichet" horizontal
          labels={i.calls_per_counter.map((c) => c.label)}
          series={[{ label: "Appels", data: i.calls_per_counter.map((c) => c.visits), color: ACCENT }]} />
        <BarChart id="absents" title="Tickets servis et absents, par service" axis="Service" horizontal
          labels={i.queues.map((q) => q.service)}
          series={[
            { label: "Servis", data: i.queues.map((q) => q.served), color: ACCENT },
            { label: "Absents", data: i.queues.map((q) => q.no_shows), color: SECOND },
          ]} />
      </div>
    </section>
  );
}

/** The visitors' opinions: shares shown from ten answers on, as the server sends them. */
function Satisfaction({ figures: f }: { figures: SatisfactionFigures }) {
  const signed = (n: number) => (n > 0 ? `+${n}` : n < 0 ? `−${-n}` : "0");
  return (
    <section aria-labelledby="titre-avis">
      <h2 id="titre-avis">Avis des visiteurs</h2>
      {f.satisfied_pct === null || f.net === null ? (
        <p>{f.answers} avis sur la période : il en faut au moins 10 pour afficher un chiffre.</p>
      ) : (
        <ul class="counters">
          <li><strong>{f.satisfied_pct} %</strong> satisfaits ({f.answers} avis)</li>
          <li><strong>{signed(f.net)}</strong> satisfaction nette (satisfaits moins mécontents, en points)</li>
          <li>
            <strong>{f.repeated_pct === null ? "—" : `${f.repeated_pct} %`}</strong> ont dû répéter leur situation
            {f.repeated_pct === null && ` (${f.repeat_answers} réponses, trop peu)`}
          </li>
        </ul>
      )}
    </section>
  );
}

export function IndicatorsScreen(props: { backend: Backend; onCreateDemarche: (group: UnmetGroup) => void }) {
  const [span, setSpan] = useState<Span>("day");
  const [day, setDay] = useState(mairieDay());
  const [data, setData] = useState<Cached<Indicators> | null>(null);
  const [error, setError] = useState<string | null>(null);
  const announce = useAnnounce();
  const period = periodOf(span, day);

  useEffect(() => {
    props.backend.teamIndicators(period).then((d) => { setData(d); setError(null); }).catch((e) => { setData(null); setError(errorText(e)); });
  }, [period.from, period.to]);

  const exportCsv = () => props.backend.exportCsv(period).then((where) => announce(where)).catch((e) => setError(errorText(e)));
  const i = data?.value;
  const hour = (h: string | null) => (h ? `${Number(h)} h – ${Number(h) + 1} h` : "—");
  return (
    <section class="indicators" aria-labelledby="titre-indicateurs">
      <h1 id="titre-indicateurs">Indicateurs <span class="period">{period.from === period.to ? `du ${frenchDay(period.from)}` : `du ${frenchDay(period.from)} au ${frenchDay(period.to)}`}</span></h1>
      <div class="filters no-print" role="group" aria-label="Période">
        <fieldset>
          <legend>Période</legend>
          <div class="chips">
            {(["day", "week", "month"] as Span[]).map((s) => (
              <button type="button" key={s} class="chip" aria-pressed={span === s} onClick={() => setSpan(s)}>{{ day: "Jour", week: "Semaine", month: "Mois" }[s]}</button>
            ))}
          </div>
        </fieldset>
        <DateField label="Date" value={day} onChange={setDay} />
        <div class="actions">
          <button type="button" onClick={exportCsv}>Exporter en CSV</button>
          <button type="button" onClick={() => window.print()}>Imprimer le rapport</button>
        </div>
      </div>
      {error && <p class="error" role="alert">{error}</p>}
      {data && <Offline at={data.cached_at} />}
      {i && (
        <>
          <ul class="counters">
            <li><strong>{i.visits}</strong> visites</li>
            <li><strong>{hour(i.busiest_hour)}</strong> heure la plus chargée</li>
            <li><strong>{hour(i.quietest_hour)}</strong> heure la plus calme</li>
            <li><strong>{i.accompany_answered ? Math.round((100 * i.accompanied) / i.accompany_answered) : 0} %</strong> accompagnées</li>
            <li><strong>{i.signed_off.length}</strong> jour{i.signed_off.length > 1 ? "s" : ""} visé{i.signed_off.length > 1 ? "s" : ""}</li>
          </ul>
          {i.aggregated_days > 0 && (
            <p class="notice">{i.aggregated_days} jour(s) au-delà de la durée de conservation, comptés à partir des agrégats : sans durées, accompagnement, besoins non couverts ni tablette.</p>
          )}
          <div class="charts">
            {countChart("arrivees", "Arrivées par heure", "Heure", i.arrivals_per_hour)}
            {countChart("orientations", "Orientations", "Orientation", i.orientations, true)}
            {countChart("demarches", "Démarches les plus demandées", "Démarche", i.top_demarches, true)}
            <BarChart id="etapes" title="Temps par étape (médiane et 90e centile)" axis="Étape" unit="secondes"
              labels={i.step_times.map((s) => STEP_LABELS[s.step as Step] ?? s.step)}
              series={[
                { label: "Médiane", data: i.step_times.map((s) => s.median_s), color: ACCENT },
                { label: "90e centile", data: i.step_times.map((s) => s.p90_s), color: SECOND },
              ]} />
            <BarChart id="tablettes" title="Par tablette" axis="Tablette"
              labels={i.per_tablet.map((t) => `Tablette ${t.tablet}`)}
              series={[
                { label: "Visites", data: i.per_tablet.map((t) => t.visits), color: ACCENT },
                { label: "Tickets", data: i.per_tablet.map((t) => t.tickets), color: SECOND },
              ]} />
          </div>
          {i.queues.length > 0 && <QueueCharts indicators={i} />}
          <p class="hint">Temps par étape en min:s : {i.step_times.map((s) => `${STEP_LABELS[s.step as Step]} ${clock(s.median_s)} (90 % sous ${clock(s.p90_s)})`).join(" · ")}</p>
          <Satisfaction figures={i.satisfaction} />
          <section aria-labelledby="titre-besoins">
            <h2 id="titre-besoins">Besoins non couverts</h2>
            {i.unmet.length === 0 ? <p>Aucun sur la période.</p> : (
              <ul class="unmet">
                {i.unmet.map((g) => (
                  <li key={g.label} class="card">
                    <strong>{g.label}</strong> — {g.visits} visite{g.visits > 1 ? "s" : ""}
                    {g.wordings.length > 1 && <span class="hint">Formulations : {g.wordings.join(" · ")}</span>}
                    <button type="button" class="no-print" onClick={() => props.onCreateDemarche(g)}>Créer une démarche</button>
                  </li>
                ))}
              </ul>
            )}
          </section>
        </>
      )}
    </section>
  );
}
