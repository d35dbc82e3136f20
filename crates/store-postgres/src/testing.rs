//! Test support (feature `test-support`): databases of their own on a test server.

use std::sync::atomic::{AtomicUsize, Ordering};

use tokenkeeper_core::{Error, Result};

/// Creates a new database with a unique name (from `name_hint`, the process and a counter)
/// on the server `admin_url` names, and returns `admin_url` pointing at it.
///
/// # Errors
/// [`Error::Database`] when the server refuses (the role may not create databases).
pub fn fresh_database(admin_url: &str, name_hint: &str) -> Result<String> {
    static NEXT: AtomicUsize = AtomicUsize::new(0);
    let hint: String = name_hint
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() {
                c.to_ascii_lowercase()
            } else {
                '_'
            }
        })
        .take(30)
        .collect();
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.subsec_nanos())
        .unwrap_or(0);
    let name = format!(
        "tk_{hint}_{}_{}_{nanos}",
        std::process::id(),
        NEXT.fetch_add(1, Ordering::SeqCst)
    );
    let admin = crate::Postgres::connect(admin_url)?;
    admin
        .batch(&format!("CREATE DATABASE \"{name}\""))
        .map_err(Error::from)?;
    with_database(admin_url, &name)
}

/// `url` with its database replaced by `name`.
///
/// # Errors
/// [`Error::Database`] when `url` is not a `postgres://` URL.
pub fn with_database(url: &str, name: &str) -> Result<String> {
    let not_url = || Error::Database {
        detail: "not a postgres:// URL".to_owned(),
    };
    let (scheme, rest) = url.split_once("://").ok_or_else(not_url)?;
    let (before_query, query) = match rest.split_once('?') {
        Some((b, q)) => (b, Some(q)),
        None => (rest, None),
    };
    let authority = before_query.split('/').next().ok_or_else(not_url)?;
    let mut out = format!("{scheme}://{authority}/{name}");
    if let Some(q) = query {
        out.push('?');
        out.push_str(q);
    }
    Ok(out)
}
