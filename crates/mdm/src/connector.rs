//! The one interface every MDM connector implements, and the helpers they share.

use serde_json::Value;
use tokenkeeper_core::mdm::{Held, Vendor};

use crate::SyncError;
use crate::http::Session;

/// How many pages of one list a connector follows at most (a console that keeps linking
/// onward is broken, not large).
pub(crate) const MAX_PAGES: usize = 200;

/// A read-only connector to one MDM product: token requests and `GET`s only.
pub trait Connector: Send + Sync {
    /// Which MDM.
    fn vendor(&self) -> Vendor;

    /// Everything the console publishes about the three credentials.
    ///
    /// # Errors
    /// A [`SyncError`]; nothing is returned in part.
    #[doc(hidden)]
    fn fetch(&self, session: &mut Session<'_>) -> Result<Vec<Held>, SyncError>;
}

/// The connector for `vendor`.
pub fn connector(vendor: Vendor) -> Box<dyn Connector> {
    match vendor {
        Vendor::Intune => Box::new(crate::intune::Intune),
        Vendor::Jamf => Box::new(crate::jamf::Jamf),
        Vendor::Fleet => Box::new(crate::fleet::Fleet),
        Vendor::Kandji => Box::new(crate::kandji::Kandji),
        Vendor::Simplemdm => Box::new(crate::simplemdm::SimpleMdm),
        Vendor::Jumpcloud => Box::new(crate::jumpcloud::JumpCloud),
    }
}

/// Text of a JSON string or number (vendors send serials and ids as either); `None` for
/// null, empty or anything else.
pub(crate) fn text(v: Option<&Value>) -> Option<String> {
    match v? {
        Value::String(s) if !s.trim().is_empty() => Some(s.trim().to_owned()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

/// A vendor date, read leniently: text that is not a date is an unknown date.
pub(crate) fn date(v: Option<&Value>) -> Option<chrono::DateTime<chrono::Utc>> {
    text(v).and_then(|t| tokenkeeper_core::mdm::parse_vendor_date(&t))
}

/// Too many pages.
pub(crate) fn endless(path: &str) -> SyncError {
    SyncError::Malformed {
        path: path.to_owned(),
        detail: format!("more than {MAX_PAGES} pages"),
    }
}
