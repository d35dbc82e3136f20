//! Why reading a console failed: one variant per real failure, each with what to do. No text
//! from the wire is ever echoed beyond an HTTP status, so no secret can ride along.

/// A connection that could not be read.
#[derive(Debug, Clone, PartialEq)]
pub enum SyncError {
    /// The console refused the credentials (HTTP 401 or 403), after one fresh token.
    Unauthorized {
        /// The status.
        status: u16,
        /// What the vendor calls the secret ("API token").
        secret_name: &'static str,
    },
    /// The console is busy (HTTP 429) for longer than this sync can wait.
    Busy {
        /// Seconds it asked to wait, when it said.
        retry_after: Option<u64>,
    },
    /// The console failed (HTTP 5xx).
    Server {
        /// The status.
        status: u16,
    },
    /// An answer no connector expects (a 404 on a list, a redirect).
    Unexpected {
        /// The status.
        status: u16,
        /// The path called.
        path: String,
    },
    /// No full answer within the connection's time limit.
    Timeout {
        /// The limit, in seconds.
        seconds: f32,
    },
    /// The network failed: what happened, in words.
    Network {
        /// What happened.
        detail: String,
    },
    /// The answer is not the JSON the vendor documents.
    Malformed {
        /// The path called.
        path: String,
        /// Where and how (a position, never the text).
        detail: String,
    },
    /// The answer is larger than any console's list.
    TooLarge {
        /// The path called.
        path: String,
    },
    /// The connection's settings cannot work (no client id, a bad CA file, a link that leaves
    /// the console).
    Settings {
        /// What is wrong.
        detail: String,
    },
}

impl std::fmt::Display for SyncError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            SyncError::Unauthorized {
                status,
                secret_name,
            } => write!(
                f,
                "the MDM refused TokenKeeper's credentials (HTTP {status}): check the {secret_name} and that it may read the MDM's Apple settings"
            ),
            SyncError::Busy {
                retry_after: Some(s),
            } => write!(
                f,
                "the MDM is busy (HTTP 429) and asked to wait {s} s: it is read again at the next sync"
            ),
            SyncError::Busy { retry_after: None } => write!(
                f,
                "the MDM is busy (HTTP 429): it is read again at the next sync"
            ),
            SyncError::Server { status } => write!(
                f,
                "the MDM failed (HTTP {status}): it is read again at the next sync"
            ),
            SyncError::Unexpected { status, path } => write!(
                f,
                "the MDM answered HTTP {status} to GET {path}: check the address, and that this MDM's version publishes it"
            ),
            SyncError::Timeout { seconds } => write!(
                f,
                "no answer from the MDM within {seconds} s: check the address, or try again later"
            ),
            SyncError::Network { detail } => write!(f, "the MDM could not be reached: {detail}"),
            SyncError::Malformed { path, detail } => write!(
                f,
                "the MDM's answer to GET {path} is not what its API documents ({detail}); nothing was changed"
            ),
            SyncError::TooLarge { path } => write!(
                f,
                "the MDM's answer to GET {path} is far too large to be a list of Apple credentials; nothing was changed"
            ),
            SyncError::Settings { detail } => write!(f, "{detail}"),
        }
    }
}

impl std::error::Error for SyncError {}
