//! What `volant-server device enroll-code` prints and a device is enrolled
//! with: the server's address, its certificate's SHA-256 fingerprint and the
//! one-time code, as one link — `https://10.0.0.2:8719/#code=K7QX-M2PD&sha256=…`
//! (`/guichet#…` or `/ecran#…` for a screen, whose browser opens it).
//!
//! The fragment never reaches the server. Without `sha256` the device trusts
//! only a certificate the system's authorities vouch for (a city certificate).

use std::fmt;

/// The SHA-256 of a server certificate (DER), the identity a device pins.
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub struct Fingerprint(pub [u8; 32]);

impl Fingerprint {
    /// Reads 64 hexadecimal digits, with or without the colons `openssl
    /// x509 -fingerprint -sha256` prints.
    pub fn parse(text: &str) -> Result<Fingerprint, InvitationError> {
        let digits: Vec<u8> = text.bytes().filter(|b| !matches!(b, b':' | b' ')).collect();
        let bad = || {
            InvitationError(
                "empreinte du certificat illisible (64 chiffres hexadécimaux attendus)".into(),
            )
        };
        if digits.len() != 64 {
            return Err(bad());
        }
        let mut bytes = [0u8; 32];
        for (i, pair) in digits.chunks(2).enumerate() {
            let hex = std::str::from_utf8(pair).map_err(|_| bad())?;
            bytes[i] = u8::from_str_radix(hex, 16).map_err(|_| bad())?;
        }
        Ok(Fingerprint(bytes))
    }
}

impl fmt::Display for Fingerprint {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.iter().try_for_each(|b| write!(f, "{b:02x}"))
    }
}

impl fmt::Debug for Fingerprint {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Fingerprint({self})")
    }
}

impl serde::Serialize for Fingerprint {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> serde::Deserialize<'de> for Fingerprint {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Fingerprint, D::Error> {
        let text = String::deserialize(d)?;
        Fingerprint::parse(&text).map_err(serde::de::Error::custom)
    }
}

/// Why an invitation cannot be read, in French.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct InvitationError(pub String);

/// A one-time invitation to enrol a device with one server.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Invitation {
    /// The server's origin, e.g. `https://10.0.0.2:8719`.
    pub server: String,
    /// The one-time code.
    pub code: String,
    /// The certificate to pin; `None`: trust the system's authorities.
    pub fingerprint: Option<Fingerprint>,
}

impl Invitation {
    /// Reads the printed link. Only its origin is kept of the address part.
    pub fn parse(text: &str) -> Result<Invitation, InvitationError> {
        let text = text.trim();
        let (address, fragment) = text.split_once('#').ok_or_else(|| {
            InvitationError("invitation incomplète : recopier toute la ligne donnée par l'informatique (adresse#code=…)".into())
        })?;
        let server = origin(address)?;
        let mut code = None;
        let mut fingerprint = None;
        for pair in fragment.split('&').filter(|p| !p.is_empty()) {
            match pair.split_once('=') {
                Some(("code", value)) if !value.trim().is_empty() => {
                    code = Some(value.trim().to_owned())
                }
                Some(("sha256", value)) => fingerprint = Some(Fingerprint::parse(value)?),
                _ => {
                    return Err(InvitationError(format!(
                        "invitation illisible : « {pair} » inattendu"
                    )));
                }
            }
        }
        let code =
            code.ok_or_else(|| InvitationError("invitation sans code d'enrôlement".into()))?;
        Ok(Invitation {
            server,
            code,
            fingerprint,
        })
    }

    /// The link to open for `page` (`""` for a tablet, `guichet`, `ecran`).
    pub fn link(&self, page: &str) -> String {
        let mut link = format!("{}/{page}#code={}", self.server, self.code);
        if let Some(fingerprint) = &self.fingerprint {
            link.push_str(&format!("&sha256={fingerprint}"));
        }
        link
    }
}

/// `scheme://host[:port]` of an address, which must be `https://` or `http://`.
pub fn origin(address: &str) -> Result<String, InvitationError> {
    let address = address.trim();
    let (scheme, rest) = address
        .split_once("://")
        .ok_or_else(|| InvitationError(format!("adresse du serveur illisible : « {address} »")))?;
    let scheme = scheme.to_ascii_lowercase();
    if scheme != "https" && scheme != "http" {
        return Err(InvitationError(format!(
            "adresse du serveur illisible : « {address} » (https://… attendu)"
        )));
    }
    let authority = rest.split(['/', '?']).next().unwrap_or_default();
    if authority.is_empty() || authority.contains('@') {
        return Err(InvitationError(format!(
            "adresse du serveur illisible : « {address} »"
        )));
    }
    Ok(format!("{scheme}://{authority}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    const HEX: &str = "3fa1000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d";

    #[test]
    fn an_invitation_reads_back_what_it_prints() {
        let invitation = Invitation {
            server: "https://10.0.0.2:8719".into(),
            code: "K7QX-M2PD".into(),
            fingerprint: Some(Fingerprint::parse(HEX).expect("hex")),
        };
        let link = invitation.link("guichet");
        assert_eq!(
            link,
            format!("https://10.0.0.2:8719/guichet#code=K7QX-M2PD&sha256={HEX}")
        );
        assert_eq!(Invitation::parse(&link), Ok(invitation));
    }

    #[test]
    fn openssl_colons_and_upper_case_are_read() {
        let colons = HEX
            .as_bytes()
            .chunks(2)
            .map(|p| std::str::from_utf8(p).unwrap_or_default().to_uppercase())
            .collect::<Vec<_>>()
            .join(":");
        assert_eq!(Fingerprint::parse(&colons), Fingerprint::parse(HEX));
    }

    #[test]
    fn incomplete_or_foreign_invitations_are_refused() {
        for text in [
            "https://10.0.0.2:8719",
            "https://10.0.0.2:8719/#sha256=00",
            "ftp://10.0.0.2/#code=A",
            "https://10.0.0.2:8719/#code=A&sha256=zz",
            "https://10.0.0.2:8719/#code=A&pin=1",
            "https://user@10.0.0.2/#code=A",
        ] {
            assert!(Invitation::parse(text).is_err(), "{text}");
        }
        let plain = Invitation::parse(" http://127.0.0.1:8719/ecran?x#code=AB12 ").expect("plain");
        assert_eq!(plain.server, "http://127.0.0.1:8719");
        assert_eq!(plain.fingerprint, None);
    }
}
