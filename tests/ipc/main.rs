//! The desktop app's real command layer on Tauri's mock runtime: every call goes through IPC as
//! the UI sends it (camelCase arguments, JSON bodies, `tauri://localhost`), and every answer,
//! success or error, is checked for secret values.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod channels;
mod checks;
mod clients;
mod dashboard;
mod imports;
mod keys;
mod mdm;

use std::path::PathBuf;
use std::sync::Arc;

use serde_json::{Value, json};
use tauri::test::{INVOKE_KEY, MockRuntime, mock_builder, mock_context, noop_assets};
use tauri::webview::InvokeRequest;
use tauri::{App, WebviewWindow, WebviewWindowBuilder};
use tokenkeeper_app::VaultFile;
use tokenkeeper_core::secrets::{MemoryStore, SecretStore};
use tokenkeeper_core::testing::{CONTENT_SECRET_MARKER, SECRET_MARKERS};

/// What must never appear in an IPC payload: the server tokens' OAuth values, the content
/// tokens' value, private keys.
fn secret_markers() -> Vec<&'static str> {
    let mut markers = SECRET_MARKERS.to_vec();
    markers.extend([CONTENT_SECRET_MARKER, "PRIVATE KEY"]);
    markers
}

/// The app as it runs, on the mock runtime, over a temporary database; the secrets in memory,
/// shared by the app's vault and the vaults its checks open.
pub struct Harness {
    pub dir: tempfile::TempDir,
    pub secrets: Arc<MemoryStore>,
    /// More values no answer may hold (the passwords a test types).
    forbidden: std::cell::RefCell<Vec<String>>,
    _app: App<MockRuntime>,
    pub webview: WebviewWindow<MockRuntime>,
}

impl Harness {
    pub fn start() -> Self {
        let dir = tempfile::tempdir().unwrap();
        let secrets = Arc::new(MemoryStore::default());
        let shared: Arc<dyn SecretStore> = secrets.clone();
        let file = VaultFile::new(dir.path().join("tk.db"), shared);
        let app = tokenkeeper_app::with_vault_file(mock_builder(), file)
            .unwrap()
            .build(mock_context(noop_assets()))
            .unwrap();
        let webview = WebviewWindowBuilder::new(&app, "main", Default::default())
            .build()
            .unwrap();
        Self {
            dir,
            secrets,
            forbidden: Default::default(),
            _app: app,
            webview,
        }
    }

    /// Calls a command as the UI does; `Err` holds the `{kind, message}` body. Fails the test
    /// when the raw answer carries a secret.
    pub fn call(&self, cmd: &str, args: Value) -> Result<Value, Value> {
        let response = tauri::test::get_ipc_response(&self.webview, request(cmd, args));
        let raw = match &response {
            Ok(tauri::ipc::InvokeResponseBody::Json(text)) => text.clone(),
            Ok(tauri::ipc::InvokeResponseBody::Raw(bytes)) => {
                String::from_utf8_lossy(bytes).into_owned()
            }
            Err(value) => value.to_string(),
        };
        for marker in secret_markers() {
            assert!(!raw.contains(marker), "{cmd} answered with a secret: {raw}");
        }
        for marker in self.forbidden.borrow().iter() {
            assert!(
                !raw.contains(marker),
                "{cmd} answered with a password: {raw}"
            );
        }
        response.map(|body| body.deserialize::<Value>().unwrap())
    }

    /// From now on, no answer may contain `value` (a password the test types).
    pub fn forbid(&self, value: &str) {
        self.forbidden.borrow_mut().push(value.to_owned());
    }

    /// Calls a command that must succeed.
    pub fn ok(&self, cmd: &str, args: Value) -> Value {
        self.call(cmd, args)
            .unwrap_or_else(|e| panic!("{cmd} failed: {e}"))
    }

    /// Calls a command that must fail; returns the error's kind after checking its shape.
    pub fn err(&self, cmd: &str, args: Value) -> String {
        self.err_body(cmd, args).0
    }

    /// Calls a command that must fail; returns its kind and message after checking its shape.
    pub fn err_body(&self, cmd: &str, args: Value) -> (String, String) {
        let body = self.call(cmd, args).expect_err(cmd);
        let message = body["message"].as_str().unwrap_or_default();
        assert!(
            !message.is_empty(),
            "{cmd}: an error needs a message: {body}"
        );
        assert_eq!(
            body.as_object().unwrap().len(),
            2,
            "{{kind, message}}: {body}"
        );
        (
            body["kind"].as_str().unwrap().to_owned(),
            message.to_owned(),
        )
    }

    /// Writes a file for the UI to name by path.
    pub fn file(&self, name: &str, bytes: &[u8]) -> PathBuf {
        let path = self.dir.path().join(name);
        std::fs::write(&path, bytes).unwrap();
        path
    }

    pub fn add_client(&self, name: &str) -> Value {
        self.ok(
            "add_client",
            json!({ "name": name, "portal": "business", "notes": "" }),
        )
    }
}

/// A command call as the UI sends it.
pub fn request(cmd: &str, args: Value) -> InvokeRequest {
    InvokeRequest {
        cmd: cmd.into(),
        callback: tauri::ipc::CallbackFn(0),
        error: tauri::ipc::CallbackFn(1),
        url: "tauri://localhost".parse().unwrap(),
        body: tauri::ipc::InvokeBody::Json(args),
        headers: Default::default(),
        invoke_key: INVOKE_KEY.to_string(),
    }
}

/// The arguments of `plan_import` / `import_file` for a file of `client`.
pub fn import_args(client: &str, path: &std::path::Path) -> Value {
    json!({
        "client": client,
        "path": path,
        "label": null,
        "apple_account": null,
        "expires_at": null,
        "key_path": null,
    })
}
