//! The database checked from end to end: every page, index and record
//! (`PRAGMA integrity_check`) and every reference between tables (`PRAGMA foreign_key_check`),
//! so damage that no everyday command reads is found before it is needed.

use serde::Serialize;

use super::Db;
use super::sqlite::is_damage;
use crate::error::Result;

/// How many problems `integrity_check` lists at most: enough to say what is damaged, not a
/// listing of every page of a ruined file.
const MAX_REPORTED: u32 = 50;

/// One thing wrong inside the database file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum DatabaseProblem {
    /// A damaged page, index entry or record, in SQLite's words.
    Damaged {
        /// What SQLite found.
        detail: String,
    },
    /// A row pointing at a row of another table that no longer exists.
    BrokenReference {
        /// The table holding the row.
        table: String,
        /// The row, when it has a rowid.
        rowid: Option<i64>,
        /// The table it points at.
        parent: String,
    },
}

impl std::fmt::Display for DatabaseProblem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            DatabaseProblem::Damaged { detail } => {
                write!(f, "the database file is damaged: {detail}")
            }
            DatabaseProblem::BrokenReference {
                table,
                rowid,
                parent,
            } => {
                let row = rowid.map_or(String::new(), |r| format!(" (row {r})"));
                write!(
                    f,
                    "a row of {table}{row} points at a row of {parent} that no longer exists"
                )
            }
        }
    }
}

/// What [`Db::check_integrity`] found: no problems means the file is sound.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct IntegrityReport {
    /// Every problem found, in SQLite's order.
    pub problems: Vec<DatabaseProblem>,
}

impl IntegrityReport {
    /// Whether nothing was found.
    pub fn is_ok(&self) -> bool {
        self.problems.is_empty()
    }
}

impl Db {
    /// Reads the whole file: every page, index and record, then every reference between
    /// tables. Damage SQLite cannot even walk past is reported as a problem, not an error.
    ///
    /// # Errors
    /// [`crate::Error::Database`] when the check cannot run for another reason (busy, I/O).
    pub fn check_integrity(&self) -> Result<IntegrityReport> {
        let Some(conn) = self.sqlite() else {
            // A server checks its own pages; what the vault can check there is in `verify`.
            return Ok(IntegrityReport::default());
        };
        let mut problems = Vec::new();
        let pages = (|| -> rusqlite::Result<Vec<String>> {
            let mut stmt = conn.prepare(&format!("PRAGMA integrity_check({MAX_REPORTED})"))?;
            let rows = stmt.query_map([], |r| r.get::<_, String>(0))?;
            rows.collect()
        })();
        match pages {
            Ok(lines) => problems.extend(
                lines
                    .into_iter()
                    .filter(|l| l != "ok")
                    .map(|detail| DatabaseProblem::Damaged { detail }),
            ),
            Err(e) if is_damage(&e) => problems.push(DatabaseProblem::Damaged {
                detail: e.to_string(),
            }),
            Err(e) => return Err(e.into()),
        }
        let references = (|| -> rusqlite::Result<Vec<DatabaseProblem>> {
            let mut stmt = conn.prepare("PRAGMA foreign_key_check")?;
            let rows = stmt.query_map([], |r| {
                Ok(DatabaseProblem::BrokenReference {
                    table: r.get(0)?,
                    rowid: r.get(1)?,
                    parent: r.get(2)?,
                })
            })?;
            rows.collect()
        })();
        match references {
            Ok(found) => problems.extend(found),
            // Already reported by the page check when it could say more.
            Err(e) if is_damage(&e) => {
                if problems.is_empty() {
                    problems.push(DatabaseProblem::Damaged {
                        detail: e.to_string(),
                    });
                }
            }
            Err(e) => return Err(e.into()),
        }
        Ok(IntegrityReport { problems })
    }
}
