//! Whom the client talks to: the certificate pinned at enrolment, or one the
//! system's authorities (and Mozilla's) vouch for; never plain HTTP beyond
//! this machine.
//!
//! Architecture invariant: a pinned certificate that does not match, or is
//! past its dates, ends the handshake before any request byte is sent.

use std::net::IpAddr;
use std::sync::{Arc, OnceLock};

use rustls::client::WebPkiServerVerifier;
use rustls::client::danger::{HandshakeSignatureValid, ServerCertVerified, ServerCertVerifier};
use rustls::crypto::CryptoProvider;
use rustls::pki_types::{CertificateDer, ServerName, UnixTime};
use rustls::{CertificateError, DigitallySignedStruct, RootCertStore, SignatureScheme};
use sha2::{Digest, Sha256};
use volant_protocol::Fingerprint;

/// What was wrong with the server's certificate.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CertificateProblem {
    /// Not the certificate this device was enrolled with.
    Changed,
    /// The pinned certificate is past (or before) its validity dates.
    Expired,
    /// Not pinned and not vouched for by any authority.
    Untrusted,
}

impl CertificateProblem {
    /// What the greeter reads.
    pub fn message(self) -> &'static str {
        match self {
            CertificateProblem::Changed => {
                "le certificat du serveur a changé : réenrôler la tablette"
            }
            CertificateProblem::Expired => {
                "le certificat du serveur a expiré : prévenir l'informatique de la mairie"
            }
            CertificateProblem::Untrusted => {
                "certificat du serveur inconnu : utiliser l'invitation complète (…&sha256=…)"
            }
        }
    }
}

/// Whether an address may be spoken to in plain HTTP: loopback only.
pub fn plain_allowed(host: &str) -> bool {
    let host = host.trim_start_matches('[').trim_end_matches(']');
    host.eq_ignore_ascii_case("localhost")
        || host.parse::<IpAddr>().is_ok_and(|ip| ip.is_loopback())
}

fn provider() -> Arc<CryptoProvider> {
    static PROVIDER: OnceLock<Arc<CryptoProvider>> = OnceLock::new();
    Arc::clone(PROVIDER.get_or_init(|| Arc::new(rustls::crypto::ring::default_provider())))
}

/// The authorities: the system's, then Mozilla's bundled ones.
fn roots() -> Arc<RootCertStore> {
    static ROOTS: OnceLock<Arc<RootCertStore>> = OnceLock::new();
    Arc::clone(ROOTS.get_or_init(|| {
        let mut roots = RootCertStore::empty();
        roots.extend(webpki_roots::TLS_SERVER_ROOTS.iter().cloned());
        for cert in rustls_native_certs::load_native_certs().certs {
            let _ = roots.add(cert);
        }
        Arc::new(roots)
    }))
}

/// The rustls configuration of a client pinned to `pin` (or trusting the
/// authorities only).
pub fn client_config(pin: Option<Fingerprint>) -> Result<rustls::ClientConfig, String> {
    let public = WebPkiServerVerifier::builder_with_provider(roots(), provider())
        .build()
        .map_err(|e| e.to_string())?;
    let verifier = Arc::new(PinnedVerifier { pin, public });
    let mut config = rustls::ClientConfig::builder_with_provider(provider())
        .with_safe_default_protocol_versions()
        .map_err(|e| e.to_string())?
        .dangerous()
        .with_custom_certificate_verifier(verifier)
        .with_no_client_auth();
    // HTTP/1.1 only: the client is built without HTTP/2 (a server that
    // chose h2 would otherwise be spoken to in a protocol it cannot).
    config.alpn_protocols = vec![b"http/1.1".to_vec()];
    Ok(config)
}

/// Accepts the pinned certificate within its dates, or one the authorities
/// vouch for under the server's name.
#[derive(Debug)]
struct PinnedVerifier {
    pin: Option<Fingerprint>,
    public: Arc<WebPkiServerVerifier>,
}

/// The rustls error a problem travels in, to be recognised by [`problem_of`].
fn error_of(problem: CertificateProblem) -> rustls::Error {
    rustls::Error::InvalidCertificate(match problem {
        CertificateProblem::Changed => CertificateError::ApplicationVerificationFailure,
        CertificateProblem::Expired => CertificateError::Expired,
        CertificateProblem::Untrusted => CertificateError::UnknownIssuer,
    })
}

impl ServerCertVerifier for PinnedVerifier {
    fn verify_server_cert(
        &self,
        end_entity: &CertificateDer<'_>,
        intermediates: &[CertificateDer<'_>],
        server_name: &ServerName<'_>,
        ocsp: &[u8],
        now: UnixTime,
    ) -> Result<ServerCertVerified, rustls::Error> {
        let vouched =
            self.public
                .verify_server_cert(end_entity, intermediates, server_name, ocsp, now);
        let Some(pin) = self.pin else {
            return vouched.map_err(|e| match e {
                rustls::Error::InvalidCertificate(
                    CertificateError::Expired | CertificateError::ExpiredContext { .. },
                ) => error_of(CertificateProblem::Expired),
                _ => error_of(CertificateProblem::Untrusted),
            });
        };
        if Fingerprint(Sha256::digest(end_entity).into()) != pin {
            // A city certificate renewed by a public authority still passes.
            return vouched.map_err(|_| error_of(CertificateProblem::Changed));
        }
        within_dates(end_entity, intermediates, now)?;
        Ok(ServerCertVerified::assertion())
    }

    fn verify_tls12_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        rustls::crypto::verify_tls12_signature(
            message,
            cert,
            dss,
            &provider().signature_verification_algorithms,
        )
    }

    fn verify_tls13_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        rustls::crypto::verify_tls13_signature(
            message,
            cert,
            dss,
            &provider().signature_verification_algorithms,
        )
    }

    fn supported_verify_schemes(&self) -> Vec<SignatureScheme> {
        provider()
            .signature_verification_algorithms
            .supported_schemes()
    }
}

/// The pinned leaf's dates, checked by walking the chain the server sent up
/// to its last certificate (the leaf itself when self-signed). The pin, not
/// the chain, is what is trusted; a chain that does not close is not an error.
fn within_dates(
    end_entity: &CertificateDer<'_>,
    intermediates: &[CertificateDer<'_>],
    now: UnixTime,
) -> Result<(), rustls::Error> {
    let top = intermediates.last().unwrap_or(end_entity);
    let anchor =
        webpki::anchor_from_trusted_cert(top).map_err(|_| error_of(CertificateProblem::Changed))?;
    let leaf = webpki::EndEntityCert::try_from(end_entity)
        .map_err(|_| error_of(CertificateProblem::Changed))?;
    let rest = intermediates.split_last().map_or(&[][..], |(_, rest)| rest);
    match leaf.verify_for_usage(
        provider().signature_verification_algorithms.all,
        &[anchor],
        rest,
        now,
        webpki::KeyUsage::server_auth(),
        None,
        None,
    ) {
        Err(webpki::Error::CertExpired { .. } | webpki::Error::CertNotValidYet { .. }) => {
            Err(error_of(CertificateProblem::Expired))
        }
        _ => Ok(()),
    }
}

/// The certificate problem behind a failed request, if that is what it was.
pub fn problem_of(error: &(dyn std::error::Error + 'static)) -> Option<CertificateProblem> {
    let mut next = Some(error);
    while let Some(error) = next {
        if let Some(rustls::Error::InvalidCertificate(e)) = error.downcast_ref::<rustls::Error>() {
            return Some(match e {
                CertificateError::ApplicationVerificationFailure => CertificateProblem::Changed,
                CertificateError::Expired | CertificateError::ExpiredContext { .. } => {
                    CertificateProblem::Expired
                }
                _ => CertificateProblem::Untrusted,
            });
        }
        // An io::Error's source() skips the error it wraps: look inside.
        next = match error
            .downcast_ref::<std::io::Error>()
            .and_then(|io| io.get_ref())
        {
            Some(inner) => Some(inner as &(dyn std::error::Error + 'static)),
            None => error.source(),
        };
    }
    None
}
