//! The hall's receipt printer: the visitor's slip, drawn by the UI as a 1-bit
//! raster (so any script prints, the ticket code large), sent as ESC/POS over
//! TCP to port 9100 of a printer on the hall's network — the kind mairies
//! already have at their counters. The slip holds nothing about the person.

use std::fmt;
use std::net::{IpAddr, SocketAddr};
use std::time::Duration;

use serde::{Deserialize, Serialize};
use tokio::io::AsyncWriteExt;

/// The port receipt printers listen on for raw jobs.
pub const DEFAULT_PORT: u16 = 9100;
/// The widest slip, in dots: 80 mm paper at 203 dpi.
pub const MAX_WIDTH_DOTS: u16 = 576;
/// The tallest slip, in dots (about 50 cm).
pub const MAX_HEIGHT_DOTS: u16 = 4000;
/// How long a print may take, connection included.
const TIMEOUT: Duration = Duration::from_secs(5);

/// A printer's address on the hall's network: `IP` or `IP:port`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(type = "string"))]
pub struct PrinterAddress(SocketAddr);

impl TryFrom<String> for PrinterAddress {
    type Error = PrintError;

    fn try_from(text: String) -> Result<Self, PrintError> {
        let text = text.trim();
        let address = match text.parse::<SocketAddr>() {
            Ok(address) => address,
            Err(_) => text
                .parse::<IpAddr>()
                .map(|ip| SocketAddr::new(ip, DEFAULT_PORT))
                .map_err(|_| PrintError::Address(text.to_owned()))?,
        };
        if address.port() == 0 || address.ip().is_unspecified() {
            return Err(PrintError::Address(text.to_owned()));
        }
        Ok(PrinterAddress(address))
    }
}

impl From<PrinterAddress> for String {
    fn from(a: PrinterAddress) -> String {
        a.to_string()
    }
}

impl fmt::Display for PrinterAddress {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.fmt(f)
    }
}

/// A slip as the UI drew it: `height` rows of `width_bytes` bytes, eight dots
/// a byte, the leftmost dot in the most significant bit, 1 for black.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Raster {
    /// Bytes per row.
    pub width_bytes: u16,
    /// Rows.
    pub height: u16,
    /// The rows, one after the other.
    pub dots: Vec<u8>,
}

/// Why a slip was not printed. Messages are in French: the agent reads them.
#[derive(Debug, thiserror::Error)]
pub enum PrintError {
    /// No printer in the settings.
    #[error("aucune imprimante de tickets n'est réglée (Réglages)")]
    NotConfigured,
    /// Not an address.
    #[error(
        "« {0} » n'est pas l'adresse d'une imprimante (IP ou IP:port, par exemple 192.168.1.50:9100)"
    )]
    Address(String),
    /// A raster of the wrong size.
    #[error("ticket illisible : {0}")]
    Raster(&'static str),
    /// The printer did not take the job.
    #[error("l'imprimante {0} ne répond pas : {1}")]
    Unreachable(PrinterAddress, String),
}

impl From<&PrintError> for crate::ErrorBody {
    fn from(e: &PrintError) -> Self {
        crate::ErrorBody {
            code: match e {
                PrintError::NotConfigured => "printer_not_configured",
                PrintError::Address(_) | PrintError::Raster(_) => "invalid",
                PrintError::Unreachable(..) => "printer_unreachable",
            }
            .to_owned(),
            message: e.to_string(),
        }
    }
}

/// The ESC/POS job of a slip: initialise, the raster (`GS v 0`), feed, cut.
pub fn escpos(slip: &Raster) -> Result<Vec<u8>, PrintError> {
    if slip.width_bytes == 0 || slip.width_bytes > MAX_WIDTH_DOTS / 8 {
        return Err(PrintError::Raster("largeur hors du papier"));
    }
    if slip.height == 0 || slip.height > MAX_HEIGHT_DOTS {
        return Err(PrintError::Raster("hauteur hors limites"));
    }
    if slip.dots.len() != usize::from(slip.width_bytes) * usize::from(slip.height) {
        return Err(PrintError::Raster("taille des données incohérente"));
    }
    let [wl, wh] = slip.width_bytes.to_le_bytes();
    let [hl, hh] = slip.height.to_le_bytes();
    let mut job = Vec::with_capacity(slip.dots.len() + 16);
    job.extend_from_slice(&[0x1b, b'@']);
    job.extend_from_slice(&[0x1d, b'v', b'0', 0, wl, wh, hl, hh]);
    job.extend_from_slice(&slip.dots);
    job.extend_from_slice(&[0x1b, b'd', 4]);
    job.extend_from_slice(&[0x1d, b'V', 66, 0]);
    Ok(job)
}

/// Prints `slip` on the printer of the settings, within a few seconds.
pub async fn print(printer: Option<PrinterAddress>, slip: &Raster) -> Result<(), PrintError> {
    let printer = printer.ok_or(PrintError::NotConfigured)?;
    let job = escpos(slip)?;
    let unreachable = |e: std::io::Error| PrintError::Unreachable(printer, e.to_string());
    let send = async {
        let mut connection = tokio::net::TcpStream::connect(printer.0)
            .await
            .map_err(unreachable)?;
        connection.write_all(&job).await.map_err(unreachable)?;
        connection.shutdown().await.map_err(unreachable)
    };
    tokio::time::timeout(TIMEOUT, send)
        .await
        .map_err(|_| PrintError::Unreachable(printer, "délai dépassé".into()))?
}

#[cfg(test)]
mod tests {
    use super::*;
    use tokio::io::AsyncReadExt;

    fn slip() -> Raster {
        // Two rows of 16 dots: a black bar on the left, then on the right.
        Raster {
            width_bytes: 2,
            height: 2,
            dots: vec![0xff, 0x00, 0x00, 0xff],
        }
    }

    #[test]
    fn addresses_take_a_default_port_and_refuse_the_rest() {
        let a = PrinterAddress::try_from("192.168.1.50".to_owned()).expect("ip");
        assert_eq!(a.to_string(), "192.168.1.50:9100");
        let b = PrinterAddress::try_from(" 10.0.0.7:9101 ".to_owned()).expect("ip:port");
        assert_eq!(String::from(b), "10.0.0.7:9101");
        for bad in ["imprimante", "10.0.0.7:0", "0.0.0.0", "10.0.0.7:99999", ""] {
            assert!(PrinterAddress::try_from(bad.to_owned()).is_err(), "{bad}");
        }
        let json: Result<PrinterAddress, _> = serde_json::from_str("\"pas une adresse\"");
        assert!(json.is_err());
    }

    #[test]
    fn the_job_is_the_raster_between_init_and_cut() {
        let job = escpos(&slip()).expect("job");
        assert_eq!(
            job,
            [
                0x1b, b'@', 0x1d, b'v', b'0', 0, 2, 0, 2, 0, 0xff, 0x00, 0x00, 0xff, 0x1b, b'd', 4,
                0x1d, b'V', 66, 0
            ]
        );
        let wrong = Raster {
            dots: vec![0; 3],
            ..slip()
        };
        assert!(matches!(escpos(&wrong), Err(PrintError::Raster(_))));
        let wide = Raster {
            width_bytes: 73,
            height: 1,
            dots: vec![0; 73],
        };
        assert!(matches!(escpos(&wide), Err(PrintError::Raster(_))));
    }

    #[tokio::test]
    async fn a_listener_on_port_9100s_behalf_receives_the_job_byte_for_byte() {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind");
        let address = PrinterAddress(listener.local_addr().expect("addr"));
        let captured = tokio::spawn(async move {
            let (mut connection, _) = listener.accept().await.expect("accept");
            let mut bytes = Vec::new();
            connection.read_to_end(&mut bytes).await.expect("read");
            bytes
        });
        print(Some(address), &slip()).await.expect("printed");
        assert_eq!(
            captured.await.expect("capture"),
            escpos(&slip()).expect("job")
        );
    }

    #[tokio::test]
    async fn no_printer_or_a_silent_one_is_a_typed_error() {
        assert!(matches!(
            print(None, &slip()).await,
            Err(PrintError::NotConfigured)
        ));
        // A port nothing listens on: bound, then released.
        let free = std::net::TcpListener::bind("127.0.0.1:0")
            .and_then(|l| l.local_addr())
            .expect("port");
        let error = print(Some(PrinterAddress(free)), &slip())
            .await
            .expect_err("nobody there");
        assert!(matches!(error, PrintError::Unreachable(..)), "{error}");
        assert_eq!(crate::ErrorBody::from(&error).code, "printer_unreachable");
    }
}
