//! Checking what a user gives for a channel: a webhook's address (https only, never repeated
//! in an error), an SMTP server URL, e-mail addresses, and what each kind needs.

use super::{ChannelKind, ChannelSecret, ChannelSpec, SmtpSecurity};
use crate::error::{Error, Result};

/// `https://host[:port]` of a URL, checking it is https (or http to this computer).
///
/// # Errors
/// [`Error::InvalidInput`] (the message never repeats the URL: it may carry a token).
pub fn webhook_endpoint(url: &str) -> Result<String> {
    let bad = |why: &str| Error::InvalidInput {
        message: format!("the webhook address {why}"),
    };
    let (scheme, rest) = url
        .trim()
        .split_once("://")
        .ok_or_else(|| bad("is not a URL (it starts with https://)"))?;
    let authority = rest.split(['/', '?', '#']).next().unwrap_or_default();
    let host_port = authority.rsplit('@').next().unwrap_or_default();
    if host_port.is_empty() || url.chars().any(|c| c.is_whitespace() || c.is_control()) {
        return Err(bad("has no host, or contains spaces"));
    }
    let host = crate::apple::host_of(host_port);
    match scheme.to_ascii_lowercase().as_str() {
        "https" => {}
        "http" if crate::apple::is_loopback(host) => {}
        "http" => return Err(bad("must use https:// (http:// only for this computer)")),
        _ => return Err(bad("must start with https://")),
    }
    Ok(format!("{}://{host_port}", scheme.to_ascii_lowercase()))
}

/// Reads `smtp://[USER@]HOST[:PORT]` (STARTTLS, port 587) or `smtps://…` (TLS, port 465).
///
/// # Errors
/// [`Error::InvalidInput`].
pub fn parse_smtp_url(url: &str) -> Result<(SmtpSecurity, Option<String>, String, u16)> {
    let bad = || Error::InvalidInput {
        message:
            "an SMTP server is smtp://USER@HOST:PORT (STARTTLS) or smtps://USER@HOST:PORT (TLS)"
                .to_owned(),
    };
    let (scheme, rest) = url.trim().split_once("://").ok_or_else(bad)?;
    let (security, default_port) = match scheme.to_ascii_lowercase().as_str() {
        "smtp" => (SmtpSecurity::Starttls, 587),
        "smtps" => (SmtpSecurity::Tls, 465),
        _ => return Err(bad()),
    };
    let rest = rest.trim_end_matches('/');
    let (user, host_port) = match rest.rsplit_once('@') {
        Some((u, h)) => (Some(u.to_owned()).filter(|u| !u.is_empty()), h),
        None => (None, rest),
    };
    let (host, port) = if let Some(v6) = host_port.strip_prefix('[') {
        let (h, after) = v6.split_once(']').ok_or_else(bad)?;
        match after.strip_prefix(':') {
            Some(p) => (h, p.parse::<u16>().map_err(|_| bad())?),
            None if after.is_empty() => (h, default_port),
            None => return Err(bad()),
        }
    } else {
        match host_port.split_once(':') {
            Some((h, p)) => (h, p.parse::<u16>().map_err(|_| bad())?),
            None => (host_port, default_port),
        }
    };
    let printable = |s: &str| {
        !s.is_empty()
            && !s
                .chars()
                .any(|c| c.is_whitespace() || c.is_control() || c == '/')
    };
    if !printable(host) || port == 0 || user.as_deref().is_some_and(|u| !printable(u)) {
        return Err(bad());
    }
    Ok((security, user, host.to_owned(), port))
}

/// Checks an e-mail address (one `@`, something on each side, no spaces or brackets).
///
/// # Errors
/// [`Error::InvalidInput`].
pub fn check_email(address: &str) -> Result<String> {
    let a = address.trim();
    let ok = a.len() <= 254
        && a.split('@').count() == 2
        && a.split('@').all(|p| !p.is_empty())
        && !a
            .chars()
            .any(|c| c.is_whitespace() || c.is_control() || "<>,;\"()[]\\".contains(c));
    if ok {
        Ok(a.to_owned())
    } else {
        Err(Error::InvalidInput {
            message: format!("\"{a}\" is not an e-mail address"),
        })
    }
}

/// Checks a spec and its secret together: what each kind needs.
pub(super) fn check_spec(
    spec: &ChannelSpec,
    secret: Option<&ChannelSecret>,
) -> Result<Option<String>> {
    let invalid = |m: &str| Error::InvalidInput {
        message: m.to_owned(),
    };
    let name = spec.name.trim();
    if name.is_empty() || name.chars().any(char::is_control) || name.chars().count() > 100 {
        return Err(invalid(
            "a channel needs a name (printable, at most 100 characters)",
        ));
    }
    match spec.kind {
        ChannelKind::Email => {
            let s = &spec.settings;
            if s.host.is_empty() || s.port == 0 {
                return Err(invalid("an e-mail channel needs its SMTP server"));
            }
            check_email(s.from.as_deref().unwrap_or_default())?;
            if s.to.is_empty() {
                return Err(invalid(
                    "an e-mail channel needs at least one recipient (--to)",
                ));
            }
            for to in &s.to {
                check_email(to)?;
            }
            if s.username.is_some() && secret.is_some_and(|x| x.password.is_none()) {
                return Err(invalid("an SMTP account needs its password"));
            }
            Ok(None)
        }
        _ => match secret {
            Some(x) => {
                let url = x
                    .url
                    .as_deref()
                    .ok_or_else(|| invalid("a webhook channel needs its URL"))?;
                Ok(Some(webhook_endpoint(url)?))
            }
            None => Ok(None),
        },
    }
}
