//! Answers as Apple gives them, for tests to register with the fake.

use chrono::{DateTime, Utc};
use serde_json::{Value, json};

/// `/account` as micromdm's sample shows it (`shared/fixtures/external/micromdm/`).
pub fn sample_account() -> Value {
    let path = super::super::external_fixture("micromdm/account_response.json");
    let text = std::fs::read_to_string(&path).expect("micromdm account_response.json");
    serde_json::from_str(&text).expect("sample account JSON")
}

/// A `client/config` answer.
pub fn client_config(
    location: &str,
    uid: &str,
    expires_at: DateTime<Utc>,
    mdm: Option<&str>,
) -> Value {
    let mut config = json!({
        "locationName": location,
        "uId": uid,
        "tokenExpirationDate": expires_at.format("%Y-%m-%dT%H:%M:%S%z").to_string(),
        "countryISO2ACode": "US",
        "defaultPlatform": "volumestore",
        "notificationTypes": [],
    });
    if let Some(name) = mdm {
        config["mdmInfo"] = json!({"id": format!("id-{name}"), "metadata": "", "name": name});
    }
    config
}
