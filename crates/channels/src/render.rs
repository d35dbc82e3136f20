//! A message in each channel's own shape: an Adaptive Card in the envelope Teams Workflows
//! take, Slack's Block Kit, and a plain-text e-mail. All from the core's [`AlertMessage`], so
//! every channel says the same thing: the client, the credential (kind, identity, Apple
//! Account), its state and days left, what to do, and where to do it.

use serde_json::{Value, json};
use tokenkeeper_core::alerts::{AlertItem, AlertMessage, CHAT_LIST_MAX, line};

/// The "and N more" line after the first [`CHAT_LIST_MAX`] items, if any.
fn more(message: &AlertMessage) -> Option<String> {
    let n = message.alerts.len().saturating_sub(CHAT_LIST_MAX);
    (n > 0).then(|| format!("and {n} more: open TokenKeeper for the full list"))
}

/// The portals the items link to, once each, in order.
fn portals(message: &AlertMessage) -> Vec<&str> {
    let mut out: Vec<&str> = Vec::new();
    for i in &message.alerts {
        if !out.contains(&i.portal_url.as_str()) {
            out.push(&i.portal_url);
        }
    }
    out
}

fn portal_name(url: &str) -> &'static str {
    match url {
        u if u.contains("identity.apple.com") => "Apple Push Certificates Portal",
        u if u.contains("school.apple.com") => "Apple School Manager",
        _ => "Apple Business Manager",
    }
}

fn facts(i: &AlertItem) -> Vec<Value> {
    let mut f = vec![
        json!({"title": "Client", "value": i.client}),
        json!({"title": "Credential", "value": format!("{} \"{}\"", i.what, i.label)}),
        json!({"title": i.identity_name, "value": i.identity}),
        json!({"title": "State", "value": format!("{}: {}", i.state_label, i.phrase)}),
    ];
    if let Some(a) = &i.apple_account {
        f.push(json!({"title": "Apple Account", "value": a}));
    }
    f
}

/// The Teams Workflows body: `{"type": "message", "attachments": [{"contentType":
/// "application/vnd.microsoft.card.adaptive", "content": <Adaptive Card 1.4>}]}`.
pub fn teams(message: &AlertMessage) -> Value {
    let mut body = vec![
        json!({"type": "TextBlock", "text": message.title, "weight": "Bolder", "size": "Medium", "wrap": true}),
        json!({"type": "TextBlock", "text": message.summary, "wrap": true}),
    ];
    for i in message.alerts.iter().take(CHAT_LIST_MAX) {
        body.push(json!({"type": "FactSet", "separator": true, "facts": facts(i)}));
        body.push(json!({"type": "TextBlock", "text": i.advice, "wrap": true, "isSubtle": true}));
    }
    if let Some(m) = more(message) {
        body.push(json!({"type": "TextBlock", "text": m, "wrap": true}));
    }
    let actions: Vec<Value> = portals(message)
        .into_iter()
        .map(|u| json!({"type": "Action.OpenUrl", "title": format!("Open {}", portal_name(u)), "url": u}))
        .collect();
    json!({
        "type": "message",
        "attachments": [{
            "contentType": "application/vnd.microsoft.card.adaptive",
            "contentUrl": null,
            "content": {
                "$schema": "http://adaptivecards.io/schemas/adaptive-card.json",
                "type": "AdaptiveCard",
                "version": "1.4",
                "body": body,
                "actions": actions,
            }
        }]
    })
}

/// Escapes text for Slack's mrkdwn (`&`, `<`, `>`).
fn slack_escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

/// Cuts `s` to at most `max` characters (Slack refuses longer blocks).
fn cut(s: &str, max: usize) -> String {
    if s.chars().count() <= max {
        return s.to_owned();
    }
    let mut out: String = s.chars().take(max.saturating_sub(1)).collect();
    out.push('…');
    out
}

/// The Slack incoming-webhook body: `text` (the notification's fallback) and `blocks`: a
/// header, the summary, one section per credential, the portal links.
pub fn slack(message: &AlertMessage) -> Value {
    let mut blocks = vec![
        json!({"type": "header", "text": {"type": "plain_text", "text": cut(&message.title, 150)}}),
        json!({"type": "section", "text": {"type": "mrkdwn", "text": cut(&slack_escape(&message.summary), 3000)}}),
    ];
    for i in message.alerts.iter().take(CHAT_LIST_MAX) {
        let mut text = format!(
            "*{}* — {} \"{}\"\n{}: `{}`\n*{}*: {}",
            slack_escape(&i.client),
            slack_escape(&i.what),
            slack_escape(&i.label),
            slack_escape(&i.identity_name),
            slack_escape(&i.identity),
            slack_escape(&i.state_label),
            slack_escape(&i.phrase)
        );
        if let Some(a) = &i.apple_account {
            text.push_str(&format!("\nApple Account: {}", slack_escape(a)));
        }
        text.push_str(&format!(
            "\n{} <{}|{}>",
            slack_escape(&i.advice),
            i.portal_url,
            portal_name(&i.portal_url)
        ));
        blocks
            .push(json!({"type": "section", "text": {"type": "mrkdwn", "text": cut(&text, 3000)}}));
    }
    if let Some(m) = more(message) {
        blocks.push(json!({"type": "context", "elements": [{"type": "mrkdwn", "text": m}]}));
    }
    json!({"text": message.title, "blocks": blocks})
}

/// The e-mail's subject and plain text.
pub fn email(message: &AlertMessage) -> (String, String) {
    let mut text = format!("{}\n\n{}\n", message.title, message.summary);
    for i in &message.alerts {
        text.push_str(&format!("\n- {}\n  {}\n", line(i), i.advice));
        if let Some(reason) = &i.reason {
            text.push_str(&format!("  Reason: {reason}\n"));
        }
        text.push_str(&format!(
            "  {}: {}\n",
            portal_name(&i.portal_url),
            i.portal_url
        ));
    }
    text.push_str("\n-- \nSent by TokenKeeper. Every alert is also in its event log.\n");
    (format!("[TokenKeeper] {}", message.title), text)
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::{TimeZone, Utc};
    use tokenkeeper_core::Kind;
    use tokenkeeper_core::State;

    fn item(n: usize) -> AlertItem {
        AlertItem {
            credential_uid: format!("uid-{n}"),
            client: format!("Acme <{n}> & Co"),
            kind: Kind::PushCertificate,
            what: "APNs certificate".to_owned(),
            label: "APNs certificate".to_owned(),
            identity_name: "Push topic".to_owned(),
            identity: "com.apple.mgmt.External.x".to_owned(),
            apple_account: Some("it@acme.example".to_owned()),
            state: State::RenewalRequired,
            state_label: "Renewal Required".to_owned(),
            days_left: Some(12),
            expires_at: None,
            milestone: "before-14".to_owned(),
            phrase: "expires in 12 days".to_owned(),
            advice: "Renew it.".to_owned(),
            reason: None,
            portal_url: "https://identity.apple.com".to_owned(),
        }
    }

    fn message(n: usize) -> AlertMessage {
        AlertMessage {
            schema: "tokenkeeper.alert".to_owned(),
            version: 1,
            id: "m1".to_owned(),
            created_at: Utc
                .with_ymd_and_hms(2027, 3, 4, 9, 0, 0)
                .single()
                .expect("date"),
            test: false,
            title: "T".to_owned(),
            summary: "S".to_owned(),
            alerts: (0..n).map(item).collect(),
        }
    }

    #[test]
    fn teams_is_an_adaptive_card_in_a_message_envelope() {
        let v = teams(&message(12));
        assert_eq!(v["type"], "message");
        let a = &v["attachments"][0];
        assert_eq!(a["contentType"], "application/vnd.microsoft.card.adaptive");
        assert_eq!(a["content"]["type"], "AdaptiveCard");
        assert_eq!(a["content"]["version"], "1.4");
        let body = a["content"]["body"].as_array().expect("body");
        // title, summary, 10 items of two blocks, "and 2 more"
        assert_eq!(body.len(), 2 + 2 * CHAT_LIST_MAX + 1);
        assert_eq!(
            a["content"]["actions"][0]["url"],
            "https://identity.apple.com"
        );
    }

    #[test]
    fn slack_has_fallback_text_and_escaped_blocks() {
        let v = slack(&message(1));
        assert_eq!(v["text"], "T");
        let blocks = v["blocks"].as_array().expect("blocks");
        assert_eq!(blocks[0]["type"], "header");
        let text = blocks[2]["text"]["text"].as_str().expect("text");
        assert!(text.contains("Acme &lt;0&gt; &amp; Co"), "{text}");
        assert!(text.contains("<https://identity.apple.com|Apple Push Certificates Portal>"));
    }

    #[test]
    fn email_names_everything() {
        let (subject, text) = email(&message(2));
        assert_eq!(subject, "[TokenKeeper] T");
        assert!(text.contains("com.apple.mgmt.External.x"));
        assert!(text.contains("Apple Account it@acme.example"));
        assert!(text.contains("https://identity.apple.com"));
    }
}
