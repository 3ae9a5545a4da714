//! The route table: every operation of the API once, with what documents it
//! (who may call it, its query, path and body, its answer, the errors it
//! may give). The router and the OpenAPI document (`openapi.rs`) are both
//! built from it, so no route goes undocumented.

use axum::Router;
use axum::routing::{MethodFilter, on};
use schemars::{JsonSchema, Schema, SchemaGenerator};
use volant_protocol::{
    ApiError, CatalogueChanges, CatalogueEdit, CatalogueEdited, CityIndicators,
    CounterActionRequest, CounterActionResult, CounterView, DisplayView, EnrollRequest,
    EnrollResponse, ErrorCode, Indicators, JournalPage, JournalQuery, Period, PushRequest,
    PushResponse, QuarantinedRecord, RecordKind, RepairRequest, ScreenEnrollRequest,
    ScreenEnrolled, ServerInfo, SignOff, SignOffRequest, TicketStatuses, WaitBoard,
};

use crate::app::AppState;
use crate::routes::{self, ChangesQuery, DayQuery, Health};

/// A schema of a type, drawn by the document's generator.
pub type SchemaOf = fn(&mut SchemaGenerator) -> Schema;

/// The schema of `T`: a reference to its component when it has a name.
fn of<T: JsonSchema>(generator: &mut SchemaGenerator) -> Schema {
    generator.subschema_for::<T>()
}

/// The HTTP method of an operation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verb {
    /// GET.
    Get,
    /// POST.
    Post,
    /// PUT.
    Put,
}

impl Verb {
    fn filter(self) -> MethodFilter {
        match self {
            Verb::Get => MethodFilter::GET,
            Verb::Post => MethodFilter::POST,
            Verb::Put => MethodFilter::PUT,
        }
    }

    /// Its name in the document.
    pub fn as_str(self) -> &'static str {
        match self {
            Verb::Get => "get",
            Verb::Post => "post",
            Verb::Put => "put",
        }
    }
}

/// Who may call an operation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Access {
    /// Anyone (health, the document itself).
    Open,
    /// Anyone holding a one-time code.
    Enrolling,
    /// A tablet (`agent` or `lead`), by its bearer credential.
    Tablet,
    /// A `lead` device.
    Lead,
    /// A `city` device, by its bearer credential.
    City,
    /// A `counter`, by bearer or cookie.
    Counter,
    /// A `display`, by bearer or cookie.
    Display,
    /// A `counter` or a `display`.
    Screen,
}

/// What a success answers.
#[derive(Clone, Copy)]
pub enum Answer {
    /// `application/json` of this schema.
    Json(SchemaOf),
    /// `text/csv`.
    Csv,
    /// `text/event-stream`.
    Events,
}

/// One operation.
pub struct Operation {
    /// Method.
    pub verb: Verb,
    /// Path, axum's syntax (`/v1/lead/signoff/{day}`), which is OpenAPI's.
    pub path: &'static str,
    /// A stable name (`operationId`).
    pub id: &'static str,
    /// What it does, in a line.
    pub summary: &'static str,
    /// Who may call it.
    pub access: Access,
    /// Whether it requires the `volant-protocol` header.
    pub protocol: bool,
    /// Path parameters, in order.
    pub path_params: &'static [(&'static str, SchemaOf)],
    /// Its query, an object whose properties are the parameters.
    pub query: Option<SchemaOf>,
    /// Its JSON body.
    pub body: Option<SchemaOf>,
    /// Its success.
    pub answer: Answer,
    /// The errors its own rules may give (on top of those of its access,
    /// header and body).
    pub errors: &'static [ErrorCode],
}

impl Operation {
    /// Every error code the operation may answer.
    pub fn error_codes(&self) -> Vec<ErrorCode> {
        let mut codes = Vec::new();
        if self.protocol {
            codes.extend([ErrorCode::BadRequest, ErrorCode::UpgradeRequired]);
        }
        if self.body.is_some() {
            codes.extend([
                ErrorCode::BadRequest,
                ErrorCode::InvalidField,
                ErrorCode::TooLarge,
            ]);
        }
        if self.query.is_some() || !self.path_params.is_empty() {
            codes.push(ErrorCode::BadRequest);
        }
        if !matches!(self.access, Access::Open | Access::Enrolling) {
            codes.extend([
                ErrorCode::Unauthenticated,
                ErrorCode::Revoked,
                ErrorCode::Forbidden,
                ErrorCode::Unavailable,
            ]);
        }
        if self.access == Access::Enrolling {
            codes.push(ErrorCode::Unavailable);
        }
        codes.extend_from_slice(self.errors);
        codes.sort_by_key(|c| format!("{c:?}"));
        codes.dedup();
        codes
    }
}

/// The error body's schema.
pub fn error_schema(generator: &mut SchemaGenerator) -> Schema {
    of::<ApiError>(generator)
}

macro_rules! operations {
    ($( $handler:path => $op:expr ),* $(,)?) => {
        /// Every operation of the API.
        pub fn operations() -> Vec<Operation> {
            vec![$($op),*]
        }

        /// The operations' routes: those behind the protocol header, and the others.
        pub fn routes() -> (Router<AppState>, Router<AppState>) {
            let (mut protocol, mut open) = (Router::new(), Router::new());
            $(
                let op: Operation = $op;
                let route = on(op.verb.filter(), $handler);
                if op.protocol {
                    protocol = protocol.route(op.path, route);
                } else {
                    open = open.route(op.path, route);
                }
            )*
            (protocol, open)
        }
    };
}

/// An operation with nothing but its essentials set.
const fn op(
    verb: Verb,
    path: &'static str,
    id: &'static str,
    summary: &'static str,
    access: Access,
    answer: Answer,
) -> Operation {
    Operation {
        verb,
        path,
        id,
        summary,
        access,
        protocol: true,
        path_params: &[],
        query: None,
        body: None,
        answer,
        errors: &[],
    }
}

use Access::{City, Counter, Display, Enrolling, Lead, Open, Screen, Tablet};
use Verb::{Get, Post, Put};

operations! {
    routes::health => Operation {
        protocol: false,
        ..op(Get, "/v1/health", "health", "Le processus répond.", Open, Answer::Json(of::<Health>))
    },
    routes::ready => Operation {
        protocol: false,
        errors: &[ErrorCode::Unavailable],
        ..op(Get, "/v1/ready", "ready", "Prêt à servir : base joignable, schéma à jour, pas d'arrêt en cours (pour le répartiteur de charge).", Open, Answer::Json(of::<Health>))
    },
    crate::openapi::document => Operation {
        protocol: false,
        ..op(Get, "/v1/openapi.json", "openapi", "Ce document.", Open, Answer::Json(|_| Schema::from(true)))
    },
    crate::live::events => Operation {
        protocol: false,
        ..op(Get, "/v1/events", "events", "Les changements de file en direct (server-sent events, la sonnette).", Screen, Answer::Events)
    },
    routes::enroll => Operation {
        body: Some(of::<EnrollRequest>),
        errors: &[ErrorCode::InvalidCode, ErrorCode::SeqConflict, ErrorCode::Forbidden],
        ..op(Post, "/v1/enroll", "enroll", "Enrôle une tablette avec un code à usage unique.", Enrolling, Answer::Json(of::<EnrollResponse>))
    },
    routes::enroll_screen => Operation {
        body: Some(of::<ScreenEnrollRequest>),
        errors: &[ErrorCode::InvalidCode, ErrorCode::CertificateChanged],
        ..op(Post, "/v1/screen/enroll", "enrollScreen", "Enrôle le navigateur d'un guichet ou d'un écran d'appel (cookie).", Enrolling, Answer::Json(of::<ScreenEnrolled>))
    },
    routes::info => op(Get, "/v1/info", "info", "Versions, limites, époque et horloge du serveur.", Tablet, Answer::Json(of::<ServerInfo>)),
    routes::push => Operation {
        body: Some(of::<PushRequest>),
        errors: &[ErrorCode::Gap, ErrorCode::SeqConflict, ErrorCode::EpochChanged],
        ..op(Post, "/v1/push", "push", "Envoie un lot de la file d'envoi de la tablette (boîte de réception idempotente).", Tablet, Answer::Json(of::<PushResponse>))
    },
    routes::catalogue_changes => Operation {
        query: Some(of_inline::<ChangesQuery>),
        errors: &[ErrorCode::ResyncRequired, ErrorCode::InvalidField],
        ..op(Get, "/v1/catalogue/changes", "catalogueChanges", "Les changements du catalogue après une version.", Tablet, Answer::Json(of::<CatalogueChanges>))
    },
    routes::tickets => Operation {
        query: Some(of_inline::<DayQuery>),
        ..op(Get, "/v1/tickets", "tickets", "Ce que les guichets ont fait des tickets de la tablette, pour un jour.", Tablet, Answer::Json(of::<TicketStatuses>))
    },
    routes::waits => op(Get, "/v1/waits", "waits", "L'attente estimée à chaque guichet, maintenant.", Tablet, Answer::Json(of::<WaitBoard>)),
    routes::journal => Operation {
        query: Some(of_inline::<JournalQuery>),
        errors: &[ErrorCode::InvalidField],
        ..op(Get, "/v1/lead/journal", "journal", "Le journal d'un jour, toutes tablettes.", Lead, Answer::Json(of::<JournalPage>))
    },
    routes::indicators => Operation {
        query: Some(of_inline::<Period>),
        errors: &[ErrorCode::InvalidField],
        ..op(Get, "/v1/lead/indicators", "indicators", "Les indicateurs d'une période.", Lead, Answer::Json(of::<Indicators>))
    },
    routes::city_indicators => Operation {
        query: Some(of_inline::<Period>),
        errors: &[ErrorCode::InvalidField],
        ..op(Get, "/v1/city/indicators", "cityIndicators", "Les indicateurs de chaque mairie d'une période, agrégats seuls (appareil de la Ville).", City, Answer::Json(of::<CityIndicators>))
    },
    routes::export => Operation {
        query: Some(of_inline::<Period>),
        errors: &[ErrorCode::InvalidField],
        ..op(Get, "/v1/lead/export", "export", "Les visites d'une période, en CSV.", Lead, Answer::Csv)
    },
    routes::sign_off => Operation {
        path_params: &[("day", of::<chrono::NaiveDate>)],
        body: Some(of::<SignOffRequest>),
        ..op(Put, "/v1/lead/signoff/{day}", "signOff", "Vise la journée.", Lead, Answer::Json(of::<SignOff>))
    },
    routes::edit_catalogue => Operation {
        path_params: &[("kind", of::<RecordKind>), ("id", of::<String>)],
        body: Some(of::<CatalogueEdit>),
        errors: &[ErrorCode::VersionConflict, ErrorCode::NotFound],
        ..op(Put, "/v1/lead/catalogue/{kind}/{id}", "editCatalogue", "Crée, modifie ou archive une fiche du catalogue.", Lead, Answer::Json(of::<CatalogueEdited>))
    },
    routes::repair_quarantined => Operation {
        path_params: &[("install_id", of::<uuid::Uuid>), ("seq", of::<u64>)],
        body: Some(of::<RepairRequest>),
        errors: &[ErrorCode::NotFound],
        ..op(Post, "/v1/lead/quarantine/{install_id}/{seq}", "repairQuarantined", "Réapplique une visite mise en quarantaine, ses démarches inconnues remplacées.", Lead, Answer::Json(of::<QuarantinedRecord>))
    },
    routes::counter_queue => op(Get, "/v1/counter/queue", "counterQueue", "La file du service du guichet et le ticket en main.", Counter, Answer::Json(of::<CounterView>)),
    routes::counter_action => Operation {
        body: Some(of::<CounterActionRequest>),
        errors: &[
            ErrorCode::TicketTaken, ErrorCode::QueueEmpty, ErrorCode::NoCurrentTicket,
            ErrorCode::TooSoon, ErrorCode::EventConflict, ErrorCode::NotFound,
        ],
        ..op(Post, "/v1/counter/actions", "counterAction", "Une action du guichet (appeler, rappeler, terminer…), idempotente.", Counter, Answer::Json(of::<CounterActionResult>))
    },
    routes::display_calls => op(Get, "/v1/display/calls", "displayCalls", "Les derniers appels des services de l'écran.", Display, Answer::Json(of::<DisplayView>)),
}

/// The schema of `T` itself, never a reference (a query's properties).
fn of_inline<T: JsonSchema>(generator: &mut SchemaGenerator) -> Schema {
    T::json_schema(generator)
}
