//! What a removed member could have copied while they were in, and how to make each copy
//! useless.

use serde::Serialize;

use crate::args;
use crate::db::Sql;
use crate::error::Result;

/// A secret a removed member could read while they were in, and what to do about it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct Exposure {
    /// The client concerned (`None` for the team's own: a vendor identity, a channel).
    pub client: Option<String>,
    /// What the secret is.
    pub what: String,
    /// How to make the copy they may hold useless.
    pub rotate: String,
}

/// Every shared secret, named by what it belongs to, with how to rotate it.
pub(super) fn exposures(tx: &Sql<'_>) -> Result<Vec<Exposure>> {
    let mut out = tx.query_map(
        "SELECT c.name, cr.kind, cr.label, CASE WHEN s.account = cr.key_ref THEN 1 ELSE 0 END
         FROM team_secrets s
         JOIN credentials cr ON s.account = cr.key_ref OR s.account = cr.secret_ref
         JOIN clients c ON c.id = cr.client_id
         ORDER BY c.name COLLATE NOCASE, cr.label COLLATE NOCASE",
        args![],
        |r| {
            let kind: String = r.get(1)?;
            let label: String = r.get(2)?;
            let is_key: bool = r.get(3)?;
            let (what, rotate) = match (kind.as_str(), is_key) {
                ("push_certificate", _) => (
                    format!("the private key of the push certificate \"{label}\""),
                    "with it and the certificate anyone can send push wake-ups (not commands) to the devices until it expires: renew the certificate now with a new CSR (Renew, same Apple Account, same topic), then import it".to_owned(),
                ),
                ("server_token", true) => (
                    format!("the private key that decrypts the server token \"{label}\""),
                    "in Apple Business/School Manager, download a new server token for this MDM server with a new public key, then import it".to_owned(),
                ),
                ("server_token", false) => (
                    format!("the OAuth values of the server token \"{label}\""),
                    "in Apple Business/School Manager, download a new server token for this MDM server (the old one stops working), then import it".to_owned(),
                ),
                _ => (
                    format!("the content token \"{label}\""),
                    "in Apple Business/School Manager, Apps and Books, download the token again for this location (the old one is revoked), then import it".to_owned(),
                ),
            };
            Ok(Exposure {
                client: Some(r.get(0)?),
                what,
                rotate,
            })
        },
    )?;
    out.extend(tx.query_map(
        "SELECT c.name, m.name FROM team_secrets s
         JOIN mdm_connections m ON m.secret_ref = s.account
         JOIN clients c ON c.id = m.client_id ORDER BY c.name COLLATE NOCASE, m.name",
        args![],
        |r| {
            let name: String = r.get(1)?;
            Ok(Exposure {
                client: Some(r.get(0)?),
                what: format!("the API secret of the MDM connection \"{name}\""),
                rotate: "create a new API secret in the MDM's console, revoke the old one, and update the connection".to_owned(),
            })
        },
    )?);
    out.extend(tx.query_map(
        "SELECT ch.name FROM team_secrets s JOIN channels ch ON ch.secret_ref = s.account
         ORDER BY ch.name COLLATE NOCASE",
        args![],
        |r| {
            let name: String = r.get(0)?;
            Ok(Exposure {
                client: None,
                what: format!("the secret of the alert channel \"{name}\" (webhook URL or mail password)"),
                rotate: "create a new webhook URL or mail password, revoke the old one, and update the channel".to_owned(),
            })
        },
    )?);
    out.extend(tx.query_map(
        "SELECT k.label FROM team_secrets s JOIN keys k ON k.key_ref = s.account
         WHERE k.purpose = 'vendor' ORDER BY k.label COLLATE NOCASE",
        args![],
        |r| {
            let label: String = r.get(0)?;
            Ok(Exposure {
                client: None,
                what: format!("the MDM vendor identity \"{label}\""),
                rotate: "make a new vendor identity and have it signed again".to_owned(),
            })
        },
    )?);
    Ok(out)
}
