//! What the scheduler's tests share: a notifier that records what it shows, or refuses as a
//! session without a notification service does.

use std::sync::{Arc, Mutex};

use tokenkeeper_app::background::scheduler::Deliver;
use tokenkeeper_core::reminders::Notification;

/// Records every notification shown; refuses them all while `refuse` holds.
#[derive(Clone, Default)]
pub struct Recorder {
    pub shown: Arc<Mutex<Vec<Notification>>>,
    pub refuse: Arc<Mutex<bool>>,
}

impl Deliver for Recorder {
    fn deliver(&self, n: &Notification) -> Result<(), String> {
        if *self.refuse.lock().expect("lock") {
            return Err("org.freedesktop.Notifications is not running".to_owned());
        }
        self.shown.lock().expect("lock").push(n.clone());
        Ok(())
    }
}
