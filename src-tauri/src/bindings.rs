//! The TypeScript bindings of the commands, `ui/src/lib/bindings.ts`: generated from the Rust
//! signatures by tauri-specta, committed so the UI builds without Rust, and checked by a test
//! so the two never drift apart.

use std::path::PathBuf;

use specta_typescript::{BigIntExportBehavior, Typescript};

/// The command that regenerates the file, for messages.
pub const REGENERATE: &str =
    "cargo run -p tokenkeeper-app --features bindings --bin export-bindings";

const HEADER: &str = "// Generated from src-tauri by tauri-specta: do not edit.
// Regenerate with `cargo run -p tokenkeeper-app --features bindings --bin export-bindings`.
// @ts-nocheck
/* eslint-disable */";

/// Where the UI expects the bindings.
pub fn path() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../ui/src/lib/bindings.ts")
}

/// Where the UI expects the core's words (`tokenkeeper_core::words`).
pub fn vocabulary_path() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../ui/src/lib/vocabulary.ts")
}

/// Where the UI's tests find the core's samples of the rules the UI re-implements.
pub fn samples_path() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../ui/tests/core-samples.ts")
}

/// The core's samples as a TypeScript constant, for the UI's tests only.
///
/// # Errors
/// Never in practice: the samples hold only strings and numbers.
pub fn samples() -> Result<String, serde_json::Error> {
    let table = serde_json::to_string_pretty(&tokenkeeper_core::words::samples())?;
    Ok(format!(
        "// Generated from crates/core/src/words.rs: do not edit.\n// Regenerate with `{REGENERATE}`.\n\n/** What the core answers for each case of the rules the UI re-implements. */\nexport const CORE_SAMPLES = {table} as const;\n"
    ))
}

/// The core's vocabulary as a TypeScript constant: the UI's labels, names, advice, error and
/// event kinds come from it, and its tests check the UI's own time phrases and name rule
/// against the samples it carries.
///
/// # Errors
/// Never in practice: the table holds only strings and numbers.
pub fn vocabulary() -> Result<String, serde_json::Error> {
    let table = serde_json::to_string_pretty(&tokenkeeper_core::words::vocabulary())?;
    Ok(format!(
        "// Generated from crates/core/src/words.rs: do not edit.\n// Regenerate with `{REGENERATE}`.\n\n/** The core's words, one table for the shell and the UI. */\nexport const VOCABULARY = {table} as const;\n"
    ))
}

/// The bindings as they should be now.
///
/// # Errors
/// A type that TypeScript cannot express (specta's message names it).
pub fn typescript() -> Result<String, specta_typescript::ExportError> {
    // Days and counts are far below 2^53: plain numbers, not BigInt.
    let language = Typescript::default()
        .header(HEADER)
        .bigint(BigIntExportBehavior::Number);
    crate::specta_builder::<tauri::Wry>().export_str(language)
}

/// Writes the bindings to [`path`] and returns it.
///
/// # Errors
/// As [`typescript`], or the file cannot be written.
pub fn write() -> Result<PathBuf, Box<dyn std::error::Error>> {
    let path = path();
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir)?;
    }
    std::fs::write(&path, typescript()?)?;
    std::fs::write(vocabulary_path(), vocabulary()?)?;
    std::fs::write(samples_path(), samples()?)?;
    Ok(path)
}

#[cfg(test)]
mod tests {
    #![allow(clippy::expect_used)]

    #[test]
    fn committed_bindings_match_the_commands() {
        let fresh = super::typescript().expect("bindings render");
        let committed = std::fs::read_to_string(super::path())
            .unwrap_or_default()
            .replace("\r\n", "\n");
        assert!(
            fresh == committed,
            "ui/src/lib/bindings.ts is out of date with the commands: run `{}` and commit it",
            super::REGENERATE
        );
    }

    #[test]
    fn committed_vocabulary_and_samples_match_the_core() {
        let pairs = [
            (
                super::vocabulary().expect("vocabulary renders"),
                super::vocabulary_path(),
            ),
            (
                super::samples().expect("samples render"),
                super::samples_path(),
            ),
        ];
        for (fresh, path) in pairs {
            let committed = std::fs::read_to_string(&path)
                .unwrap_or_default()
                .replace("\r\n", "\n");
            assert!(
                fresh == committed,
                "{} is out of date with crates/core/src/words.rs: run `{}` and commit it",
                path.display(),
                super::REGENERATE
            );
        }
    }
}
