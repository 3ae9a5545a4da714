//! The server's TLS identity: the certificate the city provides, or one
//! generated on first start (rcgen) and kept beside the database. Devices pin
//! the SHA-256 fingerprint of its certificate.
//!
//! Architecture invariant: plain HTTP is served only on a loopback address
//! (`--plain-http`, for a reverse proxy on the same host or a test).

use std::path::{Path, PathBuf};
use std::sync::Arc;

use chrono::{DateTime, Datelike, Utc};
use rustls::pki_types::pem::PemObject;
use rustls::pki_types::{CertificateDer, PrivateKeyDer};
use sha2::{Digest, Sha256};
use volant_protocol::Fingerprint;

/// Why the certificate could not be loaded or made.
#[derive(Debug, thiserror::Error)]
pub enum TlsError {
    /// A file could not be read or written.
    #[error("{0} : {1}")]
    File(PathBuf, String),
    /// The certificate or key is unusable.
    #[error("certificat inutilisable : {0}")]
    Invalid(String),
    /// A generated certificate was asked of a server without a database file
    /// to keep it beside (PostgreSQL: every instance must serve the same one).
    #[error(
        "sur PostgreSQL, donner le certificat de la Ville (--tls-cert, --tls-key), le même pour chaque instance"
    )]
    NoGeneratedOnPostgres,
}

/// How the server speaks on its address.
#[derive(Debug, Clone)]
pub enum Transport {
    /// HTTPS with the certificate kept beside the database file (made on
    /// first start); not on PostgreSQL.
    SelfSigned,
    /// HTTPS with these PEM files (`--tls-cert`, `--tls-key`).
    Files {
        /// The certificate chain, leaf first.
        cert: PathBuf,
        /// Its private key.
        key: PathBuf,
    },
    /// Plain HTTP (`--plain-http`): loopback addresses only.
    Plain,
}

/// A certificate chain with its key.
pub struct Identity {
    chain: Vec<CertificateDer<'static>>,
    key: PrivateKeyDer<'static>,
}

impl std::fmt::Debug for Identity {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Identity({})", self.fingerprint())
    }
}

/// Where the generated certificate and key of a database are kept.
pub fn generated_files(db: &Path) -> (PathBuf, PathBuf) {
    let stem = db.with_extension("");
    (
        stem.with_extension("cert.pem"),
        stem.with_extension("key.pem"),
    )
}

impl Identity {
    /// The identity for `transport` (none for plain HTTP); a missing generated
    /// certificate is made for `names` (hosts and addresses it answers for).
    pub fn for_transport(
        transport: &Transport,
        db: Option<&Path>,
        names: &[String],
        now: DateTime<Utc>,
    ) -> Result<Option<Identity>, TlsError> {
        match transport {
            Transport::Plain => Ok(None),
            Transport::Files { cert, key } => Identity::load(cert, key).map(Some),
            Transport::SelfSigned => {
                let (cert, key) = generated_files(db.ok_or(TlsError::NoGeneratedOnPostgres)?);
                if !cert.exists() {
                    generate(names, now, 10)?.write(&cert, &key)?;
                }
                Identity::load(&cert, &key).map(Some)
            }
        }
    }

    /// Reads a PEM certificate chain and its PEM key.
    pub fn load(cert: &Path, key: &Path) -> Result<Identity, TlsError> {
        let chain = CertificateDer::pem_file_iter(cert)
            .and_then(|certs| certs.collect::<Result<Vec<_>, _>>())
            .map_err(|e| TlsError::File(cert.to_owned(), e.to_string()))?;
        if chain.is_empty() {
            return Err(TlsError::File(cert.to_owned(), "aucun certificat".into()));
        }
        let key = PrivateKeyDer::from_pem_file(key)
            .map_err(|e| TlsError::File(key.to_owned(), e.to_string()))?;
        Ok(Identity { chain, key })
    }

    /// The SHA-256 of the leaf certificate, what devices pin.
    pub fn fingerprint(&self) -> Fingerprint {
        Fingerprint(Sha256::digest(&self.chain[0]).into())
    }

    /// The base64 SHA-256 of the leaf's public key, which a kiosk browser
    /// pins with `--ignore-certificate-errors-spki-list`.
    pub fn spki_sha256(&self) -> Result<String, TlsError> {
        use base64::Engine as _;
        let leaf = webpki::EndEntityCert::try_from(&self.chain[0])
            .map_err(|e| TlsError::Invalid(e.to_string()))?;
        let spki = leaf.subject_public_key_info();
        Ok(base64::engine::general_purpose::STANDARD.encode(Sha256::digest(spki.as_ref())))
    }

    /// The rustls configuration serving this identity (HTTP/2 and HTTP/1.1).
    pub fn server_config(&self) -> Result<Arc<rustls::ServerConfig>, TlsError> {
        let provider = Arc::new(rustls::crypto::ring::default_provider());
        let mut config = rustls::ServerConfig::builder_with_provider(provider)
            .with_safe_default_protocol_versions()
            .map_err(|e| TlsError::Invalid(e.to_string()))?
            .with_no_client_auth()
            .with_single_cert(self.chain.clone(), self.key.clone_key())
            .map_err(|e| TlsError::Invalid(e.to_string()))?;
        config.alpn_protocols = vec![b"h2".to_vec(), b"http/1.1".to_vec()];
        Ok(Arc::new(config))
    }
}

/// A generated certificate and its key, as PEM.
pub struct Generated {
    /// The certificate.
    pub cert: String,
    /// Its private key.
    pub key: String,
}

impl Generated {
    /// Writes both files (the key readable by its owner only).
    pub fn write(&self, cert: &Path, key: &Path) -> Result<(), TlsError> {
        std::fs::write(cert, &self.cert)
            .map_err(|e| TlsError::File(cert.to_owned(), e.to_string()))?;
        write_private(key, self.key.as_bytes())
    }
}

/// A self-signed certificate for `names`, valid from the start of this year
/// for `years` years (negative: already expired, for tests).
pub fn generate(names: &[String], now: DateTime<Utc>, years: i32) -> Result<Generated, TlsError> {
    let invalid = |e: rcgen::Error| TlsError::Invalid(e.to_string());
    let mut params = rcgen::CertificateParams::new(names.to_vec()).map_err(invalid)?;
    params
        .distinguished_name
        .push(rcgen::DnType::CommonName, "Volant — serveur de la mairie");
    let (from, to) = if years >= 0 {
        (now.year(), now.year() + years)
    } else {
        (now.year() + years - 1, now.year() + years)
    };
    params.not_before = rcgen::date_time_ymd(from, 1, 1);
    params.not_after = rcgen::date_time_ymd(to, 1, 1);
    let key = rcgen::KeyPair::generate().map_err(invalid)?;
    let cert = params.self_signed(&key).map_err(invalid)?;
    Ok(Generated {
        cert: cert.pem(),
        key: key.serialize_pem(),
    })
}

#[cfg(unix)]
fn write_private(path: &Path, bytes: &[u8]) -> Result<(), TlsError> {
    use std::io::Write as _;
    use std::os::unix::fs::OpenOptionsExt as _;
    std::fs::OpenOptions::new()
        .write(true)
        .create(true)
        .truncate(true)
        .mode(0o600)
        .open(path)
        .and_then(|mut f| f.write_all(bytes))
        .map_err(|e| TlsError::File(path.to_owned(), e.to_string()))
}

#[cfg(not(unix))]
fn write_private(path: &Path, bytes: &[u8]) -> Result<(), TlsError> {
    std::fs::write(path, bytes).map_err(|e| TlsError::File(path.to_owned(), e.to_string()))
}

/// This machine's name, when it has one.
pub fn hostname() -> Option<String> {
    let host = std::fs::read_to_string("/proc/sys/kernel/hostname").ok()?;
    let host = host.trim();
    (!host.is_empty()).then(|| host.to_owned())
}

/// The names a generated certificate answers for: loopback, this host, and
/// the listen address when it is a specific one.
pub fn default_names(listen: std::net::SocketAddr) -> Vec<String> {
    let mut names = vec![
        "localhost".to_owned(),
        "127.0.0.1".to_owned(),
        "::1".to_owned(),
    ];
    names.extend(hostname());
    let ip = listen.ip();
    if !ip.is_unspecified() && !ip.is_loopback() {
        names.push(ip.to_string());
    }
    names
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_generated_identity_survives_its_files_and_keeps_its_fingerprint() {
        let dir = tempfile::tempdir().expect("dir");
        let db = dir.path().join("volant-server.sqlite3");
        let now = Utc::now();
        let first = Identity::for_transport(
            &Transport::SelfSigned,
            Some(&db),
            &default_names("127.0.0.1:0".parse().expect("addr")),
            now,
        )
        .expect("made")
        .expect("tls");
        let again = Identity::for_transport(&Transport::SelfSigned, Some(&db), &[], now)
            .expect("read")
            .expect("tls");
        assert_eq!(first.fingerprint(), again.fingerprint());
        assert!(first.server_config().is_ok());
        assert_eq!(first.spki_sha256().expect("spki").len(), 44);
        let (_, key) = generated_files(&db);
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt as _;
            let mode = std::fs::metadata(key).expect("key").permissions().mode();
            assert_eq!(mode & 0o077, 0, "the key is readable by its owner only");
        }
    }

    #[test]
    fn unreadable_files_are_a_clear_error() {
        let dir = tempfile::tempdir().expect("dir");
        let cert = dir.path().join("cert.pem");
        std::fs::write(&cert, "pas un certificat").expect("write");
        let error = Identity::load(&cert, &dir.path().join("key.pem")).expect_err("refused");
        assert!(error.to_string().contains("cert.pem"), "{error}");
    }
}
