//! `volant-server`: runs the mairie server and administers its mairies,
//! devices, catalogues and epoch. Errors are one line on standard error and a non-zero exit.

use std::net::SocketAddr;
use std::path::PathBuf;
use std::process::ExitCode;

use chrono::{Duration, Utc};
use clap::{Parser, Subcommand, ValueEnum};
use volant_protocol::{DeviceKind, Invitation, Limits};
use volant_server::store::{DEFAULT_RETENTION_DAYS, Database, MairieId, Post, ServerStore};
use volant_server::{Application, Config, DEFAULT_LIMITS, Transport};

#[derive(Parser)]
#[command(
    name = "volant-server",
    version,
    about = "Le serveur Volant de la mairie"
)]
struct Cli {
    /// Base de données du serveur : un fichier SQLite (par défaut : dans le dossier de
    /// données), ou PostgreSQL (postgres://utilisateur:mot-de-passe@hôte/base).
    #[arg(long, global = true, value_name = "FICHIER|postgres://…")]
    db: Option<String>,
    /// La mairie dont on administre les appareils et le catalogue (voir `mairie list`) ;
    /// un serveur d'une seule mairie n'a que la 1.
    #[arg(long, global = true, default_value_t = 1, value_name = "N°")]
    mairie: i64,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Lance le serveur (arrêt propre sur Ctrl-C ou SIGTERM).
    Serve {
        /// Adresse d'écoute.
        #[arg(long, default_value = "127.0.0.1:8719")]
        listen: SocketAddr,
        /// Taille maximale d'une requête, en octets.
        #[arg(long, default_value_t = DEFAULT_LIMITS.max_body_bytes)]
        max_body_bytes: u64,
        /// Nombre maximal de mutations par envoi.
        #[arg(long, default_value_t = DEFAULT_LIMITS.max_batch_items)]
        max_batch_items: u32,
        /// Jours de conservation du détail des visites (ensuite : agrégats seuls).
        #[arg(long, default_value_t = DEFAULT_RETENTION_DAYS, value_parser = clap::value_parser!(u32).range(1..=3650))]
        retention_days: u32,
        /// L'interface construite (ui/dist) : pages du guichet (/guichet) et de l'écran d'appel (/ecran).
        #[arg(long, default_value = "ui/dist")]
        ui_dir: PathBuf,
        /// Certificat fourni par la Ville (PEM, chaîne complète) ; sans lui, un certificat
        /// autosigné est créé au premier démarrage à côté de la base.
        #[arg(
            long,
            value_name = "PEM",
            requires = "tls_key",
            conflicts_with = "plain_http"
        )]
        tls_cert: Option<PathBuf>,
        /// Clé privée du certificat fourni (PEM).
        #[arg(long, value_name = "PEM", requires = "tls_cert")]
        tls_key: Option<PathBuf>,
        /// HTTP en clair : seulement sur une adresse locale, derrière un proxy HTTPS de la même machine.
        #[arg(long)]
        plain_http: bool,
        /// L'adresse par laquelle les appareils joignent le serveur, reprise dans les invitations
        /// (par défaut : l'adresse d'écoute, ou le nom de la machine).
        #[arg(long, value_name = "URL")]
        public_url: Option<String>,
        /// À l'arrêt : secondes pendant lesquelles le serveur répond encore mais se dit
        /// « pas prêt » (/v1/ready), pour que le répartiteur de charge cesse d'y envoyer.
        #[arg(long, default_value_t = 2, value_parser = clap::value_parser!(u64).range(0..=60))]
        drain_seconds: u64,
    },
    /// Les mairies servies (une seule par défaut ; celles de la Ville sur PostgreSQL).
    #[command(subcommand)]
    Mairie(MairieCommand),
    /// Les appareils (tablettes, postes de responsable).
    #[command(subcommand)]
    Device(DeviceCommand),
    /// Le catalogue de référence.
    #[command(subcommand)]
    Catalogue(CatalogueCommand),
    /// L'époque du serveur.
    #[command(subcommand)]
    Epoch(EpochCommand),
    /// La conservation des données (RGPD).
    #[command(subcommand)]
    Retention(RetentionCommand),
    /// Déplace le serveur d'une mairie dans la base de la Ville (son fichier SQLite dans
    /// PostgreSQL), comme mairie --mairie de la cible (créée avant par `mairie add`) : tout
    /// est copié en une transaction, compté et vérifié (SHA-256) table par table ; refusé si
    /// cette mairie a déjà des appareils ou des données. Arrêter le serveur avant.
    Migrate {
        /// La base d'origine (fichier SQLite).
        #[arg(long, value_name = "FICHIER|postgres://…")]
        from: String,
        /// La base d'arrivée (postgres://…).
        #[arg(long, value_name = "postgres://…|FICHIER")]
        to: String,
    },
}

#[derive(Subcommand)]
enum RetentionCommand {
    /// Remplace le détail des visites trop anciennes par des agrégats (aussi fait chaque jour par `serve`).
    Run {
        /// Jours de conservation du détail.
        #[arg(long, default_value_t = DEFAULT_RETENTION_DAYS, value_parser = clap::value_parser!(u32).range(1..=3650))]
        days: u32,
    },
}

#[derive(Subcommand)]
enum MairieCommand {
    /// Ajoute une mairie, avec son propre catalogue (celui livré, ou --catalogue).
    Add {
        /// Son nom (« Mairie du 19e »).
        #[arg(long)]
        name: String,
        /// Son catalogue (JSON) ; par défaut celui livré avec Volant.
        #[arg(long, value_name = "FICHIER")]
        catalogue: Option<PathBuf>,
    },
    /// Liste les mairies.
    List,
    /// Renomme la mairie --mairie.
    Rename {
        /// Son nouveau nom.
        #[arg(long)]
        name: String,
    },
}

#[derive(Clone, Copy, ValueEnum)]
enum Kind {
    Agent,
    Lead,
    Counter,
    Display,
    City,
}

#[derive(Subcommand)]
enum DeviceCommand {
    /// Affiche un code d'enrôlement à usage unique.
    EnrollCode {
        /// Nom de l'appareil.
        #[arg(long, default_value = "Tablette")]
        name: String,
        /// Type d'appareil : tablette d'agent, du responsable, guichet, écran d'appel, ou poste
        /// de la Ville (indicateurs de toutes les mairies, agrégats seuls).
        #[arg(long, value_enum, default_value = "agent")]
        kind: Kind,
        /// Guichet : le service qu'il appelle (identifiant du catalogue, par exemple etat-civil).
        #[arg(long)]
        service: Option<String>,
        /// Guichet : son libellé (« Guichet 3 — État civil ») ; écran d'appel : la salle.
        #[arg(long)]
        label: Option<String>,
        /// Écran d'appel : les services dont il montre les appels, séparés par des virgules.
        #[arg(long, value_delimiter = ',')]
        services: Vec<String>,
        /// Durée de validité, en minutes.
        #[arg(long, default_value_t = 15, value_parser = clap::value_parser!(i64).range(1..=1440))]
        ttl_minutes: i64,
        /// L'adresse du serveur à mettre dans l'invitation (par défaut : celle annoncée par `serve`).
        #[arg(long, value_name = "URL")]
        url: Option<String>,
    },
    /// Liste les appareils.
    List {
        /// Sortie JSON.
        #[arg(long)]
        json: bool,
    },
    /// Révoque un appareil.
    Revoke {
        /// Identifiant de l'appareil.
        id: String,
    },
}

#[derive(Subcommand)]
enum CatalogueCommand {
    /// Remplace le catalogue de référence (chaque changement prend la version suivante).
    Import {
        /// Le fichier JSON.
        file: PathBuf,
    },
    /// Supprime les traces des suppressions ; les tablettes en retard rechargeront tout.
    Compact,
}

#[derive(Subcommand)]
enum EpochCommand {
    /// Change l'époque : à faire après la restauration d'une sauvegarde.
    Rotate,
}

fn default_db() -> Result<PathBuf, String> {
    let dirs = directories::ProjectDirs::from("fr", "Volant", "volant-server")
        .ok_or("dossier de données introuvable : utiliser --db")?;
    std::fs::create_dir_all(dirs.data_dir())
        .map_err(|e| format!("{} : {e}", dirs.data_dir().display()))?;
    Ok(dirs.data_dir().join("volant-server.sqlite3"))
}

async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! { () = ctrl_c => {}, () = terminate => {} }
    tracing::info!("shutting down");
}

fn run(cli: Cli) -> Result<(), String> {
    let db = match cli.db {
        Some(text) => Database::parse(&text),
        None => Database::Sqlite(default_db()?),
    };
    let now = Utc::now();
    let mairie = MairieId(cli.mairie);
    let open = || ServerStore::open(&db, now).map_err(|e| e.to_string());
    let read_catalogue = |file: &PathBuf| -> Result<_, String> {
        let text =
            std::fs::read_to_string(file).map_err(|e| format!("{} : {e}", file.display()))?;
        volant_core::catalogue::parse(&text).map_err(|e| e.to_string())
    };
    match cli.command {
        Command::Serve {
            listen,
            max_body_bytes,
            max_batch_items,
            retention_days,
            ui_dir,
            tls_cert,
            tls_key,
            plain_http,
            public_url,
            drain_seconds,
        } => {
            let transport = match (tls_cert, tls_key) {
                (Some(cert), Some(key)) => Transport::Files { cert, key },
                _ if plain_http => Transport::Plain,
                _ => Transport::SelfSigned,
            };
            let public_url = public_url
                .map(|u| volant_protocol::origin(&u).map_err(|e| e.0))
                .transpose()?;
            tracing_subscriber::fmt()
                .json()
                .with_writer(std::io::stderr)
                .with_env_filter(
                    tracing_subscriber::EnvFilter::try_from_default_env()
                        .unwrap_or_else(|_| "info".into()),
                )
                .init();
            let runtime = tokio::runtime::Runtime::new().map_err(|e| e.to_string())?;
            runtime.block_on(async {
                let limits = Limits {
                    max_body_bytes,
                    max_batch_items,
                    ..DEFAULT_LIMITS
                };
                let app = Application::build(Config {
                    db: db.clone(),
                    listen,
                    limits,
                    retention_days,
                    ui_dir: Some(ui_dir),
                    transport,
                    public_url,
                    drain: std::time::Duration::from_secs(drain_seconds),
                })
                .await
                .map_err(|e| e.to_string())?;
                println!("volant-server à l'écoute sur {}", app.url());
                match (app.fingerprint(), app.spki_pin()) {
                    (Some(fingerprint), Some(spki)) => {
                        println!("Empreinte SHA-256 du certificat : {fingerprint}");
                        println!("Navigateur d'un guichet ou d'un écran sans ce certificat installé : chromium --user-data-dir=… --ignore-certificate-errors-spki-list={spki}");
                    }
                    _ => tracing::warn!("HTTP en clair : réservé à un proxy HTTPS sur cette machine ou aux tests"),
                }
                tracing::info!(address = %app.address(), db = %db.describe(), "listening");
                app.run_until(shutdown_signal())
                    .await
                    .map_err(|e| e.to_string())
            })
        }
        Command::Device(DeviceCommand::EnrollCode {
            name,
            kind,
            service,
            label,
            services,
            ttl_minutes,
            url,
        }) => {
            let kind = match kind {
                Kind::Agent => DeviceKind::Agent,
                Kind::Lead => DeviceKind::Lead,
                Kind::Counter => DeviceKind::Counter,
                Kind::Display => DeviceKind::Display,
                Kind::City => DeviceKind::City,
            };
            let post = Post {
                service,
                label,
                services,
            };
            let mut store = open()?;
            let advertised = store.invitation("").map_err(|e| e.to_string())?;
            let mut invitation = match (url, advertised) {
                (Some(url), advertised) => Invitation {
                    server: volant_protocol::origin(&url).map_err(|e| e.0)?,
                    code: String::new(),
                    fingerprint: advertised.and_then(|a| a.fingerprint),
                },
                (None, Some(advertised)) => advertised,
                (None, None) => {
                    return Err("adresse du serveur inconnue : lancer une première fois `volant-server serve` (il crée le certificat et note son adresse), ou donner --url".into());
                }
            };
            let code = store
                .create_enrollment_code(
                    mairie,
                    &name,
                    kind,
                    &post,
                    Duration::minutes(ttl_minutes),
                    now,
                )
                .map_err(|e| e.to_string())?;
            invitation.code = code.code;
            let page = match kind {
                DeviceKind::Counter => "guichet",
                DeviceKind::Display => "ecran",
                DeviceKind::Agent | DeviceKind::Lead | DeviceKind::City => "",
            };
            println!("{}", invitation.link(page));
            eprintln!(
                "Invitation pour « {} » ({}), valable jusqu'à {} : {}.",
                code.name,
                code.kind.as_str(),
                code.expires_at.format("%H:%M UTC"),
                if page.is_empty() {
                    "la coller dans les Réglages de la tablette"
                } else {
                    "l'ouvrir dans le navigateur du poste"
                }
            );
            Ok(())
        }
        Command::Device(DeviceCommand::List { json }) => {
            let devices = open()?.devices(mairie).map_err(|e| e.to_string())?;
            if json {
                println!(
                    "{}",
                    serde_json::to_string_pretty(&devices).map_err(|e| e.to_string())?
                );
            } else {
                println!(
                    "{:<38} {:<6} {:<3} {:<20} {:>8} {:>8} {:>11} {:>8}  nom",
                    "id",
                    "type",
                    "lettre",
                    "dernier contact",
                    "dern.seq",
                    "reçus",
                    "quarantaine",
                    "différés"
                );
                for d in devices {
                    let state = if d.revoked_at.is_some() {
                        " (révoqué)"
                    } else {
                        ""
                    };
                    println!(
                        "{:<38} {:<6} {:<3} {:<20} {:>8} {:>8} {:>11} {:>8}  {}{state}",
                        d.id,
                        d.kind,
                        d.tablet_letter,
                        d.last_contact_at
                            .as_deref()
                            .map_or("—", |t| &t[..t.len().min(19)]),
                        d.last_seq,
                        d.received,
                        d.quarantined,
                        d.deferred,
                        d.name
                    );
                }
            }
            Ok(())
        }
        Command::Device(DeviceCommand::Revoke { id }) => {
            open()?
                .revoke(mairie, &id, now)
                .map_err(|e| e.to_string())?;
            println!("Appareil {id} révoqué.");
            Ok(())
        }
        Command::Catalogue(CatalogueCommand::Import { file }) => {
            let catalogue = read_catalogue(&file)?;
            let write = open()?
                .import_catalogue(mairie, &catalogue)
                .map_err(|e| e.to_string())?;
            println!(
                "Catalogue : {} écritures, {} suppressions, version {}.",
                write.written, write.deleted, write.version
            );
            Ok(())
        }
        Command::Catalogue(CatalogueCommand::Compact) => {
            let deleted = open()?
                .compact_tombstones(mairie)
                .map_err(|e| e.to_string())?;
            println!("Catalogue compacté : {deleted} traces de suppression retirées.");
            Ok(())
        }
        Command::Retention(RetentionCommand::Run { days }) => {
            let report = open()?
                .run_retention(days, now)
                .map_err(|e| e.to_string())?;
            println!(
                "Conservation : détail gardé à partir du {}. {} jours agrégés, {} visites supprimées, {} cases d'agrégats.",
                report.kept_from.map(|d| d.to_string()).unwrap_or_default(),
                report.days,
                report.visits,
                report.cells
            );
            Ok(())
        }
        Command::Migrate { from, to } => {
            let (from, to) = (Database::parse(&from), Database::parse(&to));
            let copied =
                volant_server::store::copy_mairie(&from, &to, mairie).map_err(|e| e.to_string())?;
            for table in &copied {
                println!(
                    "{:<18} {:>8} lignes  sha256 {}",
                    table.table, table.rows, table.checksum
                );
            }
            println!(
                "Copié de {} vers la mairie n° {mairie} de {} : {} lignes, identiques des deux côtés. Les tablettes continuent sans réenrôlement (même certificat : --tls-cert/--tls-key).",
                from.describe(),
                to.describe(),
                copied.iter().map(|t| t.rows).sum::<usize>()
            );
            Ok(())
        }
        Command::Epoch(EpochCommand::Rotate) => {
            for (m, epoch) in open()?.rotate_epoch().map_err(|e| e.to_string())? {
                println!("{} (n° {}) : nouvelle époque {epoch}", m.name, m.id);
            }
            Ok(())
        }
        Command::Mairie(MairieCommand::Add { name, catalogue }) => {
            let catalogue = catalogue.as_ref().map(read_catalogue).transpose()?;
            let added = open()?
                .add_mairie(&name, catalogue.as_ref(), now)
                .map_err(|e| e.to_string())?;
            println!("{}", added.id);
            eprintln!(
                "Mairie « {} » ajoutée (n° {}) : ses appareils s'enrôlent avec `volant-server --mairie {} device enroll-code …`.",
                added.name, added.id, added.id
            );
            Ok(())
        }
        Command::Mairie(MairieCommand::List) => {
            println!("{:>4}  {:<26} nom", "n°", "créée le");
            for m in open()?.mairies().map_err(|e| e.to_string())? {
                println!(
                    "{:>4}  {:<26} {}",
                    m.id,
                    &m.created_at[..m.created_at.len().min(19)],
                    m.name
                );
            }
            Ok(())
        }
        Command::Mairie(MairieCommand::Rename { name }) => {
            let renamed = open()?
                .rename_mairie(mairie, &name)
                .map_err(|e| e.to_string())?;
            println!("Mairie n° {} : « {} ».", renamed.id, renamed.name);
            Ok(())
        }
    }
}

fn main() -> ExitCode {
    match run(Cli::parse()) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("volant-server : {e}");
            ExitCode::FAILURE
        }
    }
}
