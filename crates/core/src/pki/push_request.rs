//! The vendor-signed push certificate request: what the Apple Push Certificates Portal accepts.
//! The MDM vendor signs the customer's DER CSR with its vendor key (SHA-256 with RSA) and sends
//! it with its certificate chain in an XML property list, base64-encoded:
//! `PushCertRequestCSR` (base64 DER CSR), `PushCertCertificateChain` (PEM: vendor certificate,
//! Apple's intermediate, Apple's root) and `PushCertSignature` (base64 signature).

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use openssl::hash::MessageDigest;
use openssl::sign::Signer;
use openssl::x509::X509;
use zeroize::Zeroizing;

use super::pkcs12::KeyBundle;
use crate::error::{Error, Result};
use crate::token::PrivateKey;

/// An MDM vendor's signing identity: the vendor key, its MDM vendor certificate and the issuing
/// chain. `Debug` never shows the key.
pub struct VendorIdentity {
    key: PrivateKey,
    certificate: X509,
    chain: Vec<X509>,
}

impl std::fmt::Debug for VendorIdentity {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("VendorIdentity")
            .field("subject", &self.subject())
            .field("chain", &self.chain.len())
            .finish_non_exhaustive()
    }
}

impl VendorIdentity {
    /// The identity in a key bundle (an opened `.p12`, or the PEM kept in the keychain), with
    /// any further chain certificates. Certificates are ordered vendor first, then each issuer;
    /// duplicates and unrelated certificates are dropped.
    ///
    /// # Errors
    /// [`Error::KeyRequired`] when the bundle has no certificate for its key;
    /// [`Error::InvalidKey`] when the key is not RSA.
    pub fn from_bundle(bundle: KeyBundle, extra_chain: &[Vec<u8>]) -> Result<Self> {
        let Some(cert_der) = bundle.certificate else {
            return Err(Error::KeyRequired {
                what: "the MDM vendor identity".to_owned(),
                hint: "the file holds a key without its MDM vendor certificate; export the certificate with its key as a .p12".to_owned(),
            });
        };
        if bundle.key.pkey().rsa().is_err() {
            return Err(Error::InvalidKey {
                detail: "the MDM vendor key is not an RSA key".to_owned(),
            });
        }
        let read = |der: &[u8]| {
            X509::from_der(der).map_err(|_| Error::InvalidInput {
                message: "a certificate of the vendor chain cannot be read".to_owned(),
            })
        };
        let certificate = read(&cert_der)?;
        let mut pool = Vec::new();
        for der in bundle.chain.iter().chain(extra_chain) {
            pool.push(read(der)?);
        }
        let chain = order_chain(&certificate, pool);
        Ok(Self {
            key: bundle.key,
            certificate,
            chain,
        })
    }

    /// The identity as the keychain keeps it ([`VendorIdentity::to_pem_bundle`]).
    ///
    /// # Errors
    /// [`Error::Tampered`] when the entry lost its certificate; [`Error::InvalidKey`].
    pub fn from_pem_bundle(pem: &[u8]) -> Result<Self> {
        let key = PrivateKey::from_bytes(pem)?;
        let certs = super::certificates_in(pem);
        let (cert, chain) = certs.split_first().ok_or_else(|| Error::Tampered {
            message: "the MDM vendor identity in the keychain lost its certificate: add it again"
                .to_owned(),
        })?;
        Self::from_bundle(
            KeyBundle {
                key,
                certificate: Some(cert.clone()),
                chain: Vec::new(),
            },
            chain,
        )
    }

    /// The vendor certificate's subject.
    pub fn subject(&self) -> String {
        self.certificate
            .to_der()
            .ok()
            .and_then(|der| super::subject_of(&der).ok())
            .unwrap_or_default()
    }

    /// The vendor certificate, DER.
    pub fn certificate_der(&self) -> Vec<u8> {
        self.certificate.to_der().unwrap_or_default()
    }

    /// Whether the chain reaches a self-signed root (vendor certificate, Apple's intermediate,
    /// Apple's root). Apple expects the whole chain in the request.
    pub fn chain_is_complete(&self) -> bool {
        let last = self.chain.last().unwrap_or(&self.certificate);
        is_self_signed(last)
    }

    /// The PEM the keychain keeps: the vendor key (PKCS#8), its certificate, then the chain.
    ///
    /// # Errors
    /// [`Error::InvalidKey`] when the key cannot be encoded.
    pub fn to_pem_bundle(&self) -> Result<Zeroizing<Vec<u8>>> {
        let mut out = self.key.to_pkcs8_pem()?;
        out.extend_from_slice(self.chain_pem().as_bytes());
        Ok(out)
    }

    /// `PushCertCertificateChain`: the vendor certificate then its issuers, as PEM.
    fn chain_pem(&self) -> String {
        std::iter::once(&self.certificate)
            .chain(&self.chain)
            .filter_map(|c| c.to_der().ok())
            .map(|der| super::certificate_pem(&der))
            .collect()
    }

    /// Signs `csr_der` and returns the base64 plist request for the Apple Push Certificates
    /// Portal.
    ///
    /// # Errors
    /// [`Error::KeyMismatch`] when the vendor key is not its certificate's key;
    /// [`Error::InvalidKey`] when OpenSSL cannot sign.
    pub fn push_request(&self, csr_der: &[u8]) -> Result<SignedRequest> {
        if !super::certificate_matches(&self.certificate_der(), &self.key) {
            return Err(Error::KeyMismatch {
                message: "the MDM vendor key does not match the MDM vendor certificate: add the vendor identity again from the .p12 that holds both".to_owned(),
            });
        }
        let signature = sign_sha256(&self.key, csr_der)?;
        let plist = plist(
            &STANDARD.encode(csr_der),
            &self.chain_pem(),
            &STANDARD.encode(&signature),
        );
        Ok(SignedRequest {
            encoded: STANDARD.encode(plist.as_bytes()),
            signature,
        })
    }
}

/// A signed request: what is uploaded, and the raw signature (for checks).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SignedRequest {
    /// The base64 of the XML plist: the file uploaded to identity.apple.com.
    pub encoded: String,
    /// The SHA-256 with RSA (PKCS#1 v1.5) signature over the DER CSR.
    pub signature: Vec<u8>,
}

fn sign_sha256(key: &PrivateKey, data: &[u8]) -> Result<Vec<u8>> {
    let failed = |_| Error::InvalidKey {
        detail: "OpenSSL could not sign with the MDM vendor key".to_owned(),
    };
    let mut signer = Signer::new(MessageDigest::sha256(), key.pkey()).map_err(failed)?;
    signer.update(data).map_err(failed)?;
    signer.sign_to_vec().map_err(failed)
}

fn plist(csr_b64: &str, chain_pem: &str, signature_b64: &str) -> String {
    format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n\
         <!DOCTYPE plist PUBLIC \"-//Apple//DTD PLIST 1.0//EN\" \"http://www.apple.com/DTDs/PropertyList-1.0.dtd\">\n\
         <plist version=\"1.0\">\n\
         <dict>\n\
         \t<key>PushCertCertificateChain</key>\n\
         \t<string>{}</string>\n\
         \t<key>PushCertRequestCSR</key>\n\
         \t<string>{}</string>\n\
         \t<key>PushCertSignature</key>\n\
         \t<string>{}</string>\n\
         </dict>\n\
         </plist>\n",
        xml_escape(chain_pem),
        xml_escape(csr_b64),
        xml_escape(signature_b64)
    )
}

fn xml_escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

fn is_self_signed(cert: &X509) -> bool {
    cert.public_key()
        .ok()
        .is_some_and(|k| cert.verify(&k).unwrap_or(false))
        && matches!(
            cert.issuer_name().try_cmp(cert.subject_name()),
            Ok(std::cmp::Ordering::Equal)
        )
}

/// Orders `pool` into the issuing chain of `leaf`: each next certificate is the issuer (by name
/// and signature) of the one before. Certificates that do not belong are dropped.
fn order_chain(leaf: &X509, mut pool: Vec<X509>) -> Vec<X509> {
    let mut chain: Vec<X509> = Vec::new();
    loop {
        let current = chain.last().unwrap_or(leaf);
        if is_self_signed(current) {
            break;
        }
        let Some(i) = pool.iter().position(|candidate| {
            matches!(
                current.issuer_name().try_cmp(candidate.subject_name()),
                Ok(std::cmp::Ordering::Equal)
            ) && candidate
                .public_key()
                .ok()
                .is_some_and(|k| current.verify(&k).unwrap_or(false))
        }) else {
            break;
        };
        chain.push(pool.swap_remove(i));
    }
    chain
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plist_escapes_markup() {
        let p = plist("a<b", "x&y", "s>t");
        assert!(p.contains("a&lt;b") && p.contains("x&amp;y") && p.contains("s&gt;t"));
        assert!(p.starts_with("<?xml"));
    }
}
