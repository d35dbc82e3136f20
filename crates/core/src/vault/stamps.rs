//! Dates as the vault stores them: RFC 3339 in UTC, to the second.

use chrono::{DateTime, Utc};

/// Timestamps as stored: RFC 3339 UTC, seconds.
pub(crate) fn ts(t: DateTime<Utc>) -> String {
    t.to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
}

/// A stored date: read digit by digit when it is in the form [`ts`] writes
/// (`2027-03-01T09:30:00Z`), else as RFC 3339. chrono's RFC 3339 parser and its offset
/// arithmetic were a twentieth of listing 100,000 credentials (callgrind).
pub(crate) fn parse_ts(s: &str) -> Option<DateTime<Utc>> {
    whole_second_utc(s).or_else(|| {
        DateTime::parse_from_rfc3339(s)
            .ok()
            .map(|d| d.with_timezone(&Utc))
    })
}

/// `YYYY-MM-DDTHH:MM:SSZ`, or `None` for anything else (left to chrono).
fn whole_second_utc(s: &str) -> Option<DateTime<Utc>> {
    let b: &[u8; 20] = s.as_bytes().try_into().ok()?;
    let separators = [
        (4, b'-'),
        (7, b'-'),
        (10, b'T'),
        (13, b':'),
        (16, b':'),
        (19, b'Z'),
    ];
    if separators.iter().any(|&(at, c)| b[at] != c) {
        return None;
    }
    let number = |from: usize, to: usize| -> Option<u32> {
        b[from..to].iter().try_fold(0u32, |n, &d| {
            d.is_ascii_digit().then(|| n * 10 + u32::from(d - b'0'))
        })
    };
    let year = i32::try_from(number(0, 4)?).ok()?;
    chrono::NaiveDate::from_ymd_opt(year, number(5, 7)?, number(8, 10)?)?
        .and_hms_opt(number(11, 13)?, number(14, 16)?, number(17, 19)?)
        .map(|t| t.and_utc())
}

#[cfg(test)]
mod tests {
    use chrono::{Duration, TimeZone};

    use super::*;

    /// The digit-by-digit reading of stored dates agrees with chrono's RFC 3339 parser on what
    /// `ts` writes and on everything near it: other forms, impossible dates, leap seconds, junk.
    #[test]
    fn stored_dates_read_as_chrono_reads_them() {
        let chrono_reads = |s: &str| {
            DateTime::parse_from_rfc3339(s)
                .ok()
                .map(|d| d.with_timezone(&Utc))
        };
        let mut at = Utc
            .with_ymd_and_hms(1999, 12, 31, 23, 59, 59)
            .single()
            .expect("a date");
        for _ in 0..5_000 {
            let s = ts(at);
            assert_eq!(parse_ts(&s), Some(at), "{s}");
            at += Duration::seconds(86_400 * 7 + 3_607);
        }
        for s in [
            "2027-02-29T00:00:00Z",
            "2028-02-29T00:00:00Z",
            "2027-13-01T00:00:00Z",
            "2027-00-10T00:00:00Z",
            "2027-04-31T00:00:00Z",
            "2027-01-01T24:00:00Z",
            "2027-01-01T23:60:00Z",
            "2016-12-31T23:59:60Z",
            "2027-01-01t10:00:00z",
            "2027-01-01T10:00:00+02:00",
            "2027-01-01T10:00:00.5Z",
            "2027-01-01 10:00:00Z",
            "2027-1-01T10:00:000Z",
            "+027-01-01T10:00:00Z",
            "2027-01-01T10:00:00\u{0}",
            "0000-01-01T00:00:00Z",
            "9999-12-31T23:59:59Z",
            "",
            "not a date at all!!!",
        ] {
            assert_eq!(parse_ts(s), chrono_reads(s), "{s:?}");
        }
    }
}
