//! How an import's outcome is serialized (`import --json`, the desktop app's IPC): the plan's
//! fields, then `uid` and `revision`. A renewal's plan already names the credential as `uid`,
//! so the outcome adds its own `uid` only for a new credential: every key appears once.

use serde::{Serialize, Serializer};

use super::{ImportOutcome, ImportPlan};
use crate::renewal::Decision;

#[derive(Serialize)]
struct Wire<'a> {
    #[serde(flatten)]
    plan: &'a ImportPlan,
    #[serde(skip_serializing_if = "Option::is_none")]
    uid: Option<&'a str>,
    revision: u32,
}

impl Serialize for ImportOutcome {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        // A renewal's outcome is the credential its plan names (`commit` takes the uid from
        // the decision), so only a new credential's uid is missing from the plan's fields.
        let new = matches!(self.plan.decision, Decision::New { .. });
        Wire {
            plan: &self.plan,
            uid: new.then_some(self.uid.as_str()),
            revision: self.revision,
        }
        .serialize(serializer)
    }
}
