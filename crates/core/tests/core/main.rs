//! Integration tests of the core: real-world samples, minted fixtures in every layout, errors,
//! and property tests that no input makes a parser panic.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod external;
mod fixtures;
mod mixups;
mod never_panics;
