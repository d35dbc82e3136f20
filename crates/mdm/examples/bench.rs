//! Many connections against local fakes: `cargo run -p tokenkeeper-mdm --features test-support
//! --example bench -- [CONNECTIONS] [HANGING_PERCENT] [TIMEOUT_S] [CONCURRENCY]`. Prints the
//! wall time, what one connection costs, the expected time (one time limit for the hanging ones
//! plus the rest at the concurrency limit) and the peak memory of the process.

use std::time::{Duration, Instant};

use tokenkeeper_core::mdm::Vendor;
use tokenkeeper_mdm::testing::{FakeMdm, endpoint};
use tokenkeeper_mdm::{fetch, fetch_many};

fn arg(i: usize, default: u64) -> u64 {
    std::env::args()
        .nth(i)
        .and_then(|a| a.parse().ok())
        .unwrap_or(default)
}

fn peak_mib() -> f64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmHWM:"))
                .and_then(|l| l.split_whitespace().nth(1)?.parse::<f64>().ok())
        })
        .map_or(0.0, |kib| kib / 1024.0)
}

fn main() {
    let n = arg(1, 500) as usize;
    let hanging = arg(2, 5) as usize;
    let timeout = Duration::from_secs(arg(3, 2));
    let concurrency = arg(4, 32) as usize;
    let fake = FakeMdm::start(Vendor::Fleet);
    // What one healthy connection costs (TLS handshakes and three GETs), warm.
    let _ = fetch(&endpoint(Vendor::Fleet, &fake.tenant_url("warm")), timeout);
    let one = Instant::now();
    for i in 0..10 {
        let _ = fetch(
            &endpoint(Vendor::Fleet, &fake.tenant_url(&format!("one{i}"))),
            timeout,
        );
    }
    let single = one.elapsed() / 10;
    let hang_every = 100usize.checked_div(hanging).unwrap_or(usize::MAX);
    let jobs: Vec<(usize, _)> = (0..n)
        .map(|i| {
            let name = if i % hang_every == 0 {
                format!("hang{i}")
            } else {
                format!("t{i}")
            };
            (i, endpoint(Vendor::Fleet, &fake.tenant_url(&name)))
        })
        .collect();
    let hung = jobs.iter().filter(|(i, _)| i % hang_every == 0).count();
    let started = Instant::now();
    let results = fetch_many(jobs, concurrency, timeout);
    let took = started.elapsed();
    let ok = results.iter().filter(|(_, r)| r.is_ok()).count();
    let timed_out = results.len() - ok;
    // The healthy ones in parallel as far as both the limit and the cores allow (a connection
    // is mostly TLS work on this machine's cores, the fakes' and the client's).
    let cores = std::thread::available_parallelism().map_or(1, |c| c.get());
    let parallel = concurrency.min(cores).max(1);
    let rest = (n - hung) as f64 * single.as_secs_f64() / parallel as f64;
    println!(
        "{n} connections, {hung} hanging, timeout {:.1} s, concurrency {concurrency}, {cores} cores: {:.2} s (one connection {:.0} ms; expected about {:.2} s = timeout + the rest, {parallel} at a time), {ok} read, {timed_out} timed out, peak memory {:.1} MiB",
        timeout.as_secs_f64(),
        took.as_secs_f64(),
        single.as_secs_f64() * 1000.0,
        timeout.as_secs_f64() + rest,
        peak_mib()
    );
}
