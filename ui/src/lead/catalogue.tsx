// The lead's catalogue: find a démarche or a service, create, edit or archive
// it. The server checks every edit like an import and refuses one made from
// an old version, showing the current one instead.
import { useState } from "preact/hooks";
import { DOCUMENT_WORDINGS, type Catalogue, type Demarche, type DocumentItem, type DocumentKind, type JsonValue, type LifeEvent, type RecordKind, type Service, type Translations, type Weekday, type WeeklySlot } from "../bindings";
import type { Backend } from "../backend";
import { errorText } from "../app";
import { Check, Field, useAnnounce, useLanding } from "../a11y";
import { ServiceOptions } from "./common";

/** Records listed at once; the search narrows them. */
const LISTED = 40;

/** A new démarche, or one prefilled from an unmet need. */
export type Draft = { kind: RecordKind; record: Record<string, unknown>; version: number | null };

const lines = (v: unknown) => (Array.isArray(v) ? v.join("\n") : "");
const split = (v: string) => v.split("\n").map((l) => l.trim()).filter(Boolean);
const DAYS: [Weekday, string][] = [
  ["monday", "lundi"], ["tuesday", "mardi"], ["wednesday", "mercredi"], ["thursday", "jeudi"],
  ["friday", "vendredi"], ["saturday", "samedi"], ["sunday", "dimanche"],
];

/** Weekly slots as lines « mardi 14:00-17:00 »; a line not understood is kept as is for the server to refuse. */
function slotLines(slots: unknown): string {
  return (Array.isArray(slots) ? (slots as WeeklySlot[]) : [])
    .map((s) => `${DAYS.find(([d]) => d === s.weekday)?.[1] ?? s.weekday} ${s.start}-${s.end}`).join("\n");
}

function parseSlots(text: string): WeeklySlot[] {
  return split(text).map((line) => {
    const [day = "", times = ""] = line.split(/\s+/, 2);
    const [start = "", end = ""] = times.split("-");
    const weekday = DAYS.find(([, fr]) => fr === day.toLowerCase())?.[0] ?? (day as Weekday);
    return { weekday, start, end };
  });
}

const slug = (v: string) => v.normalize("NFD").replace(/\p{M}/gu, "").toLowerCase().replace(/[^a-z0-9]+/g, "-").replace(/^-|-$/g, "");

export function newDemarche(title = "", keywords: string[] = []): Draft {
  return { kind: "demarche", version: null, record: { id: "", title, category: "", keywords, service: "", documents: [], appointment: { required: false }, frequency: 2, active: true } };
}

function newService(): Draft {
  return { kind: "service", version: null, record: { id: "", name: "", kind: "partner", address: "", hours: "", active: true } };
}

const FRENCH_ONLY: Translations = { en: null, ar: null, es: null, "zh-Hans": null };

/** The record as saved: each visitor text the form shows gets its four
 * languages, an empty one being left in French on purpose. */
function withTranslations(kind: RecordKind, record: Record<string, unknown>): Record<string, unknown> {
  const fields = kind === "demarche" ? ["title_in"] : record.kind === "counter" || record.kind === "permanence" ? ["name_in", "location_in"] : ["name_in"];
  const out = { ...record };
  if (kind === "service" && !fields.includes("location_in")) delete out.location_in;
  for (const field of fields) out[field] = { ...FRENCH_ONLY, ...(record[field] as Translations | undefined) };
  return out;
}

export function CatalogueScreen(props: { backend: Backend; catalogue: Catalogue | null; draft: Draft | null; onSaved: () => void }) {
  const [draft, setDraft] = useState<Draft | null>(props.draft);
  const [filter, setFilter] = useState("");
  const [refusal, setRefusal] = useState<string | null>(null);
  const announce = useAnnounce();
  const [current, setCurrent] = useState<JsonValue | null>(null);
  const c = props.catalogue;
  if (!c) return <p>Catalogue en cours de chargement…</p>;

  const edit = (kind: RecordKind, r: Demarche | Service) => {
    setDraft({ kind, version: r.version, record: structuredClone(r) as unknown as Record<string, unknown> });
    setRefusal(null);
    setCurrent(null);
  };

  const save = async (record: Record<string, unknown>) => {
    if (!draft) return;
    const id = draft.version === null && !record.id ? slug(String(record.title ?? record.name ?? "")) : String(record.id);
    // An empty optional field is left out; an empty required one is refused by the server.
    const body = Object.fromEntries(Object.entries(withTranslations(draft.kind, { ...record, id })).filter(([, v]) => v !== ""));
    try {
      const outcome = await props.backend.editCatalogue(draft.kind, id, { expected_version: draft.version, record: body as JsonValue });
      if (outcome.outcome === "saved") {
        const saved = outcome.record as Record<string, unknown>;
        setDraft({ kind: draft.kind, version: Number(saved.version), record: saved });
        setRefusal(null);
        announce(`Enregistré (version ${saved.version}). Les tablettes le recevront à leur prochaine synchronisation.`);
        setCurrent(null);
        props.onSaved();
      } else {
        setRefusal(`Non enregistré : ${outcome.message}`);
        setCurrent(outcome.current);
      }
    } catch (e) {
      setRefusal(`Non enregistré : ${errorText(e)}`);
    }
  };

  const words = filter.toLowerCase();
  const demarches = c.demarches.filter((d) => d.title.toLowerCase().includes(words));
  const services = c.services.filter((s) => s.name.toLowerCase().includes(words));
  const shown = (n: number) => (n > LISTED ? `${LISTED} sur ${n} : préciser la recherche` : `${n}`);
  return (
    <section class="catalogue-editor" aria-labelledby="titre-catalogue">
      <h1 id="titre-catalogue">Catalogue</h1>
      {refusal && <p class="error" role="alert">{refusal}</p>}
      {current !== null && draft && (
        <div class="card">
          <p>Version actuelle sur le serveur : {String((current as Record<string, unknown>).title ?? (current as Record<string, unknown>).name)} (version {String((current as Record<string, unknown>).version)}).</p>
          <button type="button" onClick={() => { const r = current as Record<string, unknown>; setDraft({ kind: draft.kind, version: Number(r.version), record: r }); setCurrent(null); setRefusal(null); }}>
            Reprendre à partir de la version actuelle
          </button>
        </div>
      )}
      {draft ? (
        <RecordForm key={`${draft.kind}-${String(draft.record.id)}-${draft.version}`} draft={draft} catalogue={c} onSave={save} onCancel={() => { setDraft(null); setRefusal(null); }} />
      ) : (
        <>
          <div class="actions">
            <button type="button" class="primary" onClick={() => setDraft(newDemarche())}>Nouvelle démarche</button>
            <button type="button" onClick={() => setDraft(newService())}>Nouveau service ou partenaire</button>
          </div>
          <Field label="Chercher dans le catalogue"><input type="search" value={filter} onInput={(e) => setFilter(e.currentTarget.value)} /></Field>
          <h2>Démarches <span class="hint">{shown(demarches.length)}</span></h2>
          <ul class="records">
            {demarches.slice(0, LISTED).map((d) => (
              <li key={d.id}><button type="button" class="secondary" onClick={() => edit("demarche", d)}>{d.title}{d.active ? "" : " (archivée)"}</button></li>
            ))}
          </ul>
          <h2>Services, permanences et partenaires <span class="hint">{shown(services.length)}</span></h2>
          <ul class="records">
            {services.slice(0, LISTED).map((s) => (
              <li key={s.id}><button type="button" class="secondary" onClick={() => edit("service", s)}>{s.name}{s.active ? "" : " (archivé)"}</button></li>
            ))}
          </ul>
        </>
      )}
    </section>
  );
}

type FieldProps = { label: string; name: string; record: Record<string, unknown>; set: (name: string, value: unknown) => void };

function Text({ label, name, record, set, multiline }: FieldProps & { multiline?: boolean }) {
  const value = multiline ? lines(record[name]) : String(record[name] ?? "");
  return (
    <Field label={label} hint={multiline ? "une par ligne" : undefined}>
      {multiline
        ? <textarea value={value} onInput={(e) => set(name, split(e.currentTarget.value))} />
        : <input value={value} onInput={(e) => set(name, e.currentTarget.value)} />}
    </Field>
  );
}

/** The life events a démarche may belong to, as the lead reads them. */
const LIFE_EVENTS: Record<LifeEvent, string> = {
  deces: "Décès d'un proche",
  naissance: "Naissance",
  mariage: "Mariage ou Pacs",
  separation: "Séparation",
  demenagement: "Déménagement",
  perte_vol: "Perte ou vol",
  perte_emploi: "Perte d'emploi",
  handicap: "Handicap",
  grand_age: "Grand âge",
  arrivee_france: "Arrivée en France",
  sans_domicile: "Sans domicile",
};

/** One language of a démarche's `foreign_words`, one word a line. */
function ForeignWordsField({ label, language, record, set }: { label: string; language: "en" | "es"; record: Record<string, unknown>; set: (name: string, value: unknown) => void }) {
  const words = (record.foreign_words ?? {}) as Record<string, string[] | undefined>;
  return (
    <Field label={label} hint="une par ligne">
      <textarea lang={language} value={lines(words[language])} onInput={(e) => set("foreign_words", { ...words, [language]: split(e.currentTarget.value) })} />
    </Field>
  );
}

const VISITOR_LANGUAGES: [keyof Translations, string, "ltr" | "rtl"][] = [
  ["en", "anglais", "ltr"], ["ar", "arabe", "rtl"], ["es", "espagnol", "ltr"], ["zh-Hans", "chinois", "ltr"],
];

/** A visitor text in the four other languages; an empty field leaves it in French. */
function TranslationsField({ label, name, record, set }: FieldProps) {
  const value = { ...FRENCH_ONLY, ...(record[name] as Translations | undefined) };
  return (
    <fieldset class="translations">
      <legend>{label} pour les visiteurs</legend>
      {VISITOR_LANGUAGES.map(([language, words, dir]) => (
        <Field key={language} label={`${label} en ${words}`} hint="vide : montré en français">
          <input lang={language} dir={dir} value={value[language] ?? ""} onInput={(e) => set(name, { ...value, [language]: e.currentTarget.value.trim() ? e.currentTarget.value : null })} />
        </Field>
      ))}
    </fieldset>
  );
}

/** Documents to bring: entries of the vocabulary (worded in five languages),
 * then free text, in French, for what no entry says. */
function DocumentsField({ record, set }: { record: Record<string, unknown>; set: (name: string, value: unknown) => void }) {
  const items = (record.documents ?? []) as DocumentItem[];
  const listed = items.filter((i): i is { ref: DocumentKind } => typeof i !== "string").map((i) => i.ref);
  const free = items.filter((i): i is string => typeof i === "string");
  const put = (refs: DocumentKind[], texts: string[]) => set("documents", [...refs.map((ref) => ({ ref })), ...texts]);
  return (
    <fieldset class="documents">
      <legend>Pièces à apporter</legend>
      <p class="hint">Les pièces de la liste sont traduites pour les visiteurs.</p>
      {(Object.keys(DOCUMENT_WORDINGS) as DocumentKind[]).map((kind) => (
        <Check key={kind} label={DOCUMENT_WORDINGS[kind].fr} checked={listed.includes(kind)} onChange={(on) => put(on ? [...listed, kind] : listed.filter((k) => k !== kind), free)} />
      ))}
      <Field label="Autres pièces" hint="une par ligne, en français : montrées en français aux visiteurs">
        <textarea value={free.join("\n")} onInput={(e) => put(listed, split(e.currentTarget.value))} />
      </Field>
    </fieldset>
  );
}

function RecordForm(props: { draft: Draft; catalogue: Catalogue; onSave: (r: Record<string, unknown>) => void; onCancel: () => void }) {
  const [record, setRecord] = useState<Record<string, unknown>>(props.draft.record);
  const set = (name: string, value: unknown) => setRecord({ ...record, [name]: value });
  const f = { record, set };
  const isNew = props.draft.version === null;
  const demarche = props.draft.kind === "demarche";
  const appointment = (record.appointment ?? { required: false }) as { required: boolean; booking?: string };
  // Opening a record is a change of screen: focus goes to the form's heading.
  useLanding(`${props.draft.kind}-${String(props.draft.record.id)}-${props.draft.version}`, { onMount: true });
  return (
    <form class="card record-form" onSubmit={(e) => { e.preventDefault(); props.onSave(record); }}>
      <h2 data-landing>{isNew ? (demarche ? "Nouvelle démarche" : "Nouveau service") : `Modifier (version ${props.draft.version})`}</h2>
      {isNew && <Field label="Identifiant" hint="laisser vide pour le former à partir du titre"><input value={String(record.id ?? "")} onInput={(e) => set("id", e.currentTarget.value)} /></Field>}
      {demarche ? (
        <>
          <Text label="Titre" name="title" {...f} />
          <TranslationsField label="Titre" name="title_in" {...f} />
          <Text label="Catégorie" name="category" {...f} />
          <Field label="Service qui la traite">
            <select value={String(record.service ?? "")} onChange={(e) => set("service", e.currentTarget.value)}>
              <option value="">—</option>
              <ServiceOptions services={props.catalogue.services.filter((s) => s.active)} />
            </select>
          </Field>
          <Text label="Mots des visiteurs" name="keywords" multiline {...f} />
          <ForeignWordsField label="Les mêmes en anglais" language="en" {...f} />
          <ForeignWordsField label="Les mêmes en espagnol" language="es" {...f} />
          <Text label="Situations, comme les visiteurs les racontent" name="situations" multiline {...f} />
          <fieldset class="life-events">
            <legend>Événements de vie</legend>
            {(Object.keys(LIFE_EVENTS) as LifeEvent[]).map((event) => {
              const events = (record.life_events ?? []) as LifeEvent[];
              return <Check key={event} label={LIFE_EVENTS[event]} checked={events.includes(event)} onChange={(on) => set("life_events", on ? [...events, event] : events.filter((e) => e !== event))} />;
            })}
          </fieldset>
          <DocumentsField {...f} />
          <Check label="Sur rendez-vous" checked={appointment.required} onChange={(required) => set("appointment", { ...appointment, required })} />
          <Field label="Fréquence" hint="1 rare – 5 très fréquente">
            <select value={String(record.frequency ?? 2)} onChange={(e) => set("frequency", Number(e.currentTarget.value))}>
              {[1, 2, 3, 4, 5].map((n) => <option key={n} value={n}>{n}</option>)}
            </select>
          </Field>
        </>
      ) : (
        <>
          <Text label="Nom" name="name" {...f} />
          <TranslationsField label="Nom" name="name_in" {...f} />
          <Field label="Type">
            <select value={String(record.kind)} onChange={(e) => set("kind", e.currentTarget.value)}>
              <option value="counter">Guichet de la mairie</option>
              <option value="permanence">Permanence</option>
              <option value="partner">Partenaire extérieur</option>
              <option value="online">Service en ligne</option>
            </select>
          </Field>
          {record.kind === "counter" && <><Text label="Lieu" name="location" {...f} /><TranslationsField label="Lieu" name="location_in" {...f} /><Text label="Horaires" name="hours" {...f} /><Text label="Lettre des tickets" name="ticket_letter" {...f} /></>}
          {record.kind === "permanence" && (
            <>
              <Text label="Partenaire" name="partner" {...f} />
              <Text label="Lieu" name="location" {...f} />
              <TranslationsField label="Lieu" name="location_in" {...f} />
              <Field label="Créneaux" hint="un par ligne, par exemple « mardi 14:00-17:00 »">
                <textarea defaultValue={slotLines(record.slots)} onInput={(e) => set("slots", parseSlots(e.currentTarget.value))} />
              </Field>
              <Text label="Comment obtenir une place" name="booking" {...f} />
            </>
          )}
          {record.kind === "partner" && <><Text label="Adresse" name="address" {...f} /><Text label="Horaires" name="hours" {...f} /><Text label="Téléphone du service" name="phone" {...f} /><Text label="Site" name="website" {...f} /></>}
          {record.kind === "online" && <Text label="Adresse (https)" name="url" {...f} />}
        </>
      )}
      <Check label="Archivé" hint="Gardé pour le journal, plus proposé aux tablettes." checked={record.active === false} onChange={(archived) => set("active", !archived)} />
      <div class="actions">
        <button type="submit" class="primary">Enregistrer</button>
        <button type="button" onClick={props.onCancel}>Retour à la liste</button>
      </div>
    </form>
  );
}
