//! TLS to the server over OpenSSL, set up for what the URL asks and nothing more.
//!
//! `SslConnector` (and so postgres-openssl) loads the system's CA store every time one is built:
//! a third of a short command's whole run on PostgreSQL. A team's server is usually checked
//! against the one CA the URL names (`sslrootcert`), so this connector starts from a bare
//! context and reads the system's store only when no CA is named and the chain is checked.
//! The handshake, host name check and channel binding (`tls-server-end-point`, for
//! SCRAM-SHA-256-PLUS) are OpenSSL's, driven by tokio-openssl.

use std::future::Future;
use std::io;
use std::net::IpAddr;
use std::pin::Pin;
use std::task::{Context, Poll};

use openssl::error::ErrorStack;
use openssl::hash::MessageDigest;
use openssl::nid::Nid;
use openssl::ssl::{Ssl, SslContext, SslRef};
use openssl::x509::X509VerifyResult;
use openssl::x509::verify::X509CheckFlags;
use postgres::Socket;
use postgres::tls::{ChannelBinding, MakeTlsConnect, TlsConnect};
use tokio::io::{AsyncRead, AsyncWrite, BufReader, ReadBuf};
use tokio_openssl::SslStream;

/// Makes one TLS session per connection from a context set up once per process.
#[derive(Clone)]
pub(crate) struct Connector {
    context: SslContext,
    /// Whether the certificate must name the host connected to (verify-full).
    check_host: bool,
}

impl Connector {
    /// Sessions from `context`; `check_host` for verify-full.
    pub(crate) fn new(context: SslContext, check_host: bool) -> Self {
        Self {
            context,
            check_host,
        }
    }
}

impl MakeTlsConnect<Socket> for Connector {
    type Stream = Stream;
    type TlsConnect = Session;
    type Error = ErrorStack;

    fn make_tls_connect(&mut self, host: &str) -> Result<Session, ErrorStack> {
        let mut ssl = Ssl::new(&self.context)?;
        let ip = host.parse::<IpAddr>().ok();
        if ip.is_none() {
            ssl.set_hostname(host)?;
        }
        if self.check_host {
            let param = ssl.param_mut();
            param.set_hostflags(X509CheckFlags::NO_PARTIAL_WILDCARDS);
            match ip {
                Some(ip) => param.set_ip(ip)?,
                None => param.set_host(host)?,
            }
        }
        Ok(Session(ssl))
    }
}

/// One connection's TLS session, before its handshake.
pub(crate) struct Session(Ssl);

/// A handshake under way.
type Handshake = Pin<Box<dyn Future<Output = Result<Stream, BoxError>> + Send>>;
type BoxError = Box<dyn std::error::Error + Send + Sync>;

impl TlsConnect<Socket> for Session {
    type Stream = Stream;
    type Error = BoxError;
    type Future = Handshake;

    fn connect(self, socket: Socket) -> Handshake {
        Box::pin(async move {
            // Buffered: without it OpenSSL reads each record's header and body apart.
            let mut stream = SslStream::new(self.0, BufReader::with_capacity(8192, socket))?;
            match Pin::new(&mut stream).connect().await {
                Ok(()) => Ok(Stream(stream)),
                Err(e) => {
                    let verify = stream.ssl().verify_result();
                    Err(if verify == X509VerifyResult::OK {
                        e.to_string().into()
                    } else {
                        format!("{e}: {verify}").into()
                    })
                }
            }
        })
    }
}

/// A connection inside TLS.
pub(crate) struct Stream(SslStream<BufReader<Socket>>);

impl AsyncRead for Stream {
    fn poll_read(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        Pin::new(&mut self.0).poll_read(cx, buf)
    }
}

impl AsyncWrite for Stream {
    fn poll_write(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        Pin::new(&mut self.0).poll_write(cx, buf)
    }

    fn poll_flush(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.0).poll_flush(cx)
    }

    fn poll_shutdown(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.0).poll_shutdown(cx)
    }
}

impl postgres::tls::TlsStream for Stream {
    fn channel_binding(&self) -> ChannelBinding {
        server_end_point(self.0.ssl())
            .map_or_else(ChannelBinding::none, ChannelBinding::tls_server_end_point)
    }
}

/// RFC 5929's `tls-server-end-point`: the server certificate's hash, with the digest of its
/// signature (SHA-256 in place of MD5 and SHA-1).
fn server_end_point(ssl: &SslRef) -> Option<Vec<u8>> {
    let cert = ssl.peer_certificate()?;
    let signed_with = cert.signature_algorithm().object().nid();
    let digest = match signed_with.signature_algorithms()?.digest {
        Nid::MD5 | Nid::SHA1 => MessageDigest::sha256(),
        nid => MessageDigest::from_nid(nid)?,
    };
    cert.digest(digest).ok().map(|d| d.to_vec())
}
