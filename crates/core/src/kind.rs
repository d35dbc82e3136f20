//! Which of the three credentials something is, and its names. A leaf of its own, so that the
//! error type names a kind without depending on the parsers ([`crate::token`]) that return it.

use serde::Serialize;

/// Which of the three credentials a file is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, serde::Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "snake_case")]
pub enum Kind {
    /// APNs MDM push certificate (`.pem` from identity.apple.com).
    PushCertificate,
    /// Automated Device Enrollment server token (`*_smime.p7m` from ABM/ASM).
    ServerToken,
    /// Apps and Books content token (`.vpptoken` from ABM/ASM).
    ContentToken,
}

impl Kind {
    /// Every kind, in the order the UI lists them.
    pub const ALL: [Kind; 3] = [Kind::PushCertificate, Kind::ServerToken, Kind::ContentToken];

    /// Stable identifier, as in JSON (`push_certificate`, ...).
    pub fn id(self) -> &'static str {
        match self {
            Kind::PushCertificate => "push_certificate",
            Kind::ServerToken => "server_token",
            Kind::ContentToken => "content_token",
        }
    }

    /// Name for people: "APNs push certificate".
    pub fn display_name(self) -> &'static str {
        match self {
            Kind::PushCertificate => "APNs push certificate",
            Kind::ServerToken => "ADE server token",
            Kind::ContentToken => "Apps and Books token",
        }
    }

    /// The name with its article: "an APNs push certificate".
    pub fn article_name(self) -> &'static str {
        match self {
            Kind::PushCertificate => "an APNs push certificate",
            Kind::ServerToken => "an ADE server token",
            Kind::ContentToken => "an Apps and Books token",
        }
    }

    /// The drop zone that takes this kind.
    pub fn zone_name(self) -> &'static str {
        match self {
            Kind::PushCertificate => "APNs",
            Kind::ServerToken => "ADE",
            Kind::ContentToken => "Apps and Books",
        }
    }

    /// Where to get a fresh copy of a damaged file.
    pub(crate) fn download_again(self) -> &'static str {
        match self {
            Kind::PushCertificate => {
                "download it again from identity.apple.com (Apple Push Certificates Portal)"
            }
            Kind::ServerToken => {
                "download the token again from Apple Business Manager (Preferences > your MDM server)"
            }
            Kind::ContentToken => {
                "download the token again from Apple Business Manager (Preferences > Payments and Billing)"
            }
        }
    }
}

impl std::fmt::Display for Kind {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.display_name())
    }
}
