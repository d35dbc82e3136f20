//! How many heaps glibc's allocator keeps. By default it gives each thread that allocates while
//! another holds a heap a heap of its own, up to eight per core; each keeps the memory it once
//! held. The app's threads (the async runtime, the scheduler, the theme and single-instance
//! listeners, GTK's and WebKit's own) are idle nearly all the time and seldom allocate at once,
//! so two heaps are enough. Measured at rest in the real window over 10,000 credentials: the app
//! process kept ten heaps and 42.9 MiB of anonymous memory with glibc's default, four heaps and
//! 39.8 MiB with two (the app process's whole PSS moves with the shared libraries' pages too,
//! and over six alternated runs each the two medians were within noise: 103.2 and 103.0 MiB).
//!
//! A `MALLOC_ARENA_MAX` in the environment is the user's choice and is left alone.
//!
//! The heaps also keep what a pass over every credential freed (the rows read, SQLite's pages):
//! glibc hands free memory back only at the top of a heap. [`trim`] gives the rest back after
//! such a pass (see `crate::settle`).

/// The heaps the app keeps.
pub const ARENAS: i32 = 2;

/// Limits glibc's heaps to [`ARENAS`], unless `MALLOC_ARENA_MAX` is set. True when limited.
///
/// # Safety
/// Call before any other thread starts.
#[allow(unsafe_code)]
pub unsafe fn limit() -> bool {
    if std::env::var_os("MALLOC_ARENA_MAX").is_some() {
        return false;
    }
    // SAFETY: mallopt only sets the allocator's parameter; the caller runs before other threads.
    unsafe { libc::mallopt(libc::M_ARENA_MAX, ARENAS) == 1 }
}

/// Gives the free memory inside glibc's heaps back to the system (`malloc_trim`); what is in
/// use stays where it is.
#[allow(unsafe_code)]
pub fn trim() {
    // SAFETY: malloc_trim takes each heap's lock; any thread may call it at any time.
    unsafe {
        libc::malloc_trim(0);
    }
}
