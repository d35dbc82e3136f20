//! `verify`: everything TokenKeeper keeps, read back and checked. The database file end to end
//! (damaged pages, broken references), every stored secret against its recorded hash, and the
//! keychain items no record references, in one report of problems that says what to do.

use chrono::{DateTime, Utc};
use serde::Serialize;

use super::{STAGING_GRACE, Vault};
use crate::db::DatabaseProblem;
use crate::error::{Error, Result};

/// Which kind of problem `verify` found.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "snake_case")]
pub enum ProblemKind {
    /// A damaged page, index or record in the database file.
    DatabaseDamaged,
    /// A row of the database pointing at a row that no longer exists.
    BrokenReference,
    /// A stored secret changed outside TokenKeeper or vanished from the keychain.
    SecretTampered,
    /// A keychain item no record references, left by an interrupted import, removal or
    /// restore: `verify --repair` deletes it.
    OrphanedSecret,
}

/// One problem found, with what it is and what to do, in plain words.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct Problem {
    /// What kind of problem.
    pub kind: ProblemKind,
    /// What was found and what to do.
    pub message: String,
}

/// What `verify` found; no problems means everything read back as it was written.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct VerifyReport {
    /// Every problem, database first.
    pub problems: Vec<Problem>,
}

/// What to do about a damaged database: its data is only as good as the last backup.
pub const RESTORE_ADVICE: &str = "restore your latest backup with `tokenkeeper restore FILE --force` (keep a copy of the damaged database file first); without a backup, import each credential file again into a new database";

impl VerifyReport {
    /// Whether nothing was found.
    pub fn is_ok(&self) -> bool {
        self.problems.is_empty()
    }

    /// Whether the database file itself needs restoring.
    pub fn database_damaged(&self) -> bool {
        self.problems.iter().any(|p| {
            matches!(
                p.kind,
                ProblemKind::DatabaseDamaged | ProblemKind::BrokenReference
            )
        })
    }
}

impl Vault {
    /// Reads back everything kept: the database file end to end, then every stored secret
    /// ([`Vault::verify_secrets`]). A damaged database is a problem in the report, not an error.
    ///
    /// # Errors
    /// [`Error::KeychainUnavailable`]; [`Error::Database`] when the check cannot run (busy).
    pub fn verify(&mut self, now: DateTime<Utc>) -> Result<VerifyReport> {
        let mut problems: Vec<Problem> = self
            .db
            .check_integrity()?
            .problems
            .into_iter()
            .map(|p| Problem {
                kind: match p {
                    DatabaseProblem::Damaged { .. } => ProblemKind::DatabaseDamaged,
                    DatabaseProblem::BrokenReference { .. } => ProblemKind::BrokenReference,
                },
                message: format!("{p}: {RESTORE_ADVICE}"),
            })
            .collect();
        match self.verify_secrets(now) {
            Ok(tampered) => problems.extend(tampered.into_iter().map(|e| Problem {
                kind: ProblemKind::SecretTampered,
                message: e.to_string(),
            })),
            // The page check has said so already, and more precisely.
            Err(e @ Error::DatabaseDamaged { .. }) => {
                if !problems
                    .iter()
                    .any(|p| p.kind == ProblemKind::DatabaseDamaged)
                {
                    problems.push(Problem {
                        kind: ProblemKind::DatabaseDamaged,
                        message: e.to_string(),
                    });
                }
            }
            Err(e) => return Err(e),
        }
        if !self.report_damaged(&problems) {
            let orphans = self.orphaned_secrets(now, STAGING_GRACE)?;
            if !orphans.is_empty() {
                problems.push(Problem {
                    kind: ProblemKind::OrphanedSecret,
                    message: format!(
                        "{} keychain item(s) are referenced by no record (left by an interrupted import, removal or restore): `tokenkeeper verify --repair` deletes them",
                        orphans.len()
                    ),
                });
            }
        }
        Ok(VerifyReport { problems })
    }

    fn report_damaged(&self, problems: &[Problem]) -> bool {
        problems
            .iter()
            .any(|p| p.kind == ProblemKind::DatabaseDamaged)
    }
}
