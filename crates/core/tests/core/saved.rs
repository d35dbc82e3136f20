//! The key workflows the desktop app and the command line share ("make it and save it"), each
//! rule once, in the core: a blank common name means the default, a file that cannot be saved
//! takes its new key away again, a PKCS#12 needs a password, chain files must hold certificates.

use tokenkeeper_core::vault::{CertExport, CertFormat, chain_pem};
use tokenkeeper_core::{Portal, Vault};

use super::Shared;
use super::vault::now;

fn vault(dir: &tempfile::TempDir) -> Vault {
    let mut v = Vault::new(
        crate::open_db(&dir.path().join("tk.db")).unwrap(),
        Box::new(Shared(super::keychain_store())),
    );
    v.add_client("Acme Corp", Portal::Business, "", now())
        .unwrap();
    v
}

#[test]
fn a_blank_common_name_means_the_default_for_csrs_and_ade_keys() {
    let dir = tempfile::tempdir().unwrap();
    let mut v = vault(&dir);
    for blank in [None, Some(""), Some("   ")] {
        let out = dir.path().join("push.csr");
        let saved = v
            .save_push_csr("acme corp", blank, "DE", "it@acme.example", &out, now())
            .unwrap();
        assert!(
            saved.key.subject.contains("CN=Acme Corp"),
            "{}",
            saved.key.subject
        );
        assert!(!saved.vendor_available);
        assert!(saved.explanation.is_some());
        assert!(
            std::fs::read_to_string(&out)
                .unwrap()
                .contains("CERTIFICATE REQUEST")
        );
        let ade = v
            .save_ade_key("Acme Corp", blank, &dir.path().join("ade.pem"), now())
            .unwrap();
        assert!(
            ade.subject.contains("TokenKeeper ADE Acme Corp"),
            "{}",
            ade.subject
        );
    }
    let named = v
        .save_push_csr(
            "Acme Corp",
            Some(" MDM Acme "),
            "DE",
            "it@acme.example",
            &dir.path().join("n.csr"),
            now(),
        )
        .unwrap();
    assert!(
        named.key.subject.contains("CN=MDM Acme"),
        "{}",
        named.key.subject
    );
}

#[test]
fn a_file_that_cannot_be_saved_takes_its_new_key_away_again() {
    let dir = tempfile::tempdir().unwrap();
    let mut v = vault(&dir);
    let nowhere = dir.path().join("missing-folder").join("push.csr");
    let e = v
        .save_push_csr("Acme Corp", None, "DE", "it@acme.example", &nowhere, now())
        .unwrap_err();
    assert_eq!(e.kind(), "io");
    let e = v
        .save_ade_key("Acme Corp", None, &nowhere, now())
        .unwrap_err();
    assert_eq!(e.kind(), "io");
    assert!(v.keys(None).unwrap().is_empty(), "no key left behind");
    let later = now() + tokenkeeper_core::STAGING_GRACE * 2;
    assert!(
        v.orphaned_secrets(later, tokenkeeper_core::STAGING_GRACE)
            .unwrap()
            .is_empty()
    );
}

#[test]
fn a_pkcs12_export_needs_a_password_and_pem_does_not() {
    for format in [CertFormat::P12, CertFormat::P12Legacy] {
        for none in [None, Some("")] {
            let e = CertExport::for_format(format, none).unwrap_err();
            assert_eq!(e.kind(), "invalid_input");
            assert!(e.to_string().contains("needs a password"));
        }
        assert!(matches!(
            CertExport::for_format(format, Some("s3cret")).unwrap(),
            CertExport::Pkcs12 { .. }
        ));
    }
    assert!(matches!(
        CertExport::for_format(CertFormat::Pem, None).unwrap(),
        CertExport::Pem
    ));
}

#[test]
fn chain_files_must_hold_certificates_and_become_pem() {
    let ca = tokenkeeper_core::testing::TestCa::new();
    let der = ca.cert.to_der().unwrap();
    let pem = chain_pem(&[("root.cer".to_owned(), der)]).unwrap();
    assert!(
        String::from_utf8(pem)
            .unwrap()
            .starts_with("-----BEGIN CERTIFICATE-----")
    );
    let e = chain_pem(&[("notes.txt".to_owned(), b"hello".to_vec())]).unwrap_err();
    assert_eq!(e.kind(), "invalid_input");
    assert!(e.to_string().contains("notes.txt"));
}

#[test]
fn a_settings_change_writes_only_what_differs_and_default_means_apples_address() {
    use tokenkeeper_core::apple::DEVICE_ASSIGNMENT_URL;
    use tokenkeeper_core::vault::{EventFilter, SettingsChange};
    let dir = tempfile::tempdir().unwrap();
    let mut v = vault(&dir);
    let logged = |v: &Vault| {
        v.events(&EventFilter {
            kinds: vec!["settings_changed".to_owned()],
            ..EventFilter::default()
        })
        .unwrap()
        .len()
    };
    let before = logged(&v);
    let change = SettingsChange {
        grace_days: Some(20),
        device_assignment_url: Some("http://127.0.0.1:9/dep".to_owned()),
        ..SettingsChange::default()
    };
    v.change_settings(&change, now()).unwrap();
    assert_eq!(v.thresholds().unwrap().grace_days, 20);
    assert_eq!(v.thresholds().unwrap().renewal_window_days, 30, "kept");
    assert_eq!(
        v.check_settings().unwrap().device_assignment_url,
        "http://127.0.0.1:9/dep"
    );
    let after_first = logged(&v);
    assert_eq!(after_first, before + 2);
    // The same change again writes nothing.
    v.change_settings(&change, now()).unwrap();
    assert_eq!(logged(&v), after_first);
    // The settings page's whole form, unchanged: nothing either.
    let shown = v.check_settings().unwrap();
    assert_eq!(v.set_check_settings(&shown, now()).unwrap(), shown);
    assert_eq!(logged(&v), after_first);
    v.change_settings(
        &SettingsChange {
            device_assignment_url: Some(" DEFAULT ".to_owned()),
            ..SettingsChange::default()
        },
        now(),
    )
    .unwrap();
    assert_eq!(
        v.check_settings().unwrap().device_assignment_url,
        DEVICE_ASSIGNMENT_URL
    );
}

#[test]
fn a_snooze_lasts_at_most_a_month() {
    use tokenkeeper_core::vault::MAX_SNOOZE_HOURS;
    let dir = tempfile::tempdir().unwrap();
    let mut v = vault(&dir);
    let until = v.snooze_for(10_000, now()).unwrap();
    assert_eq!(
        until,
        now() + chrono::Duration::hours(i64::from(MAX_SNOOZE_HOURS))
    );
    assert_eq!(
        v.snooze_for(24, now()).unwrap(),
        now() + chrono::Duration::hours(24)
    );
}
