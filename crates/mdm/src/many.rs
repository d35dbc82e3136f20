//! Many connections at once: at most `concurrency` read at a time, each within its own time
//! limit, so one console that never answers costs one time limit and holds up nobody else.

use std::sync::Arc;
use std::time::Duration;

use tokenkeeper_core::mdm::Held;

use crate::{Endpoint, SyncError, fetch};

/// Extra time past a connection's own limit before its slot is taken back regardless (the
/// connection's calls end by their own deadline; this only guards against a stuck one).
const GRACE: Duration = Duration::from_secs(2);

/// Reads every endpoint of `jobs`, at most `concurrency` at once, each within `timeout`; the
/// answers come back in the order given, each with its own result.
pub fn fetch_many<K: Send + 'static>(
    jobs: Vec<(K, Endpoint)>,
    concurrency: usize,
    timeout: Duration,
) -> Vec<(K, Result<Vec<Held>, SyncError>)> {
    let concurrency = concurrency.clamp(1, 256);
    // A runtime of its own on a thread of its own: callers may already be inside one (the
    // desktop app's), where a second cannot block.
    std::thread::scope(|scope| {
        scope
            .spawn(move || run(jobs, concurrency, timeout))
            .join()
            .unwrap_or_default()
    })
}

fn run<K: Send + 'static>(
    jobs: Vec<(K, Endpoint)>,
    concurrency: usize,
    timeout: Duration,
) -> Vec<(K, Result<Vec<Held>, SyncError>)> {
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .worker_threads(1)
        .max_blocking_threads(concurrency)
        .thread_name("tokenkeeper-mdm")
        .enable_time()
        .build()
    {
        Ok(rt) => rt,
        Err(_) => {
            // No threads to be had: one after another on this one.
            return jobs
                .into_iter()
                .map(|(k, e)| {
                    let r = fetch(&e, timeout);
                    (k, r)
                })
                .collect();
        }
    };
    let n = jobs.len();
    let results = runtime.block_on(async move {
        let permits = Arc::new(tokio::sync::Semaphore::new(concurrency));
        let mut set = tokio::task::JoinSet::new();
        for (i, (key, endpoint)) in jobs.into_iter().enumerate() {
            let Ok(permit) = Arc::clone(&permits).acquire_owned().await else {
                break;
            };
            set.spawn(async move {
                let work = tokio::task::spawn_blocking(move || fetch(&endpoint, timeout));
                let result = match tokio::time::timeout(timeout + GRACE, work).await {
                    Ok(Ok(r)) => r,
                    Ok(Err(_)) => Err(SyncError::Network {
                        detail: "the connector stopped unexpectedly".to_owned(),
                    }),
                    Err(_) => Err(SyncError::Timeout {
                        seconds: timeout.as_secs_f32(),
                    }),
                };
                drop(permit);
                (i, key, result)
            });
        }
        let mut out = Vec::with_capacity(n);
        while let Some(done) = set.join_next().await {
            if let Ok(done) = done {
                out.push(done);
            }
        }
        out
    });
    let mut results = results;
    results.sort_by_key(|(i, _, _)| *i);
    runtime.shutdown_background();
    results.into_iter().map(|(_, k, r)| (k, r)).collect()
}
