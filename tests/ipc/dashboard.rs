//! The dashboard through IPC: rows a window at a time, tabs, search, the clients' tallies, a
//! credential by uid, and an index that follows every change to the database, whoever made it.

use std::sync::Arc;

use chrono::{Duration, Utc};
use serde_json::{Value, json};
use tokenkeeper_app::VaultFile;
use tokenkeeper_core::secrets::SecretStore;
use tokenkeeper_core::testing::{
    ContentTokenSpec, KeyPair, PushCertificateSpec, TestCa, pem, random_topic,
};

use super::{Harness, import_args};

fn page(h: &Harness, tab: &str, search: &str, offset: u32, limit: u32, fresh: bool) -> Value {
    h.ok(
        "dashboard",
        json!({
            "query": { "tab": tab, "search": search, "offset": offset, "limit": limit },
            "fresh": fresh,
        }),
    )
}

fn clients(p: &Value) -> Vec<&str> {
    p["rows"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["client"].as_str().unwrap())
        .collect()
}

fn import(h: &Harness, client: &str, name: &str, bytes: &[u8]) -> String {
    h.add_client(client);
    let path = h.file(name, bytes);
    let outcome = h.ok(
        "import_file",
        json!({
            "args": import_args(client, &path),
            "confirmation": { "confirmed": false, "accept_new_identity": false },
        }),
    );
    outcome["uid"].as_str().unwrap().to_owned()
}

fn push(days: i64) -> Vec<u8> {
    pem(&PushCertificateSpec::new(&random_topic())
        .expiring(Utc::now() + Duration::days(days))
        .issue(&TestCa::new(), KeyPair::shared(0)))
}

#[test]
fn an_empty_vault_has_an_empty_dashboard() {
    let h = Harness::start();
    let p = page(&h, "all", "", 0, 40, true);
    assert_eq!(
        p,
        json!({
            "total": 0, "attention": 0, "checkable": false, "clients": 0,
            "counts": { "all": 0, "renewal_required": 0, "expired": 0, "error": 0 },
            "matched": 0, "offset": 0, "rows": [],
        })
    );
    assert_eq!(h.ok("client_tallies", json!({})), json!([]));

    // A client without credentials is counted (the window shows the count before the list of
    // clients), not listed, and the index notices it without being asked for fresh data.
    h.add_client("Acme");
    let p = page(&h, "all", "", 0, 40, false);
    assert_eq!(
        (p["clients"].clone(), p["total"].clone()),
        (json!(1), json!(0))
    );
    assert_eq!(h.ok("client_tallies", json!({})), json!([]));
}

#[test]
fn rows_come_most_urgent_first_by_tab_search_and_window() {
    let h = Harness::start();
    let acme = import(&h, "Acme", "acme.pem", &push(300));
    import(&h, "Bolt", "bolt.pem", &push(10));
    let vpp = ContentTokenSpec::new("Cedar Schools", Utc::now() + Duration::days(200)).build();
    import(&h, "Cedar", "cedar.vpptoken", &vpp);

    let all = page(&h, "all", "", 0, 40, false);
    assert_eq!(
        clients(&all),
        ["Bolt", "Cedar", "Acme"],
        "then the soonest expiry"
    );
    assert_eq!(
        (all["total"].as_u64(), all["attention"].as_u64()),
        (Some(3), Some(1))
    );
    assert_eq!(all["counts"]["renewal_required"], 1);
    assert_eq!(
        all["checkable"], true,
        "an Apps and Books token can be checked"
    );

    assert_eq!(
        clients(&page(&h, "renewal_required", "", 0, 40, false)),
        ["Bolt"]
    );
    assert_eq!(
        clients(&page(&h, "error", "", 0, 40, false)),
        Vec::<&str>::new()
    );

    let found = page(&h, "all", "cedar apps", 0, 40, false);
    assert_eq!(clients(&found), ["Cedar"]);
    assert_eq!(found["counts"]["all"], 1);
    assert_eq!(found["total"], 3, "the total ignores the search");

    let window = page(&h, "all", "", 1, 1, false);
    assert_eq!(clients(&window), ["Cedar"]);
    assert_eq!(
        (window["matched"].as_u64(), window["offset"].as_u64()),
        (Some(3), Some(1))
    );

    let tallies = h.ok("client_tallies", json!({}));
    assert_eq!(
        tallies[1],
        json!({ "client": "Bolt", "credentials": 1, "attention": 1, "worst": "renewal_required" })
    );
    assert_eq!(tallies.as_array().unwrap().len(), 3);

    let one = h.ok("find_credential", json!({ "uid": acme }));
    assert_eq!(one["client"], "Acme");
    assert_eq!(
        h.err("find_credential", json!({ "uid": "no-such-uid" })),
        "not_found"
    );
}

#[test]
fn the_index_follows_changes_made_here_and_by_another_process() {
    let h = Harness::start();
    let first = import(&h, "Acme", "acme.pem", &push(300));
    assert_eq!(page(&h, "all", "", 0, 40, false)["total"], 1);

    // A change through the app's own vault: seen without asking for fresh data.
    import(&h, "Bolt", "bolt.pem", &push(100));
    assert_eq!(page(&h, "all", "", 0, 40, false)["total"], 2);
    h.ok(
        "update_credential",
        json!({ "uid": first, "label": "Main MDM", "appleAccount": null }),
    );
    assert_eq!(
        clients(&page(&h, "all", "main mdm", 0, 40, false)),
        ["Acme"]
    );

    // A change through another connection to the same file (the command line does this).
    let shared: Arc<dyn SecretStore> = h.secrets.clone();
    let mut other = VaultFile::new(h.dir.path().join("tk.db"), shared)
        .open()
        .unwrap();
    other.remove_credential(&first, Utc::now()).unwrap();
    let p = page(&h, "all", "", 0, 40, false);
    assert_eq!(clients(&p), ["Bolt"]);
    assert_eq!(
        h.err("find_credential", json!({ "uid": first })),
        "not_found"
    );
}

#[test]
fn a_malformed_query_is_refused_and_names_the_field() {
    let h = Harness::start();
    let refused = h
        .call(
            "dashboard",
            json!({ "query": { "tab": "nonsense", "search": "", "offset": 0, "limit": 10 }, "fresh": false }),
        )
        .expect_err("an unknown tab");
    assert!(refused.to_string().contains("nonsense"), "{refused}");
}
