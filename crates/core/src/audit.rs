//! What an audit-log entry can record. A leaf of its own: the vault writes these, and the words
//! the UI is generated from ([`crate::words`]) list them, without either depending on the other.

use serde::Serialize;

/// What an audit-log entry records. Stored as its id; the UI's filter offers [`EventKind::ALL`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "snake_case")]
pub enum EventKind {
    /// A new credential.
    Imported,
    /// A new revision of a credential.
    Renewed,
    /// A file refused, with why.
    Refused,
    /// A warning the user confirmed to import a file.
    WarningAccepted,
    /// A credential's state changed (it entered its renewal window, expired, lapsed).
    StateChanged,
    /// A credential's label, Apple Account or expiry edited.
    CredentialUpdated,
    /// A credential removed.
    CredentialRemoved,
    /// A client added.
    ClientAdded,
    /// A client renamed or edited.
    ClientUpdated,
    /// A client removed with its credentials.
    ClientRemoved,
    /// A setting changed.
    SettingsChanged,
    /// A stored secret changed or went missing outside TokenKeeper.
    SecretTampered,
    /// A read-only check at Apple answered.
    Checked,
    /// A check at Apple could not be done.
    CheckFailed,
    /// A key made or kept (CSR, ADE key pair, vendor identity).
    KeyAdded,
    /// A key removed.
    KeyRemoved,
    /// A certificate exported with its key.
    KeyExported,
    /// A pending key became a credential's key.
    KeyAttached,
    /// A backup written.
    BackupMade,
    /// A backup restored.
    BackupRestored,
    /// A reminder shown.
    NotificationSent,
    /// A channel added.
    ChannelAdded,
    /// A channel changed.
    ChannelUpdated,
    /// A channel removed.
    ChannelRemoved,
    /// A message delivered to a channel (an alert or a test).
    AlertDelivered,
    /// A delivery to a channel failed (it is tried again).
    AlertFailed,
    /// An MDM connection added.
    MdmConnected,
    /// An MDM connection read: what it holds.
    MdmSynced,
    /// An MDM connection could not be read.
    MdmSyncFailed,
    /// An MDM connection removed.
    MdmRemoved,
    /// Written by a newer TokenKeeper: shown as it is, never offered as a filter.
    Unknown,
}

impl EventKind {
    /// Every kind TokenKeeper writes.
    pub const ALL: [EventKind; 30] = [
        EventKind::Imported,
        EventKind::Renewed,
        EventKind::Refused,
        EventKind::WarningAccepted,
        EventKind::StateChanged,
        EventKind::CredentialUpdated,
        EventKind::CredentialRemoved,
        EventKind::ClientAdded,
        EventKind::ClientUpdated,
        EventKind::ClientRemoved,
        EventKind::SettingsChanged,
        EventKind::SecretTampered,
        EventKind::Checked,
        EventKind::CheckFailed,
        EventKind::KeyAdded,
        EventKind::KeyRemoved,
        EventKind::KeyExported,
        EventKind::KeyAttached,
        EventKind::BackupMade,
        EventKind::BackupRestored,
        EventKind::NotificationSent,
        EventKind::ChannelAdded,
        EventKind::ChannelUpdated,
        EventKind::ChannelRemoved,
        EventKind::AlertDelivered,
        EventKind::AlertFailed,
        EventKind::MdmConnected,
        EventKind::MdmSynced,
        EventKind::MdmSyncFailed,
        EventKind::MdmRemoved,
    ];

    /// Stable identifier, as stored (`warning_accepted`).
    pub fn id(self) -> &'static str {
        match self {
            EventKind::Imported => "imported",
            EventKind::Renewed => "renewed",
            EventKind::Refused => "refused",
            EventKind::WarningAccepted => "warning_accepted",
            EventKind::StateChanged => "state_changed",
            EventKind::CredentialUpdated => "credential_updated",
            EventKind::CredentialRemoved => "credential_removed",
            EventKind::ClientAdded => "client_added",
            EventKind::ClientUpdated => "client_updated",
            EventKind::ClientRemoved => "client_removed",
            EventKind::SettingsChanged => "settings_changed",
            EventKind::SecretTampered => "secret_tampered",
            EventKind::Checked => "checked",
            EventKind::CheckFailed => "check_failed",
            EventKind::KeyAdded => "key_added",
            EventKind::KeyRemoved => "key_removed",
            EventKind::KeyExported => "key_exported",
            EventKind::KeyAttached => "key_attached",
            EventKind::BackupMade => "backup_made",
            EventKind::BackupRestored => "backup_restored",
            EventKind::NotificationSent => "notification_sent",
            EventKind::ChannelAdded => "channel_added",
            EventKind::ChannelUpdated => "channel_updated",
            EventKind::ChannelRemoved => "channel_removed",
            EventKind::AlertDelivered => "alert_delivered",
            EventKind::AlertFailed => "alert_failed",
            EventKind::MdmConnected => "mdm_connected",
            EventKind::MdmSynced => "mdm_synced",
            EventKind::MdmSyncFailed => "mdm_sync_failed",
            EventKind::MdmRemoved => "mdm_removed",
            EventKind::Unknown => "unknown",
        }
    }

    /// The kind stored as `id`; [`EventKind::Unknown`] for one this version does not know.
    pub fn parse(id: &str) -> Self {
        EventKind::ALL
            .into_iter()
            .find(|k| k.id() == id)
            .unwrap_or(EventKind::Unknown)
    }
}

impl PartialEq<&str> for EventKind {
    fn eq(&self, other: &&str) -> bool {
        self.id() == *other
    }
}
