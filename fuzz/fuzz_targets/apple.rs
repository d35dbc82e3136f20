//! Apple's answers turned into values: `client/config`, `/session`, `/account`, the error
//! classifiers (status from the first two bytes), `Retry-After`, and the stored OAuth values.
#![no_main]

use chrono::{TimeZone, Utc};
use libfuzzer_sys::fuzz_target;
use tokenkeeper_core::apple::{apps_and_books, classify, device_assignment};
use tokenkeeper_core::summary::Portal;

fuzz_target!(|data: &[u8]| {
    let (status, body) = match data {
        [a, b, rest @ ..] => (u16::from_be_bytes([*a, *b]) % 600, rest),
        _ => (200, data),
    };
    let text = String::from_utf8_lossy(body);
    let now = Utc.timestamp_opt(1_767_225_600, 0).single().unwrap_or_default();
    std::hint::black_box(apps_and_books::read_config(&text).ok());
    std::hint::black_box(device_assignment::read_account(&text).ok());
    std::hint::black_box(device_assignment::read_session(&text));
    std::hint::black_box(device_assignment::keys_from_stored(body).is_ok());
    std::hint::black_box(classify::retry_after(&text, now));
    std::hint::black_box(classify::excerpt(&text));
    for finding in [
        classify::device_assignment(status, &text, Some(&text), now),
        classify::apps_and_books(status, &text, Some(&text), now),
    ]
    .into_iter()
    .flatten()
    {
        std::hint::black_box(finding.reason(classify::Service::DeviceAssignment, Portal::Business));
        std::hint::black_box(finding.reason(classify::Service::AppsAndBooks, Portal::School));
    }
});
