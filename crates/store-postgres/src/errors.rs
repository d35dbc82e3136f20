//! The driver's failures as the interface's: a coarse kind from the SQLSTATE or the cause, and
//! words that name neither a parameter's value nor a row's (the server's DETAIL is left out).

use postgres::error::SqlState;
use tokenkeeper_core::db::FailureKind;

use crate::values::ParamError;

/// The driver's error in words: the server's message and SQLSTATE (never its DETAIL, which may
/// quote the values of a row), or the driver's own failure with its cause.
pub(crate) fn describe(e: &postgres::Error) -> String {
    if let Some(db) = e.as_db_error() {
        return format!("{} (SQLSTATE {})", db.message(), db.code().code());
    }
    let mut out = e.to_string();
    let mut source = std::error::Error::source(e);
    while let Some(s) = source {
        let s_text = s.to_string();
        if !out.contains(&s_text) {
            out.push_str(": ");
            out.push_str(&s_text);
        }
        source = s.source();
    }
    out
}

/// Whether the server refused a prepared statement that went stale (a table changed under it).
pub(crate) fn is_stale(e: &postgres::Error) -> bool {
    (e.code() == Some(&SqlState::FEATURE_NOT_SUPPORTED)
        && e.as_db_error()
            .is_some_and(|d| d.message().contains("cached plan")))
        || e.code() == Some(&SqlState::INVALID_SQL_STATEMENT_NAME)
}

pub(crate) fn classify(e: &postgres::Error) -> FailureKind {
    if let Some(code) = e.code() {
        let c = code.code();
        return if c.starts_with("23") {
            FailureKind::Constraint
        } else if *code == SqlState::T_R_SERIALIZATION_FAILURE
            || *code == SqlState::T_R_DEADLOCK_DETECTED
            || *code == SqlState::LOCK_NOT_AVAILABLE
        {
            FailureKind::Busy
        } else if c.starts_with("08")
            || *code == SqlState::ADMIN_SHUTDOWN
            || *code == SqlState::CRASH_SHUTDOWN
            || *code == SqlState::CANNOT_CONNECT_NOW
        {
            FailureKind::Unavailable
        } else if c.starts_with("22") || c == "42804" {
            // Data exceptions and datatype mismatches.
            FailureKind::Type
        } else {
            FailureKind::Other
        };
    }
    if e.is_closed() {
        return FailureKind::Unavailable;
    }
    let mut source = std::error::Error::source(e);
    while let Some(s) = source {
        if s.is::<std::io::Error>() {
            return FailureKind::Unavailable;
        }
        if s.is::<ParamError>() {
            return FailureKind::Type;
        }
        source = s.source();
    }
    FailureKind::Other
}
