//! Enrolment codes, devices, credentials and revocation.

use base64::Engine;
use chrono::{DateTime, Duration, Utc};
use rand::Rng;
use uuid::Uuid;
use volant_protocol::{DeviceKind, EnrollRequest, EnrollResponse, ErrorCode};

use super::{MairieId, Result, ServerStore, StoreError, db, sha256_hex};

/// Letters of enrolment codes: no 0/O, 1/I/L to misread.
const CODE_ALPHABET: &[u8] = b"ABCDEFGHJKMNPQRSTUVWXYZ23456789";

/// A freshly made enrolment code, shown once.
#[derive(Debug, Clone, serde::Serialize)]
pub struct EnrollmentCode {
    /// The code, e.g. `K7QM-2XPA`.
    pub code: String,
    /// The device name it will give.
    pub name: String,
    /// The device kind it will give.
    pub kind: DeviceKind,
    /// When it expires.
    pub expires_at: DateTime<Utc>,
}

/// Where a counter or a display works; empty for a tablet.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Post {
    /// A counter's service (a counter of the catalogue).
    pub service: Option<String>,
    /// A counter's label (« Guichet 3 — État civil »), or a display's room.
    pub label: Option<String>,
    /// The services whose calls a display shows.
    pub services: Vec<String>,
}

/// The device behind a valid credential.
#[derive(Debug, Clone)]
pub struct AuthenticatedDevice {
    /// Device id.
    pub id: String,
    /// Its mairie: everything it reads and writes is that mairie's.
    pub mairie: MairieId,
    /// What it may do.
    pub kind: DeviceKind,
    /// Its install.
    pub install_id: String,
    /// Where it works, for a counter or a display.
    pub post: Post,
}

/// A code as typed: upper case, without separators.
fn normalise_code(code: &str) -> String {
    code.chars()
        .filter(|c| c.is_ascii_alphanumeric())
        .map(|c| c.to_ascii_uppercase())
        .collect()
}

fn kind_of(text: &str) -> DeviceKind {
    DeviceKind::parse(text).unwrap_or(DeviceKind::Agent)
}

fn post_of(service: Option<String>, label: Option<String>, services: Option<&str>) -> Post {
    Post {
        service,
        label,
        services: services
            .and_then(|s| serde_json::from_str(s).ok())
            .unwrap_or_default(),
    }
}

fn invalid(message: impl Into<String>) -> StoreError {
    StoreError::refused(ErrorCode::InvalidField, message)
}

impl ServerStore {
    /// A counter's service or a display's services must be counters of the
    /// catalogue; a label is 1 to 60 characters; a tablet has no post.
    fn check_post(&self, mairie: MairieId, kind: DeviceKind, post: &Post) -> Result<()> {
        let label_ok = post
            .label
            .as_deref()
            .is_some_and(|l| !l.trim().is_empty() && l.chars().count() <= 60);
        let counter = |id: &str| -> Result<()> {
            if self.counter_service_name(mairie, id)?.is_none() {
                return Err(invalid(format!(
                    "« {id} » n'est pas un guichet de la mairie dans le catalogue"
                )));
            }
            Ok(())
        };
        match kind {
            DeviceKind::Agent | DeviceKind::Lead | DeviceKind::City => {
                if *post != Post::default() {
                    return Err(invalid(
                        "une tablette n'a ni service, ni libellé, ni services",
                    ));
                }
            }
            DeviceKind::Counter => {
                let service = post
                    .service
                    .as_deref()
                    .ok_or_else(|| invalid("un guichet a besoin de --service"))?;
                counter(service)?;
                if !label_ok || !post.services.is_empty() {
                    return Err(invalid(
                        "un guichet a besoin de --label (1 à 60 caractères, par exemple « Guichet 3 — État civil »)",
                    ));
                }
            }
            DeviceKind::Display => {
                if !label_ok || post.service.is_some() || post.services.is_empty() {
                    return Err(invalid(
                        "un écran d'appel a besoin de --label (la salle) et de --services (au moins un guichet)",
                    ));
                }
                post.services.iter().try_for_each(|s| counter(s))?;
            }
        }
        Ok(())
    }

    /// Makes a one-time enrolment code valid for `ttl`, for a device of
    /// `mairie` of `kind` working at `post` (a counter's or a display's; empty
    /// for a tablet).
    pub fn create_enrollment_code(
        &mut self,
        mairie: MairieId,
        name: &str,
        kind: DeviceKind,
        post: &Post,
        ttl: Duration,
        now: DateTime<Utc>,
    ) -> Result<EnrollmentCode> {
        let name = name.trim();
        if name.is_empty() || name.chars().count() > 60 {
            return Err(StoreError::refused(
                ErrorCode::InvalidField,
                "nom de l'appareil : 1 à 60 caractères",
            ));
        }
        self.mairie(mairie)?;
        self.check_post(mairie, kind, post)?;
        let mut rng = rand::rng();
        let raw: String = (0..8)
            .map(|_| char::from(CODE_ALPHABET[rng.random_range(0..CODE_ALPHABET.len())]))
            .collect();
        let expires_at = now + ttl;
        self.conn(mairie)?.code_insert(
            &sha256_hex(raw.as_bytes()),
            name,
            kind.as_str(),
            &db::PostRow {
                service_id: post.service.as_deref(),
                label: post.label.as_deref().map(str::trim),
                services: (!post.services.is_empty())
                    .then(|| serde_json::to_string(&post.services).unwrap_or_default()),
            },
            &now.to_rfc3339(),
            &expires_at.to_rfc3339(),
        )?;
        Ok(EnrollmentCode {
            code: format!("{}-{}", &raw[..4], &raw[4..]),
            name: name.to_owned(),
            kind,
            expires_at,
        })
    }

    /// Trades a valid tablet (or city) code for a device identity, a tablet
    /// letter and a credential.
    pub fn enroll(
        &mut self,
        request: &EnrollRequest,
        now: DateTime<Utc>,
    ) -> Result<EnrollResponse> {
        self.enroll_as(
            request,
            &[DeviceKind::Agent, DeviceKind::Lead, DeviceKind::City],
            "ce code est celui d'un guichet ou d'un écran d'appel : l'entrer sur ce poste, à l'adresse /guichet ou /ecran du serveur",
            now,
        )
    }

    /// Trades a valid counter or display code for a credential; the
    /// browser's install id is made here.
    pub fn enroll_screen(&mut self, code: &str, now: DateTime<Utc>) -> Result<EnrollResponse> {
        let request = EnrollRequest {
            code: code.to_owned(),
            install_id: Uuid::now_v7(),
            previous_token: None,
        };
        self.enroll_as(
            &request,
            &[DeviceKind::Counter, DeviceKind::Display],
            "ce code est celui d'une tablette : l'entrer dans les réglages de la tablette",
            now,
        )
    }

    /// Enrols with a code of one of `kinds`; a code of another kind is
    /// refused with `wrong_kind` and stays unused.
    fn enroll_as(
        &mut self,
        request: &EnrollRequest,
        kinds: &[DeviceKind],
        wrong_kind: &str,
        now: DateTime<Utc>,
    ) -> Result<EnrollResponse> {
        let unknown = || {
            StoreError::refused(
                ErrorCode::InvalidCode,
                "code d'enrôlement inconnu, déjà utilisé ou expiré",
            )
        };
        let hash = sha256_hex(normalise_code(&request.code).as_bytes());
        let mairie = self
            .conn(MairieId::NONE)?
            .code_mairie(&hash)?
            .ok_or_else(unknown)?;
        let epoch = self.epoch(mairie)?;
        let tx = self.begin(mairie)?;
        let code = tx
            .code_consume(&hash, &now.to_rfc3339())?
            .ok_or_else(unknown)?;
        let install = request.install_id.to_string();
        let kind = kind_of(&code.kind);
        if !kinds.contains(&kind) {
            // Dropping the transaction rolls back: the code stays usable where it belongs.
            return Err(StoreError::refused(ErrorCode::InvalidCode, wrong_kind));
        }
        if tx.install_enrolled(&install)? {
            let holder = match &request.previous_token {
                Some(t) => tx.device_by_token(&sha256_hex(t.as_bytes()))?,
                None => None,
            };
            let Some(device) = holder.filter(|d| {
                d.install_id == install
                    && d.mairie_id == mairie
                    && d.revoked_at.is_none()
                    && kind_of(&d.kind) == kind
            }) else {
                return Err(StoreError::refused(
                    ErrorCode::SeqConflict,
                    "cette installation est déjà enrôlée",
                ));
            };
            let token = new_token();
            tx.device_set_token(&device.id, &sha256_hex(token.as_bytes()))?;
            tx.commit()?;
            return Ok(EnrollResponse {
                device_id: Uuid::parse_str(&device.id).map_err(|_| {
                    StoreError::refused(ErrorCode::Unavailable, "identifiant d'appareil illisible")
                })?,
                name: device.name,
                token,
                kind,
                tablet_letter: device
                    .tablet_letter
                    .chars()
                    .next()
                    .filter(|_| kind.is_tablet()),
                epoch,
            });
        }
        // Only tablets issue tickets, so only they take one of the 26 letters.
        let letter = if kind.is_tablet() {
            let taken = tx.letters_in_use()?;
            let Some(letter) = ('A'..='Z').find(|l| !taken.iter().any(|t| t.starts_with(*l)))
            else {
                return Err(StoreError::refused(
                    ErrorCode::Forbidden,
                    "plus de lettre de tablette libre : révoquer un appareil",
                ));
            };
            Some(letter)
        } else {
            None
        };
        let token = new_token();
        let device_id = Uuid::now_v7();
        tx.device_insert(
            &device_id.to_string(),
            &code,
            &sha256_hex(token.as_bytes()),
            &install,
            &letter.map(String::from).unwrap_or_default(),
            &now.to_rfc3339(),
        )?;
        tx.commit()?;
        Ok(EnrollResponse {
            device_id,
            name: code.name,
            token,
            kind,
            tablet_letter: letter,
            epoch,
        })
    }

    /// The device holding `token`: unknown → 401, revoked → 403.
    pub fn authenticate(&self, token: &str) -> Result<AuthenticatedDevice> {
        match self
            .conn(MairieId::NONE)?
            .device_by_token(&sha256_hex(token.as_bytes()))?
        {
            None => Err(StoreError::refused(
                ErrorCode::Unauthenticated,
                "identifiant d'appareil inconnu",
            )),
            Some(d) if d.revoked_at.is_some() => Err(StoreError::refused(
                ErrorCode::Revoked,
                "cet appareil a été révoqué",
            )),
            Some(d) => Ok(AuthenticatedDevice {
                kind: kind_of(&d.kind),
                post: post_of(d.service_id, d.label, d.services.as_deref()),
                id: d.id,
                mairie: d.mairie_id,
                install_id: d.install_id,
            }),
        }
    }

    /// Records an authenticated contact.
    pub fn touch(&self, device: &AuthenticatedDevice, now: DateTime<Utc>) -> Result<()> {
        Ok(self
            .conn(device.mairie)?
            .device_touch(&device.id, &now.to_rfc3339())?)
    }

    /// Every device of a mairie.
    pub fn devices(&self, mairie: MairieId) -> Result<Vec<db::DeviceRow>> {
        Ok(self.conn(mairie)?.devices()?)
    }

    /// One device of a mairie.
    pub fn device(&self, mairie: MairieId, id: &str) -> Result<db::DeviceRow> {
        self.conn(mairie)?.device_get(id)?.ok_or_else(|| {
            StoreError::refused(ErrorCode::NotFound, format!("appareil « {id} » inconnu"))
        })
    }

    /// Revokes a device: its credential stops working; what it sent stays.
    pub fn revoke(&mut self, mairie: MairieId, id: &str, now: DateTime<Utc>) -> Result<()> {
        if self.conn(mairie)?.device_revoke(id, &now.to_rfc3339())? {
            Ok(())
        } else {
            Err(StoreError::refused(
                ErrorCode::NotFound,
                format!("appareil « {id} » inconnu"),
            ))
        }
    }
}

/// A fresh device credential: 32 random bytes, base64url.
fn new_token() -> String {
    let mut secret = [0u8; 32];
    rand::rng().fill(&mut secret);
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(secret)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn store() -> (tempfile::TempDir, ServerStore) {
        let dir = tempfile::tempdir().expect("dir");
        let s = ServerStore::open(&dir.path().join("s.sqlite3").as_path().into(), Utc::now())
            .expect("open");
        (dir, s)
    }

    #[test]
    fn a_code_works_once_before_it_expires_and_letters_are_unique() {
        let (_dir, mut s) = store();
        let now = Utc::now();
        let code = s
            .create_enrollment_code(
                MairieId::FIRST,
                "Tablette hall",
                DeviceKind::Agent,
                &Post::default(),
                Duration::minutes(15),
                now,
            )
            .expect("code");
        let request = EnrollRequest {
            code: code.code.to_lowercase(),
            install_id: Uuid::now_v7(),
            previous_token: None,
        };
        let first = s.enroll(&request, now).expect("enrol");
        assert_eq!(first.tablet_letter, Some('A'));
        assert!(
            s.enroll(
                &EnrollRequest {
                    install_id: Uuid::now_v7(),
                    ..request
                },
                now
            )
            .is_err(),
            "one use only"
        );
        let late = s
            .create_enrollment_code(
                MairieId::FIRST,
                "Tablette 2",
                DeviceKind::Agent,
                &Post::default(),
                Duration::minutes(15),
                now,
            )
            .expect("code");
        let expired = s.enroll(
            &EnrollRequest {
                code: late.code.clone(),
                install_id: Uuid::now_v7(),
                previous_token: None,
            },
            now + Duration::minutes(16),
        );
        assert!(expired.is_err(), "expired");
        let second = s
            .enroll(
                &EnrollRequest {
                    code: late.code,
                    install_id: Uuid::now_v7(),
                    previous_token: None,
                },
                now,
            )
            .expect("enrol");
        assert_eq!(second.tablet_letter, Some('B'));
        let device = s.authenticate(&second.token).expect("auth");
        s.revoke(device.mairie, &device.id, now).expect("revoke");
        assert!(
            matches!(s.authenticate(&second.token), Err(StoreError::Refused(e)) if e.code == ErrorCode::Revoked)
        );
        assert!(
            matches!(s.authenticate("forged"), Err(StoreError::Refused(e)) if e.code == ErrorCode::Unauthenticated)
        );
    }
}
