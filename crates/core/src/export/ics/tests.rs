use icalendar::parser::{Component, read_calendar, unfold};
use icalendar::{CalendarDateTime, Component as _, DatePerhapsTime};

use super::*;
use crate::export::fixtures::{at, listed, row, sample};

/// The calendar text of `rows`, as [`crate::export::export`] makes it.
fn write(rows: &(impl Listing + ?Sized), now: DateTime<Utc>) -> String {
    crate::export::export(rows, crate::export::ExportFormat::Ics, now)
}

/// The calendar as parsed by the `icalendar` crate, owned.
fn parse(text: &str) -> (Vec<(String, String)>, Vec<Component<'static>>) {
    let unfolded = unfold(text);
    let calendar = read_calendar(&unfolded).expect("the export parses");
    let properties = calendar
        .properties
        .iter()
        .map(|p| (p.name.as_str().to_owned(), p.val.as_str().to_owned()))
        .collect();
    let components = calendar.components.into_iter().map(owned).collect();
    (properties, components)
}

fn owned(component: Component<'_>) -> Component<'static> {
    Component {
        name: component.name.into_owned(),
        properties: component
            .properties
            .into_iter()
            .map(|p| icalendar::parser::Property {
                name: p.name.into_owned(),
                val: p.val.into_owned(),
                params: Vec::new(),
            })
            .collect(),
        components: component.components.into_iter().map(owned).collect(),
    }
}

fn prop<'a>(component: &'a Component<'_>, name: &str) -> &'a str {
    component
        .find_prop(name)
        .unwrap_or_else(|| panic!("{name} missing"))
        .val
        .as_str()
}

#[test]
fn parses_with_a_real_parser() {
    let text = write(&sample(), listed());
    let (properties, events) = parse(&text);
    for expected in [
        ("VERSION", "2.0"),
        ("PRODID", "-//TokenKeeper//TokenKeeper//EN"),
        ("CALSCALE", "GREGORIAN"),
        ("METHOD", "PUBLISH"),
        ("X-WR-CALNAME", "TokenKeeper expiries"),
    ] {
        assert!(
            properties.contains(&(expected.0.to_owned(), expected.1.to_owned())),
            "{expected:?}"
        );
    }
    // Four rows, one with an unknown expiry: three events.
    assert_eq!(events.len(), 3);
    assert!(events.iter().all(|e| e.name.as_str() == "VEVENT"));

    let ade = &events[1];
    assert_eq!(prop(ade, "UID"), "cred-ade-2@tokenkeeper");
    assert_eq!(prop(ade, "SEQUENCE"), "3");
    assert_eq!(prop(ade, "DTSTAMP"), "20270220T090000Z");
    assert_eq!(prop(ade, "DTSTART"), "20270304T120000Z");
    assert_eq!(prop(ade, "DTEND"), "20270304T123000Z");
    assert_eq!(prop(ade, "TRANSP"), "TRANSPARENT");
    assert_eq!(
        prop(ade, "SUMMARY"),
        "Lycée Victor Hugo: ADE server token (Main MDM) expires"
    );
    let description = prop(ade, "DESCRIPTION");
    assert!(description.contains("https://school.apple.com (Apple School Manager)"));
    assert!(description.contains("\nMDM server: CK_0123456789abcdef\n"));
    assert!(description.contains("\nApple Account on record: it@acme.example\n"));

    let alarms: Vec<_> = ade.components.iter().collect();
    assert_eq!(alarms.len(), 3);
    let triggers: Vec<_> = alarms.iter().map(|a| prop(a, "TRIGGER")).collect();
    assert_eq!(triggers, ["-P30D", "-P7D", "-P1D"]);
    for alarm in alarms {
        assert_eq!(alarm.name.as_str(), "VALARM");
        assert_eq!(prop(alarm, "ACTION"), "DISPLAY");
        assert!(prop(alarm, "DESCRIPTION").starts_with("Lycée Victor Hugo: ADE server token"));
    }

    let apns = prop(&events[0], "DESCRIPTION");
    assert!(apns.contains("https://identity.apple.com"));
    assert!(apns.contains("\nTopic: com.apple.mgmt.External."));
    assert_eq!(
        prop(&events[0], "SUMMARY"),
        "Acme: APNs push certificate expires"
    );
    let vpp = prop(&events[2], "DESCRIPTION");
    assert!(vpp.contains("https://business.apple.com (Apple Business Manager)"));
    assert!(vpp.contains("Apple Account on record: none recorded"));
}

#[test]
fn the_crate_reads_utc_start_uid_and_sequence() {
    let rows = sample();
    let calendar: icalendar::Calendar = write(&rows, listed()).parse().expect("parses");
    let events: Vec<_> = calendar
        .components
        .iter()
        .filter_map(|c| c.as_event())
        .collect();
    assert_eq!(events.len(), 3);
    for (event, row) in events
        .iter()
        .zip(rows.iter().filter(|r| r.expires_at.is_some()))
    {
        let expiry = row.expires_at.expect("filtered on expiry");
        assert_eq!(
            event.get_start(),
            Some(DatePerhapsTime::DateTime(CalendarDateTime::Utc(expiry)))
        );
        assert_eq!(
            event.get_end(),
            Some(DatePerhapsTime::DateTime(CalendarDateTime::Utc(
                expiry + Duration::minutes(30)
            )))
        );
        assert_eq!(event.get_timestamp(), Some(listed()));
        assert_eq!(
            event.get_uid(),
            Some(format!("{}@tokenkeeper", row.uid).as_str())
        );
        assert_eq!(event.get_sequence(), Some(row.revision));
    }
}

#[test]
fn lines_are_crlf_and_at_most_75_octets() {
    let mut long = sample();
    long[0].client = "Ç".repeat(300);
    let text = write(&long, listed());
    assert!(text.ends_with("END:VCALENDAR\r\n"));
    let body = text.strip_suffix("\r\n").expect("ends with CRLF");
    for line in body.split("\r\n") {
        assert!(
            line.len() <= MAX_LINE_OCTETS,
            "{} octets: {line}",
            line.len()
        );
        assert!(!line.contains(['\r', '\n']), "bare line break in {line:?}");
    }
}

#[test]
fn long_names_with_accents_and_emoji_unfold_to_the_original() {
    let client: String = "Société Générale 🇫🇷 Ærø Zürich 👩‍💻 ñ "
        .chars()
        .cycle()
        .take(200)
        .collect();
    assert_eq!(client.chars().count(), 200);
    let apns = row(
        "long",
        &client,
        Kind::PushCertificate,
        "",
        "com.apple.mgmt.x",
        Some(at(2027, 9, 1, 10, 30)),
    );
    let text = write(&[apns], listed());
    // The name was folded across several lines, each a whole number of characters.
    let summary_lines = text
        .split("\r\n")
        .skip_while(|l| !l.starts_with("SUMMARY:"))
        .take_while(|l| l.starts_with("SUMMARY:") || l.starts_with(' '))
        .count();
    assert!(summary_lines > 3, "{summary_lines}");
    let (_, events) = parse(&text);
    assert_eq!(
        prop(&events[0], "SUMMARY"),
        format!("{client}: APNs push certificate expires")
    );
    assert!(prop(&events[0], "DESCRIPTION").contains(&format!("of {client} before")));
}

#[test]
fn text_is_escaped() {
    assert_eq!(
        escape_text("a\\b;c,d\ne\r\nf\rg\u{7}h\ti"),
        "a\\\\b\\;c\\,d\\ne\\nf\\ngh\ti"
    );
    let mut tricky = row(
        "u;1,2",
        "Smith, Jones; Partners",
        Kind::ContentToken,
        "North\nSouth",
        "Acme",
        Some(at(2027, 6, 1, 0, 0)),
    );
    tricky.apple_account = Some("a@b.example".to_owned());
    let text = write(&[tricky], listed());
    assert!(unfold(&text).contains(
        "SUMMARY:Smith\\, Jones\\; Partners: Apps and Books token (North\\nSouth) expires\r\n"
    ));
    let (_, events) = parse(&text);
    assert_eq!(prop(&events[0], "UID"), "u;1,2@tokenkeeper");
    assert_eq!(
        prop(&events[0], "SUMMARY"),
        "Smith, Jones; Partners: Apps and Books token (North\nSouth) expires"
    );
}

#[test]
fn uids_do_not_depend_on_the_moment_of_export() {
    let rows = sample();
    let first = write(&rows, listed());
    let later = write(&rows, listed() + Duration::days(40));
    let uids = |text: &str| {
        parse(text)
            .1
            .iter()
            .map(|e| prop(e, "UID").to_owned())
            .collect::<Vec<_>>()
    };
    assert_eq!(uids(&first), uids(&later));
    assert_eq!(uids(&first).len(), 3);
    // Only DTSTAMP changes.
    fn without_stamp(text: &str) -> Vec<&str> {
        text.lines()
            .filter(|l| !l.starts_with("DTSTAMP:"))
            .collect()
    }
    assert_ne!(first, later);
    assert_eq!(without_stamp(&first), without_stamp(&later));
}

#[test]
fn an_empty_list_is_an_empty_calendar() {
    let text = write(&[], listed());
    let (properties, events) = parse(&text);
    assert_eq!(properties.len(), 5);
    assert!(events.is_empty());
}
