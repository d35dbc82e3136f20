//! What every command-line test needs: a scratch folder with its own database, the built
//! `tokenkeeper` pointed at it (and, for a second "machine", at its own keychain namespace).
#![allow(dead_code, clippy::unwrap_used, clippy::expect_used)]

pub mod server;

use std::path::PathBuf;

use assert_cmd::Command;
use serde_json::Value;

pub struct Env {
    pub dir: tempfile::TempDir,
    /// The keychain service of this "machine" (the harness's own, or another one).
    pub service: Option<String>,
}

impl Env {
    pub fn new() -> Self {
        Self {
            dir: tempfile::tempdir().unwrap(),
            service: None,
        }
    }

    /// Another machine: its own database and its own keychain namespace.
    pub fn other_machine(tag: &str) -> Self {
        let base = std::env::var("TOKENKEEPER_KEYCHAIN_SERVICE")
            .unwrap_or_else(|_| "TokenKeeper-cli-test".to_owned());
        Self {
            dir: tempfile::tempdir().unwrap(),
            service: Some(format!("{base}-{tag}")),
        }
    }

    pub fn db(&self) -> PathBuf {
        self.dir.path().join("tokenkeeper.db")
    }

    pub fn tk(&self) -> Command {
        let mut c = Command::cargo_bin("tokenkeeper").unwrap();
        c.arg("--db").arg(self.db());
        if let Some(service) = &self.service {
            c.env("TOKENKEEPER_KEYCHAIN_SERVICE", service);
        }
        c
    }

    pub fn path(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }

    pub fn file(&self, name: &str, bytes: &[u8]) -> PathBuf {
        let p = self.path(name);
        std::fs::write(&p, bytes).unwrap();
        p
    }

    pub fn json(&self, args: &[&str]) -> (Value, i32) {
        let out = self.tk().args(args).output().unwrap();
        let v = serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
            panic!(
                "{e}: {}{}",
                String::from_utf8_lossy(&out.stdout),
                String::from_utf8_lossy(&out.stderr)
            )
        });
        (v, out.status.code().unwrap())
    }
}
