//! MDM consoles, read-only: which vendors TokenKeeper reads, what a console holds about a
//! client's three credentials ([`Held`]), and how that is reconciled with the files on record
//! ([`reconcile`]). The connectors themselves (HTTP, each vendor's JSON) live in the
//! `tokenkeeper-mdm` crate; the rules and their words live here.

pub mod reconcile;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

pub use reconcile::{MdmView, OnRecord, Reconciled, Seen, Source, reconcile};

use crate::error::{Error, Result};
use crate::kind::Kind;

/// An MDM product TokenKeeper can read.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "snake_case")]
pub enum Vendor {
    /// Microsoft Intune, through Microsoft Graph.
    Intune,
    /// Jamf Pro.
    Jamf,
    /// Fleet.
    Fleet,
    /// Kandji.
    Kandji,
    /// SimpleMDM.
    Simplemdm,
    /// JumpCloud.
    Jumpcloud,
}

impl Vendor {
    /// Every vendor, in the order forms list them.
    pub const ALL: [Vendor; 6] = [
        Vendor::Intune,
        Vendor::Jamf,
        Vendor::Fleet,
        Vendor::Kandji,
        Vendor::Simplemdm,
        Vendor::Jumpcloud,
    ];

    /// Stable identifier (`simplemdm`), as stored and on the command line.
    pub fn id(self) -> &'static str {
        match self {
            Vendor::Intune => "intune",
            Vendor::Jamf => "jamf",
            Vendor::Fleet => "fleet",
            Vendor::Kandji => "kandji",
            Vendor::Simplemdm => "simplemdm",
            Vendor::Jumpcloud => "jumpcloud",
        }
    }

    /// The product's name ("Jamf Pro").
    pub fn name(self) -> &'static str {
        match self {
            Vendor::Intune => "Intune",
            Vendor::Jamf => "Jamf Pro",
            Vendor::Fleet => "Fleet",
            Vendor::Kandji => "Kandji",
            Vendor::Simplemdm => "SimpleMDM",
            Vendor::Jumpcloud => "JumpCloud",
        }
    }

    /// Parses an identifier.
    ///
    /// # Errors
    /// [`Error::InvalidInput`] naming the vendors known.
    pub fn parse(id: &str) -> Result<Self> {
        Vendor::ALL
            .into_iter()
            .find(|v| v.id().eq_ignore_ascii_case(id.trim()))
            .ok_or_else(|| Error::InvalidInput {
                message: format!(
                    "\"{}\" is not an MDM TokenKeeper reads: use one of {}",
                    id.trim(),
                    Vendor::ALL.map(Vendor::id).join(", ")
                ),
            })
    }

    /// The address a connection uses when none is given (`None`: each customer has their own).
    pub fn default_url(self) -> Option<&'static str> {
        match self {
            Vendor::Intune => Some("https://graph.microsoft.com"),
            Vendor::Simplemdm => Some("https://a.simplemdm.com"),
            Vendor::Jumpcloud => Some("https://console.jumpcloud.com"),
            Vendor::Jamf | Vendor::Fleet | Vendor::Kandji => None,
        }
    }

    /// Whether a connection needs a tenant: Intune's directory (tenant) id. JumpCloud takes an
    /// optional organisation id for a multi-tenant administrator.
    pub fn needs_tenant(self) -> bool {
        self == Vendor::Intune
    }

    /// Whether a connection needs an OAuth client id (Intune's app registration, Jamf's API
    /// client).
    pub fn needs_client_id(self) -> bool {
        matches!(self, Vendor::Intune | Vendor::Jamf)
    }

    /// What the secret the user gives is called in the vendor's console.
    pub fn secret_name(self) -> &'static str {
        match self {
            Vendor::Intune => "client secret",
            Vendor::Jamf => "API client secret",
            Vendor::Fleet | Vendor::Kandji => "API token",
            Vendor::Simplemdm | Vendor::Jumpcloud => "API key",
        }
    }
}

/// Something an MDM reports about a credential it holds, beyond its dates.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "notice")]
pub enum Notice {
    /// The portal's terms and conditions are not accepted: the token stops syncing.
    TermsNotAccepted,
    /// The MDM says the credential it holds has expired.
    Expired,
    /// The MDM warns the credential it holds expires soon.
    ExpiresSoon,
    /// The MDM says the credential it holds is invalid.
    Invalid,
    /// The Apps and Books token is used by another MDM.
    AssignedElsewhere,
    /// The MDM's last sync with Apple failed, with the code it gave.
    SyncFailed {
        /// The vendor's code or status, as reported.
        code: String,
    },
}

/// One credential as an MDM console holds it: public facts only. Secret-bearing fields the
/// vendors publish (Intune's `vppTokens.token`, OAuth values) are never read into it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Held {
    /// Which credential.
    pub kind: Kind,
    /// Push: the topic, or the UUID it ends with (Fleet's `APSP:<uuid>`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub topic: Option<String>,
    /// Push: the certificate's serial number, lowercase hex without leading zeros.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub serial: Option<String>,
    /// ADE: the MDM server's name in the portal.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub server_name: Option<String>,
    /// The Apple Account the MDM shows with it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub apple_account: Option<String>,
    /// The organisation.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub org_name: Option<String>,
    /// Apps and Books: the location.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub location: Option<String>,
    /// When it expires, as the MDM says.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub expires_at: Option<DateTime<Utc>>,
    /// What the MDM reports about it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub notice: Option<Notice>,
}

impl Held {
    /// A credential of `kind` with no facts yet.
    pub fn new(kind: Kind) -> Self {
        Self {
            kind,
            topic: None,
            serial: None,
            server_name: None,
            apple_account: None,
            org_name: None,
            location: None,
            expires_at: None,
            notice: None,
        }
    }
}

/// A serial number as TokenKeeper writes them: lowercase hex without separators or leading
/// zeros. Accepts hex (with or without colons) or, when `decimal`, decimal digits (Fleet).
/// `None` for anything else.
pub fn normalize_serial(value: &str, decimal: bool) -> Option<String> {
    let v: String = value
        .trim()
        .chars()
        .filter(|c| !matches!(c, ':' | ' ' | '-'))
        .collect();
    if v.is_empty() {
        return None;
    }
    let hex = if decimal {
        decimal_to_hex(&v)?
    } else {
        let v = v.strip_prefix("0x").unwrap_or(&v);
        if !v.chars().all(|c| c.is_ascii_hexdigit()) {
            return None;
        }
        v.to_ascii_lowercase()
    };
    let trimmed = hex.trim_start_matches('0');
    Some(if trimmed.is_empty() { "0" } else { trimmed }.to_owned())
}

/// Decimal digits to lowercase hex, any length (serials are up to 20 bytes).
fn decimal_to_hex(digits: &str) -> Option<String> {
    if digits.len() > 60 || !digits.chars().all(|c| c.is_ascii_digit()) {
        return None;
    }
    // Little-endian base-256 limbs, multiplied by ten and added to per digit.
    let mut limbs: Vec<u32> = vec![0];
    for d in digits.bytes() {
        let mut carry = u32::from(d - b'0');
        for limb in &mut limbs {
            let v = *limb * 10 + carry;
            *limb = v & 0xff;
            carry = v >> 8;
        }
        while carry > 0 {
            limbs.push(carry & 0xff);
            carry >>= 8;
        }
    }
    Some(limbs.iter().rev().map(|b| format!("{b:02x}")).collect())
}

/// Parses the dates vendors send: RFC 3339, RFC 3339 without a zone (taken as UTC), a
/// date alone (end of that day is not assumed: midnight UTC), or epoch milliseconds.
pub fn parse_vendor_date(value: &str) -> Option<DateTime<Utc>> {
    let v = value.trim();
    if v.is_empty() {
        return None;
    }
    if let Ok(d) = DateTime::parse_from_rfc3339(v) {
        return Some(d.with_timezone(&Utc));
    }
    for format in [
        "%Y-%m-%dT%H:%M:%S%.f",
        "%Y-%m-%d %H:%M:%S%.f",
        "%Y-%m-%d %H:%M:%S",
    ] {
        if let Ok(d) = chrono::NaiveDateTime::parse_from_str(v, format) {
            return Some(d.and_utc());
        }
    }
    if let Ok(d) = chrono::NaiveDate::parse_from_str(v, "%Y-%m-%d") {
        return d.and_hms_opt(0, 0, 0).map(|d| d.and_utc());
    }
    if v.len() >= 12 && v.chars().all(|c| c.is_ascii_digit()) {
        return v
            .parse::<i64>()
            .ok()
            .and_then(DateTime::from_timestamp_millis);
    }
    None
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use super::*;

    #[test]
    fn serials_normalize_from_hex_and_decimal() {
        assert_eq!(normalize_serial("00:1A:2b", false).unwrap(), "1a2b");
        assert_eq!(normalize_serial("0x00ff", false).unwrap(), "ff");
        assert_eq!(normalize_serial("255", true).unwrap(), "ff");
        assert_eq!(normalize_serial("65536", true).unwrap(), "10000");
        assert_eq!(
            normalize_serial("1234567890123456789012345678901234567890", true).unwrap(),
            "3a0c92075c0dbf3b8acbc5f96ce3f0ad2"
        );
        assert_eq!(normalize_serial("0", true).unwrap(), "0");
        assert!(normalize_serial("12g", false).is_none());
        assert!(normalize_serial("1f", true).is_none());
        assert!(normalize_serial("", false).is_none());
    }

    #[test]
    fn vendor_dates_parse_in_every_published_form() {
        let expect = |s: &str, want: &str| {
            assert_eq!(parse_vendor_date(s).unwrap().to_rfc3339(), want, "{s}");
        };
        expect("2027-03-01T10:00:00Z", "2027-03-01T10:00:00+00:00");
        expect("2027-03-01T12:00:00+02:00", "2027-03-01T10:00:00+00:00");
        expect("2027-03-01T10:00:00.123", "2027-03-01T10:00:00.123+00:00");
        expect("2027-03-01 10:00:00", "2027-03-01T10:00:00+00:00");
        expect("2027-03-01", "2027-03-01T00:00:00+00:00");
        expect("1804000000000", "2027-03-02T15:06:40+00:00");
        for bad in ["", "soon", "2027-13-01", "12"] {
            assert!(parse_vendor_date(bad).is_none(), "{bad}");
        }
    }

    #[test]
    fn vendors_parse_by_id() {
        for v in Vendor::ALL {
            assert_eq!(Vendor::parse(v.id()).unwrap(), v);
        }
        assert_eq!(Vendor::parse(" Jamf ").unwrap(), Vendor::Jamf);
        assert_eq!(
            Vendor::parse("airwatch").unwrap_err().kind(),
            "invalid_input"
        );
    }
}
