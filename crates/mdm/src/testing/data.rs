//! What each fake holds by default, in the vendor's documented JSON shapes: one push
//! certificate, ADE tokens and Apps and Books tokens (where the vendor publishes them), lists
//! split over two pages where the vendor pages.

use std::collections::HashMap;

use serde_json::{Value, json};
use tokenkeeper_core::mdm::Vendor;

use super::{TOPIC, VPP_TOKEN_VALUE};

/// The default routes of `vendor`'s fake.
pub(super) fn defaults(vendor: Vendor) -> HashMap<String, Value> {
    let mut r = HashMap::new();
    let mut set = |path: &str, v: Value| {
        r.insert(path.to_owned(), v);
    };
    match vendor {
        Vendor::Intune => {
            set(
                "/v1.0/deviceManagement/applePushNotificationCertificate",
                json!({
                    "@odata.context": "https://graph.microsoft.com/v1.0/$metadata#deviceManagement/applePushNotificationCertificate/$entity",
                    "@odata.type": "#microsoft.graph.applePushNotificationCertificate",
                    "id": "9a7b3c2d-0000-0000-0000-000000000001",
                    "appleIdentifier": "admin@acme.example",
                    "topicIdentifier": TOPIC,
                    "lastModifiedDateTime": "2025-12-20T10:00:00Z",
                    "expirationDateTime": "2026-12-20T10:00:00Z",
                    "certificateUploadStatus": null,
                    "certificateUploadFailureReason": null,
                    "certificateSerialNumber": "1A2B3C",
                    "certificate": null
                }),
            );
            set(
                "/beta/deviceManagement/depOnboardingSettings",
                json!({
                    "@odata.context": "https://graph.microsoft.com/beta/$metadata#deviceManagement/depOnboardingSettings",
                    "value": [{
                        "@odata.type": "#microsoft.graph.depOnboardingSetting",
                        "id": "dep-1",
                        "appleIdentifier": "admin@acme.example",
                        "tokenExpirationDateTime": "2027-05-01T00:00:00Z",
                        "lastModifiedDateTime": "2026-05-01T00:00:00Z",
                        "lastSuccessfulSyncDateTime": "2026-11-30T00:00:00Z",
                        "lastSyncTriggeredDateTime": "2026-11-30T00:00:00Z",
                        "shareTokenWithSchoolDataSyncService": false,
                        "lastSyncErrorCode": 0,
                        "tokenType": "dep",
                        "tokenName": "Cupertino MDM",
                        "syncedDeviceCount": 42,
                        "dataSharingConsentGranted": true,
                        "roleScopeTagIds": ["0"]
                    }],
                    "@odata.nextLink": "{base}/beta/deviceManagement/depOnboardingSettings?$skiptoken=page2"
                }),
            );
            set(
                "/beta/deviceManagement/depOnboardingSettings?$skiptoken=page2",
                json!({
                    "value": [{
                        "id": "dep-2",
                        "appleIdentifier": "school@acme.example",
                        "tokenExpirationDateTime": "2027-02-01T00:00:00Z",
                        "lastSyncErrorCode": 0,
                        "tokenName": "Harbour MDM",
                        "syncedDeviceCount": 3
                    }]
                }),
            );
            set(
                "/v1.0/deviceAppManagement/vppTokens",
                json!({
                    "value": [{
                        "@odata.type": "#microsoft.graph.vppToken",
                        "id": "vpp-1",
                        "organizationName": "Acme Inc",
                        "vppTokenAccountType": "business",
                        "appleId": "vpp@acme.example",
                        "expirationDateTime": "2027-06-01T00:00:00Z",
                        "lastSyncDateTime": "2026-11-30T00:00:00Z",
                        "token": VPP_TOKEN_VALUE,
                        "lastModifiedDateTime": "2026-06-01T00:00:00Z",
                        "state": "valid",
                        "tokenActionResults": [],
                        "lastSyncStatus": "completed",
                        "automaticallyUpdateApps": true,
                        "countryOrRegion": "us",
                        "locationName": "Main Street",
                        "displayName": "Main Street"
                    }]
                }),
            );
        }
        Vendor::Jamf => {
            set(
                "/api/v1/notifications",
                json!([
                    {"type": "PUSH_CERT_WILL_EXPIRE", "id": "0", "params": {"days": "12"}},
                    {"type": "DEVICE_ENROLLMENT_PROGRAM_T_C_NOT_SIGNED", "id": "1", "params": {}}
                ]),
            );
            set(
                "/api/v1/device-enrollments?page=0&page-size=100",
                json!({
                    "totalCount": 1,
                    "results": [{
                        "id": "1",
                        "name": "Cupertino",
                        "supervisionIdentityId": "-1",
                        "siteId": "-1",
                        "serverName": "Cupertino MDM",
                        "serverUuid": "0B6C2B8C3A6F4E8A9F3A1B2C3D4E5F60",
                        "adminId": "admin@acme.example",
                        "orgName": "Acme Inc",
                        "orgEmail": "it@acme.example",
                        "orgPhone": "",
                        "orgAddress": "1 Infinite Loop",
                        "tokenExpirationDate": "2027-05-01"
                    }]
                }),
            );
            set(
                "/api/v1/volume-purchasing-locations?page=0&page-size=100",
                json!({
                    "totalCount": 1,
                    "results": [{
                        "id": "1",
                        "name": "Main Street",
                        "appleId": "vpp@acme.example",
                        "organizationName": "Acme Inc",
                        "tokenExpiration": "2027-06-01T00:00:00.000Z",
                        "countryCode": "US",
                        "locationName": "Main Street",
                        "clientContextMismatch": false,
                        "automaticallyPopulatePurchasedContent": true,
                        "sendNotificationWhenNoLongerAssigned": false,
                        "autoRegisterManagedUsers": false,
                        "siteId": "-1",
                        "lastSyncTime": "2026-11-30T00:00:00.000Z",
                        "totalPurchasedLicenses": 10,
                        "totalUsedLicenses": 2
                    }]
                }),
            );
        }
        Vendor::Fleet => {
            set(
                "/api/v1/fleet/apns",
                json!({
                    "common_name": "APSP:0c1d2e3f-aaaa-bbbb-cccc-1234567890ab",
                    "serial_number": "1715004",
                    "issuer": "Apple Application Integration 2 Certification Authority",
                    "renew_date": "2026-12-20T10:00:00Z"
                }),
            );
            set(
                "/api/v1/fleet/abm_tokens",
                json!({"abm_tokens": [{
                    "id": 1,
                    "apple_id": "admin@acme.example",
                    "org_name": "Acme Inc",
                    "mdm_server_url": "https://fleet.acme.example/mdm/apple/mdm",
                    "renew_date": "2027-05-01T00:00:00Z",
                    "terms_expired": false,
                    "macos_team": {"name": "💻 Workstations", "team_id": 1}
                }]}),
            );
            set(
                "/api/v1/fleet/vpp_tokens",
                json!({"vpp_tokens": [{
                    "id": 1,
                    "org_name": "Acme Inc",
                    "location": "Main Street",
                    "renew_date": "2027-06-01T00:00:00Z",
                    "teams": null
                }]}),
            );
        }
        Vendor::Kandji => {
            set(
                "/api/v1/integrations/apple/ade",
                json!({
                    "count": 2,
                    "next": "{base}/api/v1/integrations/apple/ade?page=2",
                    "previous": null,
                    "results": [{
                        "id": "ade-1",
                        "server_name": "Cupertino MDM",
                        "access_token_expiry": "2027-05-01T00:00:00Z",
                        "days_left": 147,
                        "last_device_sync": "2026-11-30T00:00:00Z",
                        "status": "active"
                    }]
                }),
            );
            set(
                "/api/v1/integrations/apple/ade?page=2",
                json!({
                    "count": 2,
                    "next": null,
                    "previous": "{base}/api/v1/integrations/apple/ade",
                    "results": [{
                        "id": "ade-2",
                        "server_name": "Harbour MDM",
                        "access_token_expiry": "2027-02-01T00:00:00Z",
                        "days_left": 58
                    }]
                }),
            );
        }
        Vendor::Simplemdm => {
            set(
                "/api/v1/push_certificate",
                json!({"data": {
                    "type": "push_certificate",
                    "attributes": {"apple_id": "admin@acme.example", "expires_at": "2026-12-20T10:00:00.000-00:00"}
                }}),
            );
            set(
                "/api/v1/dep_servers?limit=100",
                json!({
                    "data": [{
                        "type": "dep_server",
                        "id": 17,
                        "attributes": {
                            "server_name": "Cupertino MDM",
                            "organization_name": "Acme Inc",
                            "token_expires_at": "2027-05-01T00:00:00.000-00:00",
                            "last_synced_at": "2026-11-30T00:00:00.000-00:00"
                        }
                    }],
                    "has_more": true
                }),
            );
            set(
                "/api/v1/dep_servers?limit=100&starting_after=17",
                json!({
                    "data": [{
                        "type": "dep_server",
                        "id": 18,
                        "attributes": {
                            "server_name": "Harbour MDM",
                            "organization_name": "Acme Inc",
                            "token_expires_at": "2027-02-01T00:00:00.000-00:00"
                        }
                    }],
                    "has_more": false
                }),
            );
        }
        Vendor::Jumpcloud => {
            set(
                "/api/v2/applemdms?limit=100&skip=0",
                json!([{
                    "id": "5f1c0000000000000000a001",
                    "name": "Cupertino MDM",
                    "apnsCertExpiry": "2026-12-20T10:00:00Z",
                    "apnsPushTopic": TOPIC,
                    "appleCertCreatorAppleID": "admin@acme.example",
                    "appleCertSerialNumber": "1A2B3C",
                    "depAccessTokenExpiry": "2027-05-01T00:00:00Z",
                    "depServerTokenState": "valid",
                    "allowMobileUserEnrollment": false,
                    "organization": "5f1c00000000000000000001"
                }]),
            );
        }
    }
    r
}
