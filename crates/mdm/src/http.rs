//! One connection's HTTP: the core's client stack (ureq, platform TLS or the connection's own
//! CA, proxies from the environment, no redirects), a deadline for the whole connection, the
//! vendor's authentication, one fresh token after a 401, one short wait after a 429, and JSON
//! read into typed values without ever quoting the wire in an error.

use std::time::{Duration, Instant};

use secrecy::{ExposeSecret, SecretString};
use serde::de::DeserializeOwned;

use crate::{Endpoint, SyncError};

mod agent;
use agent::{is_loopback, shared_agent};

/// The largest answer read: a console's lists of Apple credentials are a few KiB per item.
pub(crate) const MAX_BODY: u64 = 8 * 1024 * 1024;
/// The longest `Retry-After` a sync waits for once; longer is reported as busy.
const MAX_WAIT: Duration = Duration::from_secs(5);

/// How a vendor authenticates.
pub(crate) enum Auth {
    /// The secret as a bearer token (Fleet, Kandji).
    Bearer,
    /// OAuth 2.0 client credentials at `token_url` with `extra` form fields; the token got.
    ClientCredentials {
        token_url: String,
        extra: Vec<(&'static str, String)>,
        token: Option<SecretString>,
    },
    /// The secret as the HTTP Basic user name (SimpleMDM).
    Basic,
    /// The secret in `x-api-key`, the tenant in `x-org-id` (JumpCloud).
    ApiKey,
}

/// One connection being read: its HTTP client, deadline and authentication. Only the
/// connectors of this crate use its methods.
pub struct Session<'a> {
    pub(crate) endpoint: &'a Endpoint,
    loopback: bool,
    /// No call made yet: the first goes out with the agent's own limit (the session's whole
    /// limit, what is left of it then), which is what makes ureq keep the agent's TLS
    /// connector; later calls carry what is left of the limit, and reuse that connector.
    first: bool,
    deadline: Instant,
    limit: Duration,
    /// The base URL, without a trailing slash.
    pub(crate) base: String,
    auth: Auth,
}

impl<'a> Session<'a> {
    pub(crate) fn new(
        endpoint: &'a Endpoint,
        deadline: Instant,
        limit: Duration,
    ) -> Result<Self, SyncError> {
        let base = endpoint.url.trim().trim_end_matches('/').to_owned();
        let loopback = is_loopback(&base);
        // A CA file that holds no certificate is this connection's error before any call.
        shared_agent(endpoint.ca_pem.as_deref(), loopback, limit)?;
        Ok(Self {
            endpoint,
            loopback,
            first: true,
            deadline,
            limit,
            base,
            auth: Auth::Bearer,
        })
    }

    /// The shared agent, and whether this call must carry its own limit (what is left).
    fn agent(&mut self) -> Result<(ureq::Agent, bool), SyncError> {
        let agent = shared_agent(self.endpoint.ca_pem.as_deref(), self.loopback, self.limit)?;
        let own_limit = !std::mem::take(&mut self.first);
        Ok((agent, own_limit))
    }

    pub(crate) fn set_auth(&mut self, auth: Auth) {
        self.auth = auth;
    }

    fn remaining(&self) -> Result<Duration, SyncError> {
        let left = self.deadline.saturating_duration_since(Instant::now());
        if left.is_zero() {
            return Err(self.timeout());
        }
        Ok(left)
    }

    fn timeout(&self) -> SyncError {
        SyncError::Timeout {
            seconds: self.limit.as_secs_f32(),
        }
    }

    /// The URL of `target`: a path under the base, or an absolute URL that must stay under it
    /// (a next-page link must not carry the token elsewhere).
    fn url(&self, target: &str) -> Result<String, SyncError> {
        if target.starts_with('/') {
            return Ok(format!("{}{target}", self.base));
        }
        if target.starts_with(&format!("{}/", self.base)) {
            return Ok(target.to_owned());
        }
        Err(SyncError::Settings {
            detail: "the MDM sent a next-page link to another address; it was not followed"
                .to_owned(),
        })
    }

    /// The path of `url` as shown in errors (no query, no host).
    fn shown(&self, url: &str) -> String {
        let path = url.strip_prefix(&self.base).unwrap_or(url);
        path.split('?').next().unwrap_or_default().to_owned()
    }

    /// `GET target` as JSON; `Ok(None)` for a 404 when `absent_ok` (the console has none).
    pub(crate) fn get<T: DeserializeOwned>(
        &mut self,
        target: &str,
        absent_ok: bool,
    ) -> Result<Option<T>, SyncError> {
        let url = self.url(target)?;
        let path = self.shown(&url);
        let mut refreshed = false;
        let mut waited = false;
        loop {
            let (status, retry_after, body) = self.call_get(&url, &path)?;
            match status {
                200..=299 => return parse(&body, &path).map(Some),
                401 if !refreshed && matches!(self.auth, Auth::ClientCredentials { .. }) => {
                    if let Auth::ClientCredentials { token, .. } = &mut self.auth {
                        *token = None;
                    }
                    refreshed = true;
                }
                401 | 403 => {
                    return Err(SyncError::Unauthorized {
                        status,
                        secret_name: self.endpoint.vendor.secret_name(),
                    });
                }
                404 if absent_ok => return Ok(None),
                429 => {
                    let wait = retry_after.map(Duration::from_secs);
                    match wait {
                        Some(w)
                            if !waited && w <= MAX_WAIT && Instant::now() + w < self.deadline =>
                        {
                            std::thread::sleep(w);
                            waited = true;
                        }
                        _ => return Err(SyncError::Busy { retry_after }),
                    }
                }
                500..=599 => return Err(SyncError::Server { status }),
                _ => return Err(SyncError::Unexpected { status, path }),
            }
        }
    }

    /// One GET with the vendor's authentication: status, `Retry-After` seconds, body.
    fn call_get(&mut self, url: &str, path: &str) -> Result<(u16, Option<u64>, String), SyncError> {
        let bearer = self.credential()?;
        let remaining = self.remaining()?;
        let (agent, own_limit) = self.agent()?;
        let secret = self.endpoint.secret.expose_secret();
        let mut request = agent.get(url);
        if own_limit {
            request = request.config().timeout_global(Some(remaining)).build();
        }
        let mut request = request.header("Accept", "application/json");
        request = match &self.auth {
            Auth::Bearer => request.header("Authorization", &format!("Bearer {secret}")),
            Auth::ClientCredentials { .. } => request.header(
                "Authorization",
                &format!(
                    "Bearer {}",
                    bearer
                        .as_ref()
                        .map(ExposeSecret::expose_secret)
                        .unwrap_or_default()
                ),
            ),
            Auth::Basic => {
                use base64::Engine as _;
                let basic = base64::engine::general_purpose::STANDARD.encode(format!("{secret}:"));
                request.header("Authorization", &format!("Basic {basic}"))
            }
            Auth::ApiKey => {
                let r = request.header("x-api-key", secret);
                match &self.endpoint.tenant {
                    Some(org) => r.header("x-org-id", org),
                    None => r,
                }
            }
        };
        let response = request.call().map_err(|e| self.failure(&e, path))?;
        self.read(response, path)
    }

    fn read(
        &self,
        mut response: ureq::http::Response<ureq::Body>,
        path: &str,
    ) -> Result<(u16, Option<u64>, String), SyncError> {
        let status = response.status().as_u16();
        let retry_after = response
            .headers()
            .get("Retry-After")
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.trim().parse::<u64>().ok());
        let body = response
            .body_mut()
            .with_config()
            .limit(MAX_BODY)
            .read_to_string()
            .map_err(|e| self.failure(&e, path))?;
        Ok((status, retry_after, body))
    }

    /// The bearer token of an OAuth vendor, requested when there is none yet.
    fn credential(&mut self) -> Result<Option<SecretString>, SyncError> {
        let Auth::ClientCredentials {
            token_url,
            extra,
            token,
        } = &self.auth
        else {
            return Ok(None);
        };
        if let Some(t) = token {
            return Ok(Some(t.clone()));
        }
        let client_id = self
            .endpoint
            .client_id
            .clone()
            .ok_or_else(|| SyncError::Settings {
                detail: format!(
                    "{} needs the API client's id: add the connection again with --client-id",
                    self.endpoint.vendor.name()
                ),
            })?;
        let mut form: Vec<(&str, String)> = vec![
            ("grant_type", "client_credentials".to_owned()),
            ("client_id", client_id),
            (
                "client_secret",
                self.endpoint.secret.expose_secret().to_owned(),
            ),
        ];
        form.extend(extra.iter().cloned());
        let url = token_url.clone();
        let path = self.shown(&url);
        let remaining = self.remaining()?;
        let (agent, own_limit) = self.agent()?;
        let mut request = agent.post(&url);
        if own_limit {
            request = request.config().timeout_global(Some(remaining)).build();
        }
        let response = request
            .header("Accept", "application/json")
            .send_form(form.iter().map(|(k, v)| (*k, v.as_str())))
            .map_err(|e| self.failure(&e, &path))?;
        drop(form);
        let (status, retry_after, body) = self.read(response, &path)?;
        match status {
            200..=299 => {}
            400 | 401 | 403 => {
                return Err(SyncError::Unauthorized {
                    status,
                    secret_name: self.endpoint.vendor.secret_name(),
                });
            }
            429 => return Err(SyncError::Busy { retry_after }),
            500..=599 => return Err(SyncError::Server { status }),
            _ => return Err(SyncError::Unexpected { status, path }),
        }
        #[derive(serde::Deserialize)]
        struct Token {
            access_token: Option<String>,
            token: Option<String>,
        }
        let got: Token = parse(&body, &path)?;
        let value = got
            .access_token
            .or(got.token)
            .filter(|t| !t.is_empty())
            .ok_or_else(|| SyncError::Malformed {
                path: path.clone(),
                detail: "no access token in the answer".to_owned(),
            })?;
        let secret = SecretString::from(value);
        if let Auth::ClientCredentials { token, .. } = &mut self.auth {
            *token = Some(secret.clone());
        }
        Ok(Some(secret))
    }

    fn failure(&self, e: &ureq::Error, path: &str) -> SyncError {
        let network = |detail: &str| SyncError::Network {
            detail: detail.to_owned(),
        };
        match e {
            ureq::Error::Timeout(_) | ureq::Error::BodyStalled => self.timeout(),
            ureq::Error::BodyExceedsLimit(_) => SyncError::TooLarge {
                path: path.to_owned(),
            },
            ureq::Error::HostNotFound => network("host not found: check the address and DNS"),
            ureq::Error::ConnectionFailed => network("connection failed"),
            ureq::Error::Io(io) => match io.kind() {
                std::io::ErrorKind::TimedOut | std::io::ErrorKind::WouldBlock => self.timeout(),
                std::io::ErrorKind::ConnectionRefused => network("connection refused"),
                std::io::ErrorKind::ConnectionReset | std::io::ErrorKind::ConnectionAborted => {
                    network("the connection was closed")
                }
                std::io::ErrorKind::UnexpectedEof => {
                    network("the connection closed before a full answer")
                }
                _ => network("network error"),
            },
            ureq::Error::Tls(_) | ureq::Error::NativeTls(_) => network(
                "TLS failure: the MDM's certificate is not trusted (give its CA with --ca-file) or TLS failed",
            ),
            ureq::Error::ConnectProxyFailed(_) => network("the proxy refused the connection"),
            ureq::Error::InvalidProxyUrl => network("the proxy address in HTTPS_PROXY is invalid"),
            ureq::Error::BadUri(_) => SyncError::Settings {
                detail: "the MDM's address is not a valid URL".to_owned(),
            },
            ureq::Error::Protocol(_) => network("the answer is not valid HTTP"),
            _ => network("network failure"),
        }
    }
}

/// Reads JSON into `T`; an error says where and how, never quoting the text (a value could be
/// a secret).
pub(crate) fn parse<T: DeserializeOwned>(body: &str, path: &str) -> Result<T, SyncError> {
    serde_json::from_str(body).map_err(|e| {
        let how = match e.classify() {
            serde_json::error::Category::Eof => "cut short",
            serde_json::error::Category::Syntax => "not valid JSON",
            serde_json::error::Category::Data => "a field is missing or has the wrong type",
            serde_json::error::Category::Io => "unreadable",
        };
        SyncError::Malformed {
            path: path.to_owned(),
            detail: format!("{how} at line {} column {}", e.line(), e.column()),
        }
    })
}
