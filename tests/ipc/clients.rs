//! Clients and settings through IPC.

use serde_json::json;

use super::Harness;

#[test]
fn clients_are_added_listed_renamed_and_removed() {
    let h = Harness::start();
    let acme = h.add_client("Acme");
    assert_eq!(acme["name"], "Acme");
    assert_eq!(acme["portal"], "business");
    assert_eq!(acme["credentials"], 0);
    assert_eq!(
        h.err(
            "add_client",
            json!({ "name": "acme", "portal": "school", "notes": "" })
        ),
        "already_exists"
    );
    let renamed = h.ok(
        "update_client",
        json!({ "name": "acme", "newName": "Acme Schools", "portal": "school", "notes": "3 sites" }),
    );
    assert_eq!(renamed["name"], "Acme Schools");
    assert_eq!(renamed["portal"], "school");
    let list = h.ok("list_clients", json!({}));
    assert_eq!(list.as_array().unwrap().len(), 1);
    assert_eq!(list[0]["notes"], "3 sites");
    // One client by name, in any case, as the list has it; nothing for a name nobody has.
    assert_eq!(
        h.ok("get_client", json!({ "name": "ACME schools" })),
        list[0]
    );
    assert_eq!(h.ok("get_client", json!({ "name": "Acme" })), json!(null));

    h.ok("remove_client", json!({ "name": "Acme Schools" }));
    assert_eq!(h.ok("list_clients", json!({})), json!([]));
    assert_eq!(
        h.ok("get_client", json!({ "name": "Acme Schools" })),
        json!(null)
    );
    assert_eq!(
        h.err("remove_client", json!({ "name": "Acme Schools" })),
        "not_found"
    );
    let events = h.ok(
        "list_events",
        json!({ "query": { "client": null, "kinds": [], "limit": 0 } }),
    );
    let kinds: Vec<&str> = events
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["kind"].as_str().unwrap())
        .collect();
    assert_eq!(kinds, ["client_removed", "client_updated", "client_added"]);
}

#[test]
fn settings_round_trip_and_refuse_nonsense() {
    let h = Harness::start();
    let defaults = h.ok("get_settings", json!({}));
    assert_eq!(
        defaults,
        json!({ "renewal_window_days": 30, "grace_days": 30 })
    );
    let saved = h.ok(
        "set_settings",
        json!({ "thresholds": { "renewal_window_days": 45, "grace_days": 10 } }),
    );
    assert_eq!(
        saved,
        json!({ "renewal_window_days": 45, "grace_days": 10 })
    );
    assert_eq!(h.ok("get_settings", json!({})), saved);
    assert_eq!(
        h.err(
            "set_settings",
            json!({ "thresholds": { "renewal_window_days": 400, "grace_days": 10 } })
        ),
        "invalid_input"
    );
}

#[test]
fn the_team_section_names_this_computers_file_and_no_members() {
    let h = Harness::start();
    let team = h.ok("get_team", json!({}));
    assert_eq!(team["shared"], false);
    assert_eq!(team["me"], serde_json::Value::Null);
    assert_eq!(team["members"], json!([]));
    assert!(
        team["database"].as_str().is_some_and(|d| !d.is_empty()),
        "{team}"
    );
}
