//! Writes `ui/src/lib/bindings.ts` from the commands' Rust signatures:
//! `cargo run -p tokenkeeper-app --features bindings --bin export-bindings`.

use std::process::ExitCode;

fn main() -> ExitCode {
    match tokenkeeper_app::bindings::write() {
        Ok(path) => {
            println!("wrote {}", path.display());
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::FAILURE
        }
    }
}
