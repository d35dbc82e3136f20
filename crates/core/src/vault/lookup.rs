//! Finding whose a file is: a file dropped outside any client is matched to its client by
//! identity (push topic, the MDM server's certificate or consumer key, the organisation), so the
//! app can open the right renewal, or ask when it cannot tell.

use serde::Serialize;

use super::Vault;
use crate::error::Result;
use crate::renewal::recipient_identity;
use crate::token::{self, Credential, Kind};

/// What a file is and whose it probably is.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct FileMatch {
    /// The kind the content says it is.
    pub kind: Kind,
    /// One line for people: "APNs push certificate, topic com.apple.mgmt...".
    pub description: String,
    /// The clients holding a credential with the same identity (usually one).
    pub clients: Vec<String>,
    /// The label of the matching credential, when there is exactly one.
    pub label: Option<String>,
}

impl Vault {
    /// Reads a file (without any key) and finds the clients it belongs to.
    ///
    /// # Errors
    /// Every reading error of [`crate::token::read`]; [`crate::Error::Database`].
    pub fn identify(&self, bytes: &[u8]) -> Result<FileMatch> {
        let credential = token::read(bytes, None)?;
        let (description, identities): (String, Vec<String>) = match &credential {
            Credential::PushCertificate(c) => (
                format!(
                    "{}, topic {}",
                    Kind::PushCertificate.display_name(),
                    c.topic
                ),
                vec![c.topic.to_string()],
            ),
            Credential::ServerToken(t) => (
                format!(
                    "{} encrypted for {}",
                    Kind::ServerToken.display_name(),
                    t.recipient
                ),
                vec![recipient_identity(&t.recipient)],
            ),
            Credential::ContentToken(t) => (
                format!("{} for {}", Kind::ContentToken.display_name(), t.org_name),
                vec![t.org_name.clone()],
            ),
        };
        let kind = credential.kind();
        let recipient = match &credential {
            Credential::ServerToken(t) => Some(t.recipient.clone()),
            _ => None,
        };
        // Only the candidates, from the indexes (a vault of 100,000 is not read to place one
        // file); the test below is the rule.
        // `cr.kind || ''`: SQLite then picks the identity and recipient indexes, not the kind's.
        let mut stmt = self.db.sql().prepare(
            "SELECT c.name, cr.label, cr.identity, cr.recipient_issuer, cr.recipient_serial
             FROM credentials cr JOIN clients c ON c.id = cr.client_id
             WHERE (cr.kind || '') = ?1
               AND ((cr.kind = ?1 AND cr.identity IN (SELECT value FROM json_each(?2)))
                    OR (cr.recipient_issuer = ?3 AND cr.recipient_serial = ?4))
             ORDER BY cr.id",
        )?;
        let wanted = serde_json::to_string(&identities).map_err(|e| crate::Error::Database {
            detail: e.to_string(),
        })?;
        let (issuer, serial) = recipient
            .as_ref()
            .map(|r| (r.issuer.as_str(), r.serial.as_str()))
            .unzip();
        let rows = stmt.query_map(crate::args![kind.id(), wanted, issuer, serial], |r| {
            Ok((
                r.get::<String>(0)?,
                r.get::<String>(1)?,
                r.get::<String>(2)?,
                r.get::<Option<String>>(3)?,
                r.get::<Option<String>>(4)?,
            ))
        })?;
        let mut hits: Vec<(String, String)> = Vec::new();
        for row in rows {
            let (client, label, identity, issuer, serial) = row?;
            let same_recipient = recipient.as_ref().is_some_and(|r| {
                issuer.as_deref() == Some(r.issuer.as_str())
                    && serial.as_deref() == Some(r.serial.as_str())
            });
            if identities.contains(&identity) || same_recipient {
                hits.push((client, label));
            }
        }
        let label = match hits.as_slice() {
            [(_, label)] => Some(label.clone()),
            _ => None,
        };
        let mut clients: Vec<String> = hits.into_iter().map(|(c, _)| c).collect();
        clients.dedup();
        Ok(FileMatch {
            kind,
            description,
            clients,
            label,
        })
    }
}
