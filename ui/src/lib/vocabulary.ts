// Generated from crates/core/src/words.rs: do not edit.
// Regenerate with `cargo run -p tokenkeeper-app --features bindings --bin export-bindings`.

/** The core's words, one table for the shell and the UI. */
export const VOCABULARY = {
  "states": {
    "active": {
      "label": "Active",
      "urgency": 0
    },
    "error": {
      "label": "Error",
      "urgency": 4
    },
    "expired": {
      "label": "Expired",
      "urgency": 2
    },
    "lapsed": {
      "label": "Lapsed",
      "urgency": 3
    },
    "renewal_required": {
      "label": "Renewal Required",
      "urgency": 1
    }
  },
  "kinds": {
    "content_token": {
      "row_name": "Apps and Books",
      "display_name": "Apps and Books token",
      "article": "an Apps and Books token",
      "section": "Apps and Books tokens",
      "file": ".vpptoken",
      "identity_name": "Organisation",
      "effect": "so app licences keep syncing"
    },
    "push_certificate": {
      "row_name": "APNs certificate",
      "display_name": "APNs push certificate",
      "article": "an APNs push certificate",
      "section": "APNs push certificate",
      "file": ".pem",
      "identity_name": "Push topic",
      "effect": "so devices keep answering the MDM"
    },
    "server_token": {
      "row_name": "ADE token",
      "display_name": "ADE server token",
      "article": "an ADE server token",
      "section": "ADE server tokens",
      "file": "_smime.p7m",
      "identity_name": "MDM server",
      "effect": "so new devices keep enrolling automatically"
    }
  },
  "advice": {
    "content_token": {
      "expired": "Renew now so app licences keep syncing.",
      "lapsed": "Download a new token for this location in Apple Business Manager; replace this one, never add a second.",
      "renewal_required": "Renew before {date} so app licences keep syncing."
    },
    "push_certificate": {
      "expired": "Renew now: vendors report a grace period after expiry during which a renewal avoids re-enrolling every device.",
      "lapsed": "Past the grace period vendors report: devices will likely need to re-enroll. Renew the same topic to try first.",
      "renewal_required": "Renew before {date} so devices keep answering the MDM."
    },
    "server_token": {
      "expired": "Renew now so new devices keep enrolling automatically.",
      "lapsed": "Download a new token from your MDM server in Apple Business Manager.",
      "renewal_required": "Renew before {date} so new devices keep enrolling automatically."
    }
  },
  "portals": {
    "business": [
      "Apple Business Manager",
      "https://business.apple.com"
    ],
    "school": [
      "Apple School Manager",
      "https://school.apple.com"
    ]
  },
  "error_kinds": [
    "too_large",
    "unrecognized_file",
    "corrupt_file",
    "not_push_certificate",
    "wrong_kind",
    "wrong_key",
    "key_required",
    "invalid_key",
    "unsupported_algorithm",
    "identity_changed",
    "duplicate",
    "confirmation_required",
    "conflict",
    "older_file",
    "key_mismatch",
    "ambiguous",
    "not_found",
    "already_exists",
    "invalid_input",
    "tampered",
    "wrong_password",
    "corrupt_backup",
    "not_empty",
    "vendor_required",
    "database",
    "database_damaged",
    "server_unavailable",
    "read_only",
    "keychain_unavailable",
    "io",
    "autostart",
    "internal"
  ],
  "event_kinds": [
    "imported",
    "renewed",
    "refused",
    "warning_accepted",
    "state_changed",
    "credential_updated",
    "credential_removed",
    "client_added",
    "client_updated",
    "client_removed",
    "settings_changed",
    "secret_tampered",
    "checked",
    "check_failed",
    "key_added",
    "key_removed",
    "key_exported",
    "key_attached",
    "backup_made",
    "backup_restored",
    "notification_sent",
    "channel_added",
    "channel_updated",
    "channel_removed",
    "alert_delivered",
    "alert_failed",
    "mdm_connected",
    "mdm_synced",
    "mdm_sync_failed",
    "mdm_removed"
  ],
  "vendors": {
    "fleet": {
      "name": "Fleet",
      "default_url": null,
      "needs_tenant": false,
      "needs_client_id": false,
      "secret_name": "API token"
    },
    "intune": {
      "name": "Intune",
      "default_url": "https://graph.microsoft.com",
      "needs_tenant": true,
      "needs_client_id": true,
      "secret_name": "client secret"
    },
    "jamf": {
      "name": "Jamf Pro",
      "default_url": null,
      "needs_tenant": false,
      "needs_client_id": true,
      "secret_name": "API client secret"
    },
    "jumpcloud": {
      "name": "JumpCloud",
      "default_url": "https://console.jumpcloud.com",
      "needs_tenant": false,
      "needs_client_id": false,
      "secret_name": "API key"
    },
    "kandji": {
      "name": "Kandji",
      "default_url": null,
      "needs_tenant": false,
      "needs_client_id": false,
      "secret_name": "API token"
    },
    "simplemdm": {
      "name": "SimpleMDM",
      "default_url": "https://a.simplemdm.com",
      "needs_tenant": false,
      "needs_client_id": false,
      "secret_name": "API key"
    }
  },
  "sources": {
    "both": "File and MDM",
    "file": "File",
    "mdm": "MDM"
  }
} as const;
