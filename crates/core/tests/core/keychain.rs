//! The real OS keychain: raw bytes go in and come back unchanged, accounts stay apart, deleting is
//! idempotent, and a keychain that cannot be reached is `keychain_unavailable` with advice.
//!
//! On Linux these tests need a private, unlocked Secret Service, which `scripts/with-keychain.sh`
//! (run by `npm test`) provides; without it they fail rather than pass having tested nothing.

use tokenkeeper_core::{Keychain, SecretStore};

/// Set to `1` by `scripts/with-keychain.sh` (and `scripts/test.sh` on macOS and Windows).
const REAL_KEYCHAIN_ENV: &str = "TOKENKEEPER_REAL_KEYCHAIN";

/// The keychain these tests may write to, or a failure that says how to provide one.
pub fn real_keychain() -> Keychain {
    if std::env::var(REAL_KEYCHAIN_ENV).as_deref() == Ok("1") {
        return Keychain::new(Keychain::default_service());
    }
    if cfg!(target_os = "linux") {
        panic!(
            "the keychain tests need a private, unlocked Secret Service and {REAL_KEYCHAIN_ENV}=1: \
             run them through `npm test` or `scripts/with-keychain.sh cargo test ...`"
        );
    }
    // macOS and Windows always have their keychain; keep the test's entries under their own name.
    Keychain::new(format!("TokenKeeper-test-{}", std::process::id()))
}

/// Deletes the accounts it was given when the test ends, passed or failed.
struct Accounts<'a> {
    keychain: &'a Keychain,
    names: Vec<String>,
}

impl<'a> Accounts<'a> {
    fn new(keychain: &'a Keychain, test: &str, count: usize) -> Self {
        let names = (0..count)
            .map(|i| format!("keychain-test-{}-{test}-{i}", std::process::id()))
            .collect();
        Accounts { keychain, names }
    }
}

impl Drop for Accounts<'_> {
    fn drop(&mut self) {
        for name in &self.names {
            let _ = self.keychain.delete(name);
        }
    }
}

/// Every byte value, 2 KiB in all: about a private key's size, within Windows' 2,560-byte limit.
fn binary_secret() -> Vec<u8> {
    (0..2048).map(|i| (i % 256) as u8).collect()
}

#[test]
fn real_keychain_round_trips_binary_secrets() {
    let keychain = real_keychain();
    let accounts = Accounts::new(&keychain, "round-trip", 1);
    let account = accounts.names[0].as_str();

    assert!(keychain.get(account).unwrap().is_none(), "fresh account");

    let first = binary_secret();
    assert!(
        std::str::from_utf8(&first).is_err(),
        "the secret must not be UTF-8"
    );
    keychain.put(account, &first).unwrap();
    assert_eq!(keychain.get(account).unwrap().unwrap().as_slice(), first);

    let second = [0xff, 0xfe, 0x00, 0x80, 0xc3, 0x28, b'k', b'e', b'y'];
    keychain.put(account, &second).unwrap();
    assert_eq!(
        keychain.get(account).unwrap().unwrap().as_slice(),
        second,
        "put overwrites"
    );

    keychain.delete(account).unwrap();
    assert!(
        keychain.get(account).unwrap().is_none(),
        "gone after delete"
    );
    keychain.delete(account).unwrap();
}

#[test]
fn real_keychain_keeps_accounts_apart() {
    let keychain = real_keychain();
    let accounts = Accounts::new(&keychain, "apart", 2);
    let (a, b) = (accounts.names[0].as_str(), accounts.names[1].as_str());

    keychain.put(a, b"\x00secret of a\xff").unwrap();
    keychain.put(b, b"\x01secret of b\xfe").unwrap();
    assert_eq!(
        keychain.get(a).unwrap().unwrap().as_slice(),
        b"\x00secret of a\xff"
    );
    assert_eq!(
        keychain.get(b).unwrap().unwrap().as_slice(),
        b"\x01secret of b\xfe"
    );

    keychain.delete(a).unwrap();
    assert!(keychain.get(a).unwrap().is_none());
    assert_eq!(
        keychain.get(b).unwrap().unwrap().as_slice(),
        b"\x01secret of b\xfe",
        "deleting one account leaves the other"
    );
}

#[test]
fn real_keychain_services_are_separate() {
    let keychain = real_keychain();
    let other = Keychain::new(format!("{}-other", keychain.service()));
    let accounts = Accounts::new(&keychain, "services", 1);
    let _other_accounts = Accounts {
        keychain: &other,
        names: accounts.names.clone(),
    };
    let account = accounts.names[0].as_str();

    keychain.put(account, b"mine").unwrap();
    assert!(other.get(account).unwrap().is_none());
    other.put(account, b"theirs").unwrap();
    assert_eq!(keychain.get(account).unwrap().unwrap().as_slice(), b"mine");
}

/// Checks, in a child process, that every operation fails as `keychain_unavailable` with advice
/// and without the secret; prints [`CHILD_DONE`] so the parent knows the checks really ran.
#[cfg(target_os = "linux")]
fn assert_all_refused(keychain: &Keychain, secret: &[u8]) {
    let errors = [
        keychain.put("account", secret).unwrap_err(),
        keychain.get("account").unwrap_err(),
        keychain.delete("account").unwrap_err(),
    ];
    for err in errors {
        let message = err.to_string();
        println!("{message}");
        assert_eq!(err.kind(), "keychain_unavailable", "{message}");
        assert!(message.contains("unlock it"), "{message}");
        assert!(message.contains("try again"), "{message}");
        assert!(message.contains("nothing was saved"), "{message}");
        assert!(
            !message.contains(&*String::from_utf8_lossy(secret)),
            "{message}"
        );
    }
    println!("{CHILD_DONE}");
}

#[cfg(target_os = "linux")]
const CHILD_DONE: &str = "child: all three operations refused";

/// Runs `test` of this binary again in a child process prepared by `command` (this process's own
/// environment cannot be changed safely), and asserts it passed.
#[cfg(target_os = "linux")]
fn run_child(mut command: std::process::Command, test: &str, child_env: &str) {
    let output = command
        .arg(std::env::current_exe().unwrap())
        .args([test, "--exact", "--nocapture", "--test-threads=1"])
        .env(child_env, "1")
        // A display would let gnome-keyring show a real unlock prompt and wait for it.
        .env_remove("DISPLAY")
        .env_remove("WAYLAND_DISPLAY")
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&output.stdout);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        output.status.success() && stdout.contains(CHILD_DONE),
        "child failed ({}):\n{stdout}\n{stderr}",
        output.status
    );
}

/// Waits until gnome-keyring owns its bus name: a call before then would make the bus start a
/// second daemon.
#[cfg(target_os = "linux")]
fn wait_for_secret_service() {
    for _ in 0..100 {
        let reply = std::process::Command::new("dbus-send")
            .args([
                "--session",
                "--print-reply=literal",
                "--dest=org.freedesktop.DBus",
                "/org/freedesktop/DBus",
                "org.freedesktop.DBus.NameHasOwner",
                "string:org.freedesktop.secrets",
            ])
            .output()
            .unwrap();
        if String::from_utf8_lossy(&reply.stdout).contains("true") {
            return;
        }
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
    panic!("gnome-keyring did not take the org.freedesktop.secrets bus name within 5 s");
}

/// No session bus at all (the address leads nowhere): no Secret Service can be reached.
#[cfg(target_os = "linux")]
#[test]
fn unreachable_keychain_is_keychain_unavailable() {
    const CHILD_ENV: &str = "TOKENKEEPER_TEST_UNREACHABLE_CHILD";
    if std::env::var_os(CHILD_ENV).is_some() {
        assert_all_refused(
            &Keychain::new("TokenKeeper-test-unreachable"),
            b"secret-marker-4b1d",
        );
        return;
    }

    let dir = tempfile::tempdir().unwrap();
    let mut command = std::process::Command::new("env");
    command.env(
        "DBUS_SESSION_BUS_ADDRESS",
        format!("unix:path={}", dir.path().join("no-bus").display()),
    );
    run_child(
        command,
        "keychain::unreachable_keychain_is_keychain_unavailable",
        CHILD_ENV,
    );
}

/// A real gnome-keyring on a private bus of its own, holding an entry, then locked: unlocking
/// needs a prompt, which cannot be shown, so every operation is refused.
#[cfg(target_os = "linux")]
#[test]
fn locked_keychain_is_keychain_unavailable() {
    use std::io::Write as _;
    use std::process::{Command, Stdio};

    const CHILD_ENV: &str = "TOKENKEEPER_TEST_LOCKED_CHILD";
    const SECRET: &[u8] = b"secret-marker-9c2e";
    if std::env::var_os(CHILD_ENV).is_some() {
        let mut daemon = Command::new("gnome-keyring-daemon")
            .args(["--unlock", "--components=secrets"])
            .stdin(Stdio::piped())
            .stdout(Stdio::null())
            .spawn()
            .unwrap();
        daemon.stdin.take().unwrap().write_all(b"pw").unwrap();
        assert!(daemon.wait().unwrap().success());
        wait_for_secret_service();

        let keychain = Keychain::new("TokenKeeper-test-locked");
        keychain.put("account", SECRET).unwrap();
        assert!(keychain.get("account").unwrap().is_some());
        let lock = Command::new("dbus-send")
            .args([
                "--session",
                "--print-reply",
                "--dest=org.freedesktop.secrets",
                "/org/freedesktop/secrets",
                "org.freedesktop.Secret.Service.Lock",
                "array:objpath:/org/freedesktop/secrets/collection/login",
            ])
            .stdout(Stdio::null())
            .status()
            .unwrap();
        assert!(lock.success(), "locking the login collection failed");

        assert_all_refused(&keychain, SECRET);
        return;
    }

    real_keychain(); // on Linux, fails unless the tools of scripts/with-keychain.sh are there
    let home = tempfile::tempdir().unwrap();
    let mut command = Command::new("dbus-run-session");
    for (name, sub) in [
        ("XDG_DATA_HOME", "data"),
        ("XDG_RUNTIME_DIR", "run"),
        ("XDG_CONFIG_HOME", "config"),
        ("XDG_CACHE_HOME", "cache"),
    ] {
        let dir = home.path().join(sub);
        std::fs::create_dir(&dir).unwrap();
        command.env(name, dir);
    }
    std::fs::set_permissions(
        home.path().join("run"),
        std::os::unix::fs::PermissionsExt::from_mode(0o700),
    )
    .unwrap();
    command
        .env("HOME", home.path())
        .env_remove("DBUS_SESSION_BUS_ADDRESS")
        .env_remove("GNOME_KEYRING_CONTROL")
        .arg("--");
    run_child(
        command,
        "keychain::locked_keychain_is_keychain_unavailable",
        CHILD_ENV,
    );
}
