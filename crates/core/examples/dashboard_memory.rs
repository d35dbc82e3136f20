//! How much resident memory the dashboard's index holds, and its build needs at its peak, over a
//! vault on disk (the bench vaults: `$CARGO_TARGET_DIR/bench-data/vault-100k.db`):
//!
//!   cargo run --release -p tokenkeeper-core --example dashboard_memory -- PATH
//!
//! A copy of the vault is read (the listing records state changes).

use std::time::Instant;

use chrono::Utc;
use tokenkeeper_core::dashboard::{DashboardIndex, DashboardQuery};
use tokenkeeper_core::db::Db;
use tokenkeeper_core::{MemoryStore, Vault};

/// The process's resident memory now and at its peak, in MiB (from /proc/self/status).
fn rss() -> (f64, f64) {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    let field = |name: &str| {
        status
            .lines()
            .find_map(|l| l.strip_prefix(name))
            .and_then(|v| v.trim().trim_end_matches("kB").trim().parse::<f64>().ok())
            .unwrap_or(0.0)
            / 1024.0
    };
    (field("VmRSS:"), field("VmHWM:"))
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let path = std::env::args()
        .nth(1)
        .ok_or("usage: dashboard_memory VAULT.db")?;
    let copy = std::env::temp_dir().join("tk-dashboard-memory.db");
    std::fs::copy(&path, &copy)?;
    let mut vault = Vault::new(Db::open(&copy)?, Box::new(MemoryStore::default()));
    let (start, _) = rss();
    let now = Utc::now();
    let t = Instant::now();
    let index = vault.dashboard_index(now)?;
    let built = t.elapsed();
    let (held, peak) = rss();
    let (row_bytes, texts, lower) = index.heap_bytes();
    let n = index.len();
    println!(
        "{n} credentials, resident MiB over the open vault's {start:.1}: index read from the database in {} ms, +{:.1} held (peak +{:.1})",
        built.as_millis(),
        held - start,
        peak - start,
    );
    println!(
        "the index's heap: rows {:.1} MiB ({} bytes each), texts {:.1} MiB, their lowercase {:.1} MiB",
        row_bytes as f64 / 1048576.0,
        row_bytes / n.max(1),
        texts as f64 / 1048576.0,
        lower as f64 / 1048576.0,
    );
    // The same from a listing (the path of vaults with MDM connections): same rows, same order.
    let t = Instant::now();
    let listing = vault.summaries(now)?;
    let listed = t.elapsed();
    let (with_listing, _) = rss();
    let from_listing = DashboardIndex::new(listing, vault.client_count()?);
    println!(
        "from a listing: listed in {} ms (+{:.1} MiB), indexed at {} ms",
        listed.as_millis(),
        with_listing - held,
        t.elapsed().as_millis()
    );
    let page = |i: &DashboardIndex, offset: u32| {
        let p = i.query(&DashboardQuery {
            offset,
            limit: 500,
            ..DashboardQuery::default()
        });
        p.rows.iter().map(|c| format!("{c:?}")).collect::<Vec<_>>()
    };
    let mut same = true;
    for offset in (0..n).step_by(500) {
        let offset = u32::try_from(offset)?;
        same &= page(&index, offset) == page(&from_listing, offset);
    }
    println!("both ways, the same rows in the same order: {same}");
    std::fs::remove_file(&copy).ok();
    Ok(())
}
