// Generated from the Rust types by volant_core::bindings (feature `ts`).
// Do not edit: run `UPDATE_BINDINGS=1 cargo test -p volant-tests --test e2e bindings`.

export type DemarcheId = string;
export type ServiceId = string;
export type VisitId = string;
export type TabletLetter = string;
export type AgentInitials = string;
export type Language = string;
export type HourMinute = string;
export type Weekday = "monday" | "tuesday" | "wednesday" | "thursday" | "friday" | "saturday" | "sunday";
export type WeeklySlot = { 
/**
 * Day of the week.
 */
weekday: Weekday, 
/**
 * Start time.
 */
start: HourMinute, 
/**
 * End time.
 */
end: HourMinute, };
export type OfficialSheet = { 
/**
 * Sheet id, e.g. `F1427`.
 */
id: string, 
/**
 * Link to the official page.
 */
url: string, };
export type OnlineLink = { 
/**
 * What the visitor will find there.
 */
title: string, 
/**
 * The address (https).
 */
url: string, };
export type Appointment = { 
/**
 * An appointment is required.
 */
required: boolean, 
/**
 * Where to book (a link or a place).
 */
booking?: string | null, };
export type ForeignWords = { 
/**
 * In English.
 */
en?: Array<string>, 
/**
 * In Spanish.
 */
es?: Array<string>, };
export type LifeEvent = "deces" | "naissance" | "mariage" | "separation" | "demenagement" | "perte_vol" | "perte_emploi" | "handicap" | "grand_age" | "arrivee_france" | "sans_domicile";
export type Demarche = { 
/**
 * Stable identifier.
 */
id: DemarcheId, 
/**
 * Agent-facing title, in French.
 */
title: string, 
/**
 * Category (e.g. « État civil »).
 */
category: string, 
/**
 * The official Service-Public sheet, where one exists.
 */
official?: OfficialSheet | null, 
/**
 * Words visitors actually use: synonyms, abbreviations, colloquial phrasings.
 */
keywords: Array<string>, 
/**
 * The same in the other languages visitors speak in the hall.
 */
foreign_words?: ForeignWords, 
/**
 * Short first-person life situations that lead here, as a visitor tells
 * them (« mon mari est décédé », « je n'ai plus de logement »).
 */
situations?: Array<string>, 
/**
 * The life events it belongs to.
 */
life_events?: Array<LifeEvent>, 
/**
 * The service that handles it.
 */
service: ServiceId, 
/**
 * Other places that can help (a permanence, a partner).
 */
other_services?: Array<ServiceId>, 
/**
 * Documents to bring.
 */
documents: Array<string>, 
/**
 * Online alternatives.
 */
online: Array<OnlineLink>, 
/**
 * Whether an appointment is needed, and where to book.
 */
appointment: Appointment, 
/**
 * Short notes for the agent.
 */
notes?: string | null, 
/**
 * How often visitors come for it, from 1 (rare) to 5 (every hour): a
 * ranking prior for search and the weights of demo visits.
 */
frequency: number, 
/**
 * Archived démarches stay in the catalogue but are not proposed.
 */
active: boolean, 
/**
 * Version of this record (the server increments it on every write).
 */
version: number, };
export type ServiceKind = { "kind": "counter", 
/**
 * Where in the building.
 */
location: string, 
/**
 * Opening hours, as shown to visitors.
 */
hours: string, 
/**
 * The service letter of its tickets.
 */
ticket_letter: string, } | { "kind": "permanence", 
/**
 * The partner holding it.
 */
partner: string, 
/**
 * Where in the building.
 */
location: string, 
/**
 * Weekly slots.
 */
slots: Array<WeeklySlot>, 
/**
 * How to get a place (on the spot, by phone…).
 */
booking?: string | null, } | { "kind": "partner", 
/**
 * Street address.
 */
address: string, 
/**
 * Opening hours.
 */
hours: string, 
/**
 * Phone number of the service (an office, never a person).
 */
phone?: string | null, 
/**
 * Website.
 */
website?: string | null, } | { "kind": "online", 
/**
 * The address.
 */
url: string, };
export type Service = { 
/**
 * Stable identifier.
 */
id: ServiceId, 
/**
 * Name, in French.
 */
name: string, 
/**
 * Archived services are kept for the log but not proposed.
 */
active: boolean, 
/**
 * Version of this record.
 */
version: number, } & ({ "kind": "counter", 
/**
 * Where in the building.
 */
location: string, 
/**
 * Opening hours, as shown to visitors.
 */
hours: string, 
/**
 * The service letter of its tickets.
 */
ticket_letter: string, } | { "kind": "permanence", 
/**
 * The partner holding it.
 */
partner: string, 
/**
 * Where in the building.
 */
location: string, 
/**
 * Weekly slots.
 */
slots: Array<WeeklySlot>, 
/**
 * How to get a place (on the spot, by phone…).
 */
booking?: string | null, } | { "kind": "partner", 
/**
 * Street address.
 */
address: string, 
/**
 * Opening hours.
 */
hours: string, 
/**
 * Phone number of the service (an office, never a person).
 */
phone?: string | null, 
/**
 * Website.
 */
website?: string | null, } | { "kind": "online", 
/**
 * The address.
 */
url: string, });
export type CatalogueMeta = { 
/**
 * Whose catalogue this is.
 */
mairie: string, 
/**
 * Edition of the catalogue (e.g. `2026-11-28`).
 */
edition: string, 
/**
 * Credits of the data sources, shown in the about screen.
 */
credits: Array<string>, };
export type Catalogue = { 
/**
 * Facts about it.
 */
meta: CatalogueMeta, 
/**
 * Every service.
 */
services: Array<Service>, 
/**
 * Every démarche.
 */
demarches: Array<Demarche>, };
export type Step = "listen" | "qualify" | "orient" | "accompany" | "closed" | "abandoned";
export type StepSpan = { 
/**
 * The step.
 */
step: Step, 
/**
 * When it started (tablet clock).
 */
started_at: string, 
/**
 * When it ended, once it has.
 */
ended_at: string | null, };
export type VisitorProfile = "citizen" | "consumer_novice" | "consumer_expert" | "beneficiary_fragile" | "beneficiary_expert" | "inhabitant" | "curious" | "practitioner";
export type Listening = { 
/**
 * The visitor's profile, if the agent chose one.
 */
profile: VisitorProfile | null, 
/**
 * The visitor's language.
 */
language: Language | null, 
/**
 * A short factual note; readable by the visitor (right of access).
 */
note: string | null, };
export type Qualification = { "kind": "demarches", 
/**
 * The démarches, first the main one.
 */
ids: Array<DemarcheId>, } | { "kind": "unmet", 
/**
 * The request in a few words.
 */
description: string, };
export type Destination = { "kind": "counter", 
/**
 * The counter.
 */
service: ServiceId, } | { "kind": "permanence", 
/**
 * The permanence.
 */
service: ServiceId, 
/**
 * The slot proposed (mairie local time), if any.
 */
slot: string | null, } | { "kind": "partner", 
/**
 * The partner.
 */
service: ServiceId, } | { "kind": "online", 
/**
 * What it is.
 */
title: string, 
/**
 * The link.
 */
url: string, } | { "kind": "resolved_on_spot" };
export type TicketCode = string;
export type Ticket = { 
/**
 * The code shown to the visitor and called at the counter.
 */
code: TicketCode, 
/**
 * The counter.
 */
service: ServiceId, 
/**
 * The mairie day it is valid for.
 */
day: string, 
/**
 * The tablet's counter for this service and day.
 */
number: number, 
/**
 * When it was issued (tablet clock).
 */
issued_at: string, 
/**
 * The expected wait the orient step showed when it was issued, when the
 * tablet had a figure for its counter (visit payload version 3).
 */
quoted_wait?: WaitMinutes, };
export type Orientation = { 
/**
 * Where the visitor was sent.
 */
destination: Destination, 
/**
 * The queue ticket, for an internal counter.
 */
ticket: Ticket | null, };
export type Accompaniment = { 
/**
 * The agent walked the visitor to the counter, helped fill a form…
 */
accompanied: boolean, };
export type Satisfaction = "very_dissatisfied" | "dissatisfied" | "satisfied" | "very_satisfied";
export type Opinion = { 
/**
 * The face tapped.
 */
satisfaction: Satisfaction, 
/**
 * Whether the visitor had to repeat their situation, once answered.
 */
repeated_situation: boolean | null, 
/**
 * When the face was tapped (tablet clock).
 */
given_at: string, };
export type Visit = { 
/**
 * UUIDv7 made on the tablet.
 */
id: VisitId, 
/**
 * The tablet that recorded it.
 */
tablet: TabletLetter, 
/**
 * The agent's initials, if set.
 */
agent: AgentInitials | null, 
/**
 * The mairie day the visit started.
 */
day: string, 
/**
 * Current step.
 */
step: Step, 
/**
 * Every stay in every step, in order.
 */
spans: Array<StepSpan>, 
/**
 * Listen step data.
 */
listening: Listening, 
/**
 * Qualify step data.
 */
qualification: Qualification | null, 
/**
 * Orient step data.
 */
orientation: Orientation | null, 
/**
 * Tickets issued then replaced when the agent went back and re-oriented.
 */
replaced_tickets?: Array<Ticket>, 
/**
 * Accompany step data.
 */
accompaniment: Accompaniment | null, 
/**
 * The step at which the visit was abandoned.
 */
abandoned_at: Step | null, 
/**
 * The visitor's opinion, once given.
 */
opinion?: Opinion, 
/**
 * Number of changes applied so far (0 when opened).
 */
revision: number, };
export type StepDurations = { 
/**
 * Écouter.
 */
listen: number, 
/**
 * Qualifier.
 */
qualify: number, 
/**
 * Orienter.
 */
orient: number, 
/**
 * Accompagner.
 */
accompany: number, };
export type VisitEvent<O = Orientation> = { "type": "listened", "data": Listening } | { "type": "qualified", "data": Qualification } | { "type": "oriented", "data": O } | { "type": "accompanied", "data": Accompaniment } | { "type": "back" } | { "type": "abandon" } | { "type": "rated", "data": Satisfaction } | { "type": "answered_repeat", "data": boolean };
export type Action = VisitEvent<Destination>;
export type SearchHit = { 
/**
 * Démarche id.
 */
id: string, 
/**
 * Its title.
 */
title: string, 
/**
 * Its category.
 */
category: string, 
/**
 * Id of the service that handles it.
 */
service_id: string, 
/**
 * Name of that service.
 */
service: string, 
/**
 * The visitor words attached to it.
 */
keywords: Array<string>, 
/**
 * BM25 score (lower is better).
 */
score: number, };
export type PrinterAddress = string;
export type Settings = { 
/**
 * The tablet's letter, part of its ticket codes. Unique in the mairie.
 */
tablet: TabletLetter, 
/**
 * Initials of the agent holding it.
 */
agent: AgentInitials | null, 
/**
 * Whether the listen step offers a short note (off by default: RGPD).
 */
notes_enabled: boolean, 
/**
 * The hall's receipt printer, if the visitor's slip can be printed.
 */
printer: PrinterAddress | null, };
export type Raster = { 
/**
 * Bytes per row.
 */
width_bytes: number, 
/**
 * Rows.
 */
height: number, 
/**
 * The rows, one after the other.
 */
dots: Array<number>, };
export type TicketStatus = { 
/**
 * The code.
 */
code: string, 
/**
 * Where it stands.
 */
state: TicketState, 
/**
 * The counter that called it.
 */
counter: string | null, };
export type LogEntry = { 
/**
 * The visit.
 */
visit: Visit, 
/**
 * Seconds per step.
 */
durations: StepDurations, 
/**
 * Changes of this visit not yet acknowledged by the server.
 */
pending_changes: number, 
/**
 * What the counters did with its ticket, as the server said at the last sync.
 */
ticket_state: TicketStatus | null, };
export type DaySummary = { 
/**
 * Visits of the day on this tablet.
 */
visits: number, 
/**
 * Of which with a ticket.
 */
tickets: number, 
/**
 * Those neither closed nor abandoned, oldest first.
 */
open: Array<Visit>, };
export type WaitMinutes = { 
/**
 * The earliest.
 */
optimistic: number, 
/**
 * The latest.
 */
pessimistic: number, };
export type ServiceWait = { 
/**
 * The service's catalogue id.
 */
service: string, 
/**
 * Tickets waiting in its queue.
 */
waiting: number, 
/**
 * Its counters open now (heard from within the last minute).
 */
open_counters: number, 
/**
 * Tickets it served today, whose times the range comes from.
 */
served_today: number, 
/**
 * The expected wait; absent: « inconnu » (no counter open, or too few
 * tickets served today).
 */
range: WaitMinutes | null, 
/**
 * The range's pessimistic end passes the counter's closing time.
 */
past_closing: boolean, };
export type WaitBoard = { 
/**
 * One per active internal counter service of the catalogue.
 */
services: Array<ServiceWait>, 
/**
 * When the server computed it.
 */
computed_at: string, };
export type CounterWaits = { 
/**
 * When this tablet fetched it, by its own clock (the age shown).
 */
fetched_at: string, 
/**
 * What the server said.
 */
board: WaitBoard, };
export type ImportSummary = { 
/**
 * Services imported.
 */
services: number, 
/**
 * Démarches imported.
 */
demarches: number, };
export type SyncStatus = { 
/**
 * Enrolled with a server.
 */
enrolled: boolean, 
/**
 * The last attempt reached the server.
 */
online: boolean, 
/**
 * Changes waiting for the server.
 */
pending: number, 
/**
 * Last complete sync.
 */
last_success_at: string | null, 
/**
 * Last error, in plain French.
 */
last_error: string | null, 
/**
 * Records the server quarantined.
 */
quarantined: number, 
/**
 * Last measured clock offset, in ms.
 */
clock_offset_ms: number | null, 
/**
 * The tablet's clock looks wrong (more than 5 minutes off).
 */
clock_suspect: boolean, 
/**
 * Enrolled as the team lead's device: the lead's screens are shown.
 */
lead: boolean, };
export type ErrorBody = { 
/**
 * See [`Error::code`].
 */
code: string, 
/**
 * For the agent, in French.
 */
message: string, };
export type JsonValue = number | string | boolean | Array<JsonValue> | { [key in string]: JsonValue } | null;
export type Cached<T> = { 
/**
 * The answer.
 */
value: T, 
/**
 * When it was fetched, if the server could not be reached and this is
 * the last answer kept; `None` when it is fresh.
 */
cached_at: string | null, };
export type JournalQuery = { 
/**
 * The mairie day.
 */
day: string, 
/**
 * Only this tablet letter.
 */
tablet?: string | null, 
/**
 * Only this agent's initials.
 */
agent?: string | null, 
/**
 * Only visits sent to this service.
 */
service?: string | null, 
/**
 * Only this outcome (`counter`, `permanence`, `partner`, `online`,
 * `resolved_on_spot`, `abandoned`, `open`).
 */
outcome?: string | null, 
/**
 * Only visits about this démarche.
 */
demarche?: string | null, 
/**
 * Only unmet needs.
 */
unmet_only: boolean, 
/**
 * Page number, from 0.
 */
page: number, };
export type QuarantinedRecord = { 
/**
 * Device name.
 */
device: string, 
/**
 * The entity it was about.
 */
entity_id: string, 
/**
 * Tablet clock when it was made.
 */
device_time: string, 
/**
 * Why.
 */
reason: string, 
/**
 * Where it sits in the inbox: its tablet's install…
 */
install_id: string, 
/**
 * …and its position there (with the install, what a repair names).
 */
seq: number, 
/**
 * The démarches it names that the catalogue does not have (now): what a
 * repair maps to current ones.
 */
unknown_demarches: Array<string>, 
/**
 * Its repair by the lead, once made: the visit is then stored.
 */
repair: QuarantineRepair | null, };
export type QuarantineRepair = { 
/**
 * The lead device's name.
 */
by: string, 
/**
 * Server clock.
 */
at: string, 
/**
 * What changed.
 */
replacements: Array<DemarcheReplacement>, };
export type DemarcheReplacement = { 
/**
 * The id the visit names.
 */
from: string, 
/**
 * A démarche of the current catalogue.
 */
to: string, };
export type SignOff = { 
/**
 * The day.
 */
day: string, 
/**
 * The lead's comment.
 */
comment: string, 
/**
 * Name of the lead device.
 */
signed_by: string, 
/**
 * When (server clock).
 */
signed_at: string, };
export type TeamVisit = { 
/**
 * The visit.
 */
visit: Visit, 
/**
 * Seconds per step (an open step counts up to its start).
 */
durations: StepDurations, 
/**
 * Name of the device that recorded it.
 */
device: string, 
/**
 * The tablet's clock was more than 5 minutes off.
 */
clock_suspect: boolean, 
/**
 * Why the server quarantined a later change, if it did.
 */
quarantined: string | null, };
export type TeamJournal = { 
/**
 * The day.
 */
day: string, 
/**
 * Visits matching the filters, all pages.
 */
total: number, 
/**
 * This page, from 0.
 */
page: number, 
/**
 * Visits per page.
 */
page_size: number, 
/**
 * The visits of the page, by arrival.
 */
visits: Array<TeamVisit>, 
/**
 * Changes of that day the server quarantined.
 */
quarantined: Array<QuarantinedRecord>, 
/**
 * The day's sign-off.
 */
signoff: SignOff | null, 
/**
 * Past the retention period: only aggregates remain.
 */
purged: boolean, };
export type Period = { 
/**
 * First day.
 */
from: string, 
/**
 * Last day, included.
 */
to: string, };
export type Count = { 
/**
 * The value: an hour (`"09"`), a démarche id, an outcome, a tablet letter…
 */
key: string, 
/**
 * What people read for it, in French.
 */
label: string, 
/**
 * Visits.
 */
visits: number, };
export type StepTime = { 
/**
 * `listen`, `qualify`, `orient` or `accompany`.
 */
step: string, 
/**
 * Median seconds, over the visits that went through the step.
 */
median_s: number, 
/**
 * 90th percentile, in seconds.
 */
p90_s: number, 
/**
 * Visits measured.
 */
visits: number, };
export type UnmetGroup = { 
/**
 * The most frequent wording.
 */
label: string, 
/**
 * Visits.
 */
visits: number, 
/**
 * Every distinct wording of the group, most frequent first.
 */
wordings: Array<string>, };
export type TabletCount = { 
/**
 * Tablet letter.
 */
tablet: string, 
/**
 * Visits.
 */
visits: number, 
/**
 * Tickets issued.
 */
tickets: number, 
/**
 * Unmet needs.
 */
unmet: number, 
/**
 * Visits abandoned.
 */
abandoned: number, };
export type QueueTime = { 
/**
 * The service's name.
 */
service: string, 
/**
 * Tickets that entered its queue.
 */
tickets: number, 
/**
 * Served at a counter.
 */
served: number, 
/**
 * Called and absent.
 */
no_shows: number, 
/**
 * Median wait, issue to first call, in seconds (0 without calls).
 */
wait_median_s: number, 
/**
 * 90th percentile of the wait.
 */
wait_p90_s: number, 
/**
 * Median time at the counter, in seconds (0 without services).
 */
service_median_s: number, 
/**
 * 90th percentile of the time at the counter.
 */
service_p90_s: number, 
/**
 * Called tickets that were issued with a quoted wait.
 */
quoted: number, 
/**
 * Of which called before the quoted range's upper end.
 */
called_within_quote: number, };
export type SatisfactionFigures = { 
/**
 * Visitors who tapped a face.
 */
answers: number, 
/**
 * Share of them satisfied or very satisfied, in percent.
 */
satisfied_pct: number | null, 
/**
 * Satisfied minus dissatisfied, in points of percent (−100 to 100).
 */
net: number | null, 
/**
 * Visitors who answered « Avez-vous dû répéter votre situation ? ».
 */
repeat_answers: number, 
/**
 * Share of them who said yes, in percent.
 */
repeated_pct: number | null, };
export type Indicators = { 
/**
 * The period.
 */
period: Period, 
/**
 * Visits.
 */
visits: number, 
/**
 * Arrivals per hour of the day (mairie time), every hour with a visit.
 */
arrivals_per_hour: Array<Count>, 
/**
 * The busiest hour, e.g. `"10"`.
 */
busiest_hour: string | null, 
/**
 * The quietest hour with any visit.
 */
quietest_hour: string | null, 
/**
 * Main démarche of the visits, most frequent first (at most 10).
 */
top_demarches: Array<Count>, 
/**
 * Where visitors were sent, abandoned and open visits included.
 */
orientations: Array<Count>, 
/**
 * Median and 90th percentile per step.
 */
step_times: Array<StepTime>, 
/**
 * Visits accompanied.
 */
accompanied: number, 
/**
 * Visits that reached the end of the accompany step.
 */
accompany_answered: number, 
/**
 * Unmet needs, by similar wording.
 */
unmet: Array<UnmetGroup>, 
/**
 * Per tablet.
 */
per_tablet: Array<TabletCount>, 
/**
 * Days of the period with their detailed visits.
 */
detailed_days: number, 
/**
 * Days past the retention period, counted from their aggregates only
 * (no step times, accompaniment, unmet wording or tablet for them).
 */
aggregated_days: number, 
/**
 * Days of the period signed off.
 */
signed_off: Array<string>, 
/**
 * The counters' queues, per service (days still detailed only).
 */
queues: Array<QueueTime>, 
/**
 * Calls per counter, recalls included, most first.
 */
calls_per_counter: Array<Count>, 
/**
 * The visitors' opinions (days still detailed only).
 */
satisfaction: SatisfactionFigures, };
export type RecordKind = "service" | "demarche";
export type CatalogueEdit = { 
/**
 * The record's version the edit was made from; `None` creates it.
 */
expected_version: number | null, 
/**
 * The record (a service or a démarche), validated like an import.
 */
record: JsonValue, };
export type EditOutcome = { "outcome": "saved", 
/**
 * The record as stored, with its new version.
 */
record: JsonValue, } | { "outcome": "conflict", 
/**
 * What happened, in French.
 */
message: string, 
/**
 * The record as it is now.
 */
current: JsonValue | null, };
export type TicketState = "waiting" | "called" | "present" | "served" | "no_show" | "cancelled";
export type ServiceOutcome = "done" | "come_back" | "redirected";
export type CounterAction = { "type": "call_next" } | { "type": "call", 
/**
 * Its code.
 */
code: string, } | { "type": "recall" } | { "type": "arrived" } | { "type": "served", 
/**
 * The outcome.
 */
outcome: ServiceOutcome, } | { "type": "no_show" } | { "type": "transfer", 
/**
 * The service whose queue it joins.
 */
service: string, } | { "type": "reactivate", 
/**
 * Its code.
 */
code: string, } | { "type": "adopt", 
/**
 * The code as shown on the visitor's screen.
 */
code: string, };
export type CounterActionRequest = { 
/**
 * Chosen by the counter once per action: a retry with the same id and
 * content replays the first answer, with other content is refused.
 */
event_id: string, 
/**
 * The counter's clock when the agent acted.
 */
device_time: string, 
/**
 * What the agent did.
 */
action: CounterAction, };
export type QualifiedDemarche = { 
/**
 * Catalogue id.
 */
id: string, 
/**
 * Title.
 */
title: string, 
/**
 * Documents to bring.
 */
documents: Array<string>, };
export type Qualified = { 
/**
 * The démarches chosen.
 */
demarches: Array<QualifiedDemarche>, 
/**
 * The visitor's words when no démarche fitted.
 */
unmet: string | null, 
/**
 * The visitor's language (BCP 47), when not French.
 */
language: string | null, 
/**
 * The visitor's profile, as the greeter noted it.
 */
profile: string | null, 
/**
 * Whether the greeter walked the visitor to the counter (once known).
 */
accompanied: boolean | null, 
/**
 * The greeter's factual note, where the setting allows one.
 */
note: string | null, 
/**
 * The greeter's initials.
 */
agent: string | null, };
export type QueueTicket = { 
/**
 * The code called.
 */
code: string, 
/**
 * The service whose queue it is in.
 */
service: string, 
/**
 * Where it stands.
 */
state: TicketState, 
/**
 * When it was issued (the tablet's clock corrected by its measured
 * offset); for a ticket adopted before its tablet synced, the adoption.
 */
issued_at: string, 
/**
 * Adopted at a counter before the server had it from its tablet.
 */
adopted: boolean, 
/**
 * Its tablet's snapshot has reached the server.
 */
known: boolean, 
/**
 * Times called (recalls included).
 */
calls: number, 
/**
 * The counter that called it.
 */
counter: string | null, 
/**
 * When it was last called.
 */
last_call_at: string | null, 
/**
 * How it ended, once served.
 */
outcome: ServiceOutcome | null, 
/**
 * What the greeter qualified, once its tablet synced.
 */
qualified: Qualified | null, };
export type ServiceChoice = { 
/**
 * Catalogue id.
 */
id: string, 
/**
 * Name.
 */
name: string, };
export type CounterView = { 
/**
 * The counter's label, e.g. « Guichet 3 — État civil ».
 */
counter: string, 
/**
 * Its service.
 */
service: ServiceChoice, 
/**
 * The mairie day.
 */
day: string, 
/**
 * The waiting tickets, first to call first.
 */
waiting: Array<QueueTicket>, 
/**
 * The ticket this counter called and has not finished.
 */
current: QueueTicket | null, 
/**
 * Today's absent tickets of the service, to reactivate.
 */
absent: Array<QueueTicket>, 
/**
 * The other services' counters, for a transfer.
 */
transfer_to: Array<ServiceChoice>, 
/**
 * Seconds between two calls of one ticket.
 */
min_recall_interval_s: number, 
/**
 * The last event of the day (the live updates' event id).
 */
last_event: number, 
/**
 * The server's clock.
 */
server_time: string, };
export type CounterActionResult = { 
/**
 * The event recorded (the live updates' event id).
 */
event: number, 
/**
 * The ticket as the action left it.
 */
ticket: QueueTicket, 
/**
 * A retry of an action already recorded: nothing was done again.
 */
replayed: boolean, };
export type Call = { 
/**
 * The call's event id: a display announces each at most once.
 */
event: number, 
/**
 * The ticket code.
 */
code: string, 
/**
 * The counter to go to.
 */
counter: string, 
/**
 * Which call of the ticket this is (1, then recalls).
 */
call: number, 
/**
 * When the counter called.
 */
at: string, };
export type DisplayView = { 
/**
 * The room, e.g. « Salle d'attente du rez-de-chaussée ».
 */
room: string, 
/**
 * The latest calls and recalls of today, newest first (12 at most).
 */
calls: Array<Call>, 
/**
 * The last event of the day.
 */
last_event: number, 
/**
 * The server's clock.
 */
server_time: string, };
export type DeviceKind = "agent" | "lead" | "counter" | "display";
export type ScreenEnrollRequest = { 
/**
 * The one-time code printed by `volant-server device enroll-code --kind counter|display`.
 */
code: string, 
/**
 * The certificate fingerprint of the invitation (64 hex digits); a
 * server with another certificate refuses (`certificate_changed`).
 */
fingerprint?: string | null, };
export type ScreenEnrolled = { 
/**
 * `counter` or `display`.
 */
kind: DeviceKind, 
/**
 * The device's name.
 */
name: string, };
