//! `volant`: the tablet's command line — catalogue search, import and export,
//! the day's log, demo visits and the store's status.
//!
//! Every command is a thin call into `volant-core`; errors are one line on
//! standard error and a non-zero exit.

use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

use chrono::{NaiveDate, Utc};
use clap::{Parser, Subcommand, ValueEnum};
use volant_core::{Error, Store, log, sync};

#[derive(Parser)]
#[command(
    name = "volant",
    version,
    about = "Volant : l'outil de l'agent volant d'une mairie"
)]
struct Cli {
    /// Base de données à utiliser (par défaut : dans le dossier de données de l'utilisateur).
    #[arg(long, global = true, value_name = "PATH")]
    db: Option<PathBuf>,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Le catalogue des démarches.
    #[command(subcommand)]
    Catalogue(CatalogueCommand),
    /// Le journal des visites.
    #[command(subcommand)]
    Log(LogCommand),
    /// Données de démonstration.
    #[command(subcommand)]
    Demo(DemoCommand),
    /// État de la tablette : identité, réglages, envois en attente.
    Status,
    /// Enrôle la tablette auprès du serveur de la mairie (ou la réenrôle après un
    /// changement de certificat : mêmes visites, même lettre).
    Enroll {
        /// L'invitation affichée par `volant-server device enroll-code`,
        /// par exemple https://10.0.0.2:8719/#code=K7QX-M2PD&sha256=….
        invitation: String,
    },
    /// Synchronise avec le serveur : envoie les visites, reçoit le catalogue.
    Sync {
        /// Sortie JSON.
        #[arg(long)]
        json: bool,
        /// Continue : nouvel essai tant qu'il reste des envois, puis à intervalle régulier.
        #[arg(long)]
        watch: bool,
    },
}

#[derive(Subcommand)]
enum CatalogueCommand {
    /// Cherche une démarche avec les mots du visiteur.
    Search {
        /// Les mots du visiteur.
        words: String,
        /// Nombre maximal de résultats.
        #[arg(long, default_value_t = 10, value_parser = clap::value_parser!(u32).range(1..=200))]
        limit: u32,
        /// Sortie JSON.
        #[arg(long)]
        json: bool,
    },
    /// Remplace le catalogue par celui d'un fichier JSON (tout ou rien).
    Import {
        /// Le fichier.
        file: PathBuf,
    },
    /// Exporte le catalogue en JSON (sur la sortie standard sans fichier).
    Export {
        /// Le fichier à écrire.
        file: Option<PathBuf>,
    },
}

#[derive(Clone, Copy, ValueEnum)]
enum Format {
    Csv,
    Json,
}

#[derive(Subcommand)]
enum LogCommand {
    /// Exporte les visites d'une journée.
    Export {
        /// La journée (AAAA-MM-JJ).
        #[arg(long)]
        date: NaiveDate,
        /// Format de sortie.
        #[arg(long, value_enum, default_value = "csv")]
        format: Format,
    },
}

#[derive(Subcommand)]
enum DemoCommand {
    /// Fait passer N visites réalistes et anonymes par toutes les étapes.
    Visits {
        /// Nombre de visites.
        #[arg(long, value_parser = clap::value_parser!(u32).range(1..=1_000_000))]
        count: u32,
        /// Nombre de jours, jusqu'à aujourd'hui.
        #[arg(long, default_value_t = 1, value_parser = clap::value_parser!(u32).range(1..=366))]
        days: u32,
        /// Graine du tirage aléatoire.
        #[arg(long, default_value_t = 19)]
        seed: u64,
    },
}

/// A failure of the command line itself (files), beside the core's errors.
#[derive(Debug, thiserror::Error)]
enum CliError {
    #[error(transparent)]
    Core(#[from] Error),
    #[error(transparent)]
    Sync(#[from] volant_core::sync::SyncError),
    #[error("{path} : {source}")]
    File {
        path: String,
        source: std::io::Error,
    },
    #[error("dossier de données introuvable : utiliser --db")]
    NoDataDir,
    #[error("export impossible : {0}")]
    Export(String),
    #[error("synchronisation incomplète : {0}")]
    SyncFailed(String),
}

fn file_error(path: &std::path::Path) -> impl FnOnce(std::io::Error) -> CliError + '_ {
    move |source| CliError::File {
        path: path.display().to_string(),
        source,
    }
}

fn default_db() -> Result<PathBuf, CliError> {
    let dirs =
        directories::ProjectDirs::from("fr", "Volant", "volant").ok_or(CliError::NoDataDir)?;
    let dir = dirs.data_dir();
    std::fs::create_dir_all(dir).map_err(file_error(dir))?;
    Ok(dir.join("volant.sqlite3"))
}

fn write_out(text: &str) -> Result<(), CliError> {
    std::io::stdout()
        .lock()
        .write_all(text.as_bytes())
        .map_err(|source| CliError::File {
            path: "(sortie standard)".into(),
            source,
        })
}

fn runtime() -> Result<tokio::runtime::Runtime, CliError> {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|source| CliError::File {
            path: "(runtime)".into(),
            source,
        })
}

fn run(cli: Cli) -> Result<(), CliError> {
    let path = match cli.db {
        Some(p) => p,
        None => default_db()?,
    };
    let now = Utc::now();
    let mut store = Store::open(&path, now)?;
    match cli.command {
        Command::Catalogue(CatalogueCommand::Search { words, limit, json }) => {
            let hits = store.search(&words, limit)?;
            if json {
                let text = serde_json::to_string_pretty(&hits)
                    .map_err(|e| CliError::Export(e.to_string()))?;
                write_out(&(text + "\n"))?;
            } else if hits.is_empty() {
                write_out("Aucune démarche trouvée.\n")?;
            } else {
                let lines: String = hits
                    .iter()
                    .enumerate()
                    .map(|(i, h)| format!("{:>2}. {} — {} [{}]\n", i + 1, h.title, h.service, h.id))
                    .collect();
                write_out(&lines)?;
            }
        }
        Command::Catalogue(CatalogueCommand::Import { file }) => {
            let text = std::fs::read_to_string(&file).map_err(file_error(&file))?;
            let summary = store.import_catalogue(&text)?;
            write_out(&format!(
                "Catalogue importé : {} services, {} démarches.\n",
                summary.services, summary.demarches
            ))?;
        }
        Command::Catalogue(CatalogueCommand::Export { file }) => {
            let text = store.export_catalogue()?;
            match file {
                Some(f) => std::fs::write(&f, text).map_err(file_error(&f))?,
                None => write_out(&text)?,
            }
        }
        Command::Log(LogCommand::Export { date, format }) => {
            let entries = store.day_log(date, now)?;
            let text = match format {
                Format::Csv => {
                    log::to_csv(&entries).map_err(|e| CliError::Export(e.to_string()))?
                }
                Format::Json => {
                    log::to_json(&entries).map_err(|e| CliError::Export(e.to_string()))? + "\n"
                }
            };
            write_out(&text)?;
        }
        Command::Demo(DemoCommand::Visits { count, days, seed }) => {
            let s = volant_core::demo::walk_visits(&mut store, count as usize, days, now, seed)?;
            let span = match (s.first_day, s.last_day) {
                (Some(first), Some(last)) => format!(" du {first} au {last}"),
                _ => String::new(),
            };
            write_out(&format!(
                "{} visites enregistrées{span} ({} tickets, {} abandons, {} besoins hors catalogue).\n",
                s.visits, s.tickets, s.abandoned, s.unmet
            ))?;
        }
        Command::Enroll { invitation } => {
            let store = tokio::sync::Mutex::new(store);
            let response = runtime()?.block_on(sync::enroll(&store, &invitation))?;
            write_out(&format!(
                "Tablette enrôlée : « {} » ({}), lettre {}.\n",
                response.name,
                response.kind.as_str(),
                response.tablet_letter.unwrap_or('?')
            ))?;
        }
        Command::Sync { json, watch } => {
            let store = tokio::sync::Mutex::new(store);
            let runtime = runtime()?;
            if watch {
                let wake = tokio::sync::Notify::new();
                runtime.block_on(sync::run_until(
                    &store,
                    &sync::SystemClock,
                    &wake,
                    std::time::Duration::from_secs(30),
                    async {
                        let _ = tokio::signal::ctrl_c().await;
                    },
                ));
                return Ok(());
            }
            let report = runtime.block_on(sync::sync_once(&store, &sync::SystemClock))?;
            if json {
                let text = serde_json::to_string_pretty(&report)
                    .map_err(|e| CliError::Export(e.to_string()))?;
                write_out(&(text + "\n"))?;
            } else {
                write_out(&format!(
                    "Envoyés : {}, reçus par le serveur : {} (dont {} déjà reçus, {} en quarantaine), en attente : {}, changements de catalogue : {}{}\n",
                    report.pushed,
                    report.acknowledged,
                    report.duplicates,
                    report.quarantined,
                    report.pending,
                    report.catalogue_changes,
                    report
                        .error
                        .as_ref()
                        .map(|e| format!("\nÉchec : {e}"))
                        .unwrap_or_default()
                ))?;
            }
            if let Some(error) = report.error {
                return Err(CliError::SyncFailed(error));
            }
        }
        Command::Status => {
            let settings = store.settings()?;
            let catalogue = store.catalogue()?;
            let sync = store.sync_status()?;
            let server = store.sync_state()?.enrollment.map_or_else(
                || "non enrôlée".to_owned(),
                |e| format!("{} ({})", e.server, e.name),
            );
            let last_sync = sync
                .last_success_at
                .map_or_else(|| "jamais".to_owned(), |t| t.to_rfc3339());
            let mut text = format!(
                "Base : {}\nInstallation : {}\nTablette : {}\nImprimante de tickets : {}\nServeur : {server}\nCatalogue : {} (édition {}), {} démarches\n",
                path.display(),
                store.install_id(),
                settings.tablet,
                settings
                    .printer
                    .map_or_else(|| "aucune".to_owned(), |p| p.to_string()),
                catalogue.meta.mairie,
                catalogue.meta.edition,
                catalogue.demarches.len(),
            );
            text += &format!(
                "Envois en attente : {}\nDernière synchronisation : {last_sync}\nEn quarantaine sur le serveur : {}\n",
                sync.pending, sync.quarantined
            );
            if let Some(error) = sync.last_error {
                text += &format!("Dernière erreur : {error}\n");
            }
            if sync.clock_suspect {
                text += "Attention : l'horloge de la tablette semble fausse.\n";
            }
            text += "Sources :\n";
            for credit in &catalogue.meta.credits {
                text += &format!("  {credit}\n");
            }
            write_out(&text)?;
        }
    }
    Ok(())
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match run(cli) {
        Ok(()) => ExitCode::SUCCESS,
        Err(CliError::Core(Error::CatalogueFile(e))) => {
            eprintln!(
                "volant : catalogue refusé, rien n'a été importé ({} erreur(s)) :",
                e.problems.len()
            );
            for p in &e.problems {
                eprintln!("  {p}");
            }
            ExitCode::FAILURE
        }
        Err(e) => {
            eprintln!("volant : {e}");
            ExitCode::FAILURE
        }
    }
}
