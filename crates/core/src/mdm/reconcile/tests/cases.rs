//! The cases of the reconciliation table: (what the case is, the record, what the MDM holds,
//! what the user must be told).

use super::*;

pub(super) fn cases() -> Vec<(&'static str, OnRecord, Seen, Want)> {
    let d = |s: &str| Some(at(s));
    vec![
        (
            "Intune holds the same push certificate",
            push("2027-03-01", "1a2b"),
            seen(
                Vendor::Intune,
                held(Kind::PushCertificate, |h| {
                    h.topic = Some(TOPIC.into());
                    h.serial = Some("1a2b".into());
                    h.expires_at = d("2027-03-01T00:00:00Z");
                }),
            ),
            Want::Agrees,
        ),
        (
            "Intune still holds the old certificate",
            push("2027-03-01", "1a2b"),
            seen(
                Vendor::Intune,
                held(Kind::PushCertificate, |h| {
                    h.topic = Some(TOPIC.into());
                    h.serial = Some("99".into());
                    h.expires_at = d("2026-12-20");
                }),
            ),
            Want::Disagrees(
                "the renewed certificate on record expires 2027-03-01 but Intune still holds the one expiring 2026-12-20: upload the renewed certificate to Intune",
            ),
        ),
        (
            "the MDM holds a newer certificate than the file",
            push("2026-12-20", "1a2b"),
            seen(
                Vendor::Intune,
                held(Kind::PushCertificate, |h| {
                    h.topic = Some(TOPIC.into());
                    h.expires_at = d("2027-12-20");
                }),
            ),
            Want::Disagrees(
                "Intune holds a newer certificate (expires 2027-12-20) than the one on record (expires 2026-12-20): import the renewed file",
            ),
        ),
        (
            "same dates, another serial",
            push("2027-03-01", "1a2b"),
            seen(
                Vendor::Jumpcloud,
                held(Kind::PushCertificate, |h| {
                    h.serial = Some("ff".into());
                    h.expires_at = d("2027-03-01");
                }),
            ),
            Want::Disagrees(
                "JumpCloud holds another certificate (serial ff) than the one on record (serial 1a2b)",
            ),
        ),
        (
            "Fleet's topic UUID matches the full topic",
            push("2027-03-01", "1a2b"),
            seen(
                Vendor::Fleet,
                held(Kind::PushCertificate, |h| {
                    h.topic = Some("0C1D2E3F-AAAA-BBBB-CCCC-1234567890AB".into());
                    h.expires_at = d("2027-03-01");
                }),
            ),
            Want::Agrees,
        ),
        (
            "Fleet holds a push certificate for another topic",
            push("2027-03-01", "1a2b"),
            seen(
                Vendor::Fleet,
                held(Kind::PushCertificate, |h| {
                    h.topic = Some("99999999-0000-0000-0000-000000000000".into());
                }),
            ),
            Want::RecordTold(
                "Fleet holds a push certificate for another topic (99999999-0000-0000-0000-000000000000)",
            ),
        ),
        (
            "Jamf says its push certificate expired while the file is valid",
            push("2027-03-01", "1a2b"),
            seen(
                Vendor::Jamf,
                held(Kind::PushCertificate, |h| {
                    h.notice = Some(Notice::Expired);
                }),
            ),
            Want::Disagrees(
                "Jamf Pro reports the certificate it holds has expired, but the one on record expires 2027-03-01: upload it to Jamf Pro",
            ),
        ),
        (
            "Jamf warns of expiry while a renewed file is on record",
            push("2027-11-01", "1a2b"),
            seen(
                Vendor::Jamf,
                held(Kind::PushCertificate, |h| {
                    h.notice = Some(Notice::ExpiresSoon);
                }),
            ),
            Want::Disagrees("Jamf Pro warns the certificate it holds expires soon"),
        ),
        (
            "Jamf warns of expiry and the file is in its window too: nothing new",
            push("2026-12-15", "1a2b"),
            seen(
                Vendor::Jamf,
                held(Kind::PushCertificate, |h| {
                    h.notice = Some(Notice::ExpiresSoon);
                }),
            ),
            Want::Agrees,
        ),
        (
            "Jamf reports the ABM terms are not accepted",
            ade("2027-05-01"),
            seen(
                Vendor::Jamf,
                held(Kind::ServerToken, |h| {
                    h.server_name = Some("cupertino mdm".into());
                    h.expires_at = d("2027-05-01");
                    h.notice = Some(Notice::TermsNotAccepted);
                }),
            ),
            Want::Disagrees("Jamf Pro reports the ABM terms are not accepted"),
        ),
        (
            "ADE matched by Apple Account and organisation",
            ade("2027-05-01"),
            seen(
                Vendor::Fleet,
                held(Kind::ServerToken, |h| {
                    h.apple_account = Some("ADMIN@acme.example".into());
                    h.org_name = Some("Acme Inc".into());
                    h.expires_at = d("2027-05-01T12:00:00Z");
                }),
            ),
            Want::Agrees,
        ),
        (
            "ADE token renewed but not uploaded to Kandji",
            ade("2027-05-01"),
            seen(
                Vendor::Kandji,
                held(Kind::ServerToken, |h| {
                    h.server_name = Some("Cupertino ABM".into());
                    h.expires_at = d("2026-12-10");
                }),
            ),
            Want::Disagrees(
                "the renewed token on record expires 2027-05-01 but Kandji still holds the one expiring 2026-12-10: upload the renewed token to Kandji",
            ),
        ),
        (
            "Intune's last ADE sync failed",
            ade("2027-05-01"),
            seen(
                Vendor::Intune,
                held(Kind::ServerToken, |h| {
                    h.server_name = Some("Cupertino MDM".into());
                    h.expires_at = d("2027-05-01");
                    h.notice = Some(Notice::SyncFailed { code: "401".into() });
                }),
            ),
            Want::Disagrees("Intune reports its last sync with Apple failed (401)"),
        ),
        (
            "an ADE server the file does not know is tracked from the MDM",
            ade("2027-05-01"),
            seen(
                Vendor::Intune,
                held(Kind::ServerToken, |h| {
                    h.server_name = Some("Other site".into());
                    h.apple_account = Some("other@acme.example".into());
                    h.expires_at = d("2027-02-01");
                }),
            ),
            Want::MdmOnly,
        ),
        (
            "Apps and Books matched by organisation and location",
            vpp("2027-06-01"),
            seen(
                Vendor::Fleet,
                held(Kind::ContentToken, |h| {
                    h.org_name = Some("ACME INC".into());
                    h.location = Some("Main Street".into());
                    h.expires_at = d("2027-06-01");
                }),
            ),
            Want::Agrees,
        ),
        (
            "Intune says the token is assigned to another MDM",
            vpp("2027-06-01"),
            seen(
                Vendor::Intune,
                held(Kind::ContentToken, |h| {
                    h.org_name = Some("Acme Inc".into());
                    h.expires_at = d("2027-06-01");
                    h.notice = Some(Notice::AssignedElsewhere);
                }),
            ),
            Want::Disagrees("Intune reports this Apps and Books token is assigned to another MDM"),
        ),
        (
            "another location is tracked from the MDM",
            vpp("2027-06-01"),
            seen(
                Vendor::Jamf,
                held(Kind::ContentToken, |h| {
                    h.org_name = Some("Acme Inc".into());
                    h.location = Some("Harbour Road".into());
                }),
            ),
            Want::MdmOnly,
        ),
        (
            "another client's connection never matches",
            OnRecord {
                client: "Globex".into(),
                ..vpp("2027-06-01")
            },
            seen(
                Vendor::Jamf,
                held(Kind::ContentToken, |h| {
                    h.org_name = Some("Acme Inc".into());
                    h.location = Some("Main Street".into());
                }),
            ),
            Want::MdmOnly,
        ),
    ]
}
