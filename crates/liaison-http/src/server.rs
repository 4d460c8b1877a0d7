//! Serving the router: the accept loop with a connection cap, the header-read timeout (which also ends
//! idle keep-alive connections), TLS with rustls when given a certificate and key (the files are read
//! again on `reload`, which the binary calls on SIGHUP, without dropping a connection), and a graceful
//! shutdown that lets the requests under way finish.

use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::sync::{Arc, RwLock};
use std::time::Duration;

use axum::Router;
use axum::extract::ConnectInfo;
use hyper_util::rt::{TokioIo, TokioTimer};
use rustls::server::{ClientHello, ResolvesServerCert};
use rustls::sign::CertifiedKey;
use rustls_pki_types::pem::PemObject;
use rustls_pki_types::{CertificateDer, PrivateKeyDer};
use tokio::io::{AsyncRead, AsyncWrite};
use tokio::net::TcpListener;
use tokio::sync::{Semaphore, watch};

/// How connections are served.
#[derive(Debug, Clone, Copy)]
pub struct ServeOptions {
    /// A request's head must arrive within this time from when the server starts waiting for it — also
    /// between requests on a kept-alive connection, so it is the idle timeout too.
    pub header_read_timeout: Duration,
    /// The TLS handshake must end within this time.
    pub handshake_timeout: Duration,
    /// At most this many connections at once; the next is closed at once (and counted).
    pub max_connections: usize,
    /// On shutdown, the connections still open get this long to finish.
    pub drain: Duration,
}

impl Default for ServeOptions {
    fn default() -> Self {
        Self {
            header_read_timeout: Duration::from_secs(10),
            handshake_timeout: Duration::from_secs(10),
            max_connections: 1024,
            drain: Duration::from_secs(30),
        }
    }
}

/// Why a certificate or key could not be used.
#[derive(Debug, thiserror::Error)]
pub enum TlsError {
    /// A file could not be read or holds no PEM item of the kind needed.
    #[error("{path}: {reason}")]
    File {
        /// The file.
        path: PathBuf,
        /// Why.
        reason: String,
    },
    /// rustls refused the key or the configuration.
    #[error("TLS: {0}")]
    Rustls(#[from] rustls::Error),
}

/// The certificate and key in use, replaced whole on reload.
#[derive(Debug)]
struct Reloadable {
    cert: PathBuf,
    key: PathBuf,
    current: RwLock<Arc<CertifiedKey>>,
}

impl ResolvesServerCert for Reloadable {
    fn resolve(&self, _: ClientHello<'_>) -> Option<Arc<CertifiedKey>> {
        self.current.read().ok().map(|c| c.clone())
    }
}

fn load(cert: &Path, key: &Path) -> Result<Arc<CertifiedKey>, TlsError> {
    let bad = |path: &Path, reason: String| TlsError::File { path: path.to_owned(), reason };
    let certs: Vec<CertificateDer<'static>> = CertificateDer::pem_file_iter(cert)
        .map_err(|e| bad(cert, e.to_string()))?
        .collect::<Result<_, _>>()
        .map_err(|e| bad(cert, e.to_string()))?;
    if certs.is_empty() {
        return Err(bad(cert, "no certificate (PEM) in the file".into()));
    }
    let der = PrivateKeyDer::from_pem_file(key).map_err(|e| bad(key, e.to_string()))?;
    let signing = rustls::crypto::ring::sign::any_supported_type(&der)?;
    Ok(Arc::new(CertifiedKey::new(certs, signing)))
}

/// TLS from a certificate chain and a private key in PEM files (rustls, TLS 1.2 and 1.3, HTTP/1.1).
#[derive(Clone)]
pub struct Tls {
    certs: Arc<Reloadable>,
    acceptor: tokio_rustls::TlsAcceptor,
}

impl std::fmt::Debug for Tls {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Tls({})", self.certs.cert.display())
    }
}

impl Tls {
    /// Read the files and build the server's configuration.
    pub fn from_files(cert: &Path, key: &Path) -> Result<Self, TlsError> {
        let certs = Arc::new(Reloadable {
            cert: cert.to_owned(),
            key: key.to_owned(),
            current: RwLock::new(load(cert, key)?),
        });
        let provider = Arc::new(rustls::crypto::ring::default_provider());
        let mut config = rustls::ServerConfig::builder_with_provider(provider)
            .with_safe_default_protocol_versions()?
            .with_no_client_auth()
            .with_cert_resolver(certs.clone());
        config.alpn_protocols = vec![b"http/1.1".to_vec()];
        Ok(Self { certs, acceptor: tokio_rustls::TlsAcceptor::from(Arc::new(config)) })
    }

    /// Read the certificate and key again (after they were renewed): new connections get the new ones.
    /// On failure the ones in use stay.
    pub fn reload(&self) -> Result<(), TlsError> {
        let fresh = load(&self.certs.cert, &self.certs.key)?;
        if let Ok(mut current) = self.certs.current.write() {
            *current = fresh;
        }
        Ok(())
    }
}

/// Serve `router` on `listener` (with TLS when given) until `shutdown` completes; then stop accepting and
/// give the open connections `opts.drain` to finish.
pub async fn serve(
    listener: TcpListener,
    router: Router,
    opts: ServeOptions,
    tls: Option<Tls>,
    shutdown: impl std::future::Future<Output = ()> + Send,
) -> std::io::Result<()> {
    let max = opts.max_connections.clamp(1, Semaphore::MAX_PERMITS);
    let slots = Arc::new(Semaphore::new(max));
    let (stop_tx, stop_rx) = watch::channel(false);
    tokio::pin!(shutdown);
    loop {
        let (stream, peer) = tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok(a) => a,
                Err(e) => {
                    // Out of file descriptors and the like: wait a little rather than spin.
                    tracing::warn!(error = %e, "accept failed");
                    tokio::time::sleep(Duration::from_millis(50)).await;
                    continue;
                }
            },
            () = &mut shutdown => break,
        };
        let Ok(permit) = slots.clone().try_acquire_owned() else {
            metrics::counter!("liaison_http_connections_refused_total").increment(1);
            tracing::warn!(%peer, max, "connection refused: the connection cap is reached");
            drop(stream);
            continue;
        };
        let _ = stream.set_nodelay(true);
        let (router, tls, stop) = (router.clone(), tls.clone(), stop_rx.clone());
        tokio::spawn(async move {
            let _permit = permit;
            match tls {
                None => connection(stream, peer, router, opts, stop).await,
                Some(tls) => {
                    match tokio::time::timeout(opts.handshake_timeout, tls.acceptor.accept(stream)).await {
                        Ok(Ok(stream)) => connection(stream, peer, router, opts, stop).await,
                        Ok(Err(e)) => tracing::debug!(%peer, error = %e, "TLS handshake failed"),
                        Err(_) => tracing::debug!(%peer, "TLS handshake timed out"),
                    }
                }
            }
        });
    }
    drop(listener);
    let _ = stop_tx.send(true);
    // Every connection holds a slot: all slots back means all connections closed.
    let all = u32::try_from(max).unwrap_or(u32::MAX);
    let _ = tokio::time::timeout(opts.drain, slots.acquire_many(all)).await;
    Ok(())
}

async fn connection<I>(
    io: I,
    peer: SocketAddr,
    router: Router,
    opts: ServeOptions,
    mut stop: watch::Receiver<bool>,
) where
    I: AsyncRead + AsyncWrite + Unpin + Send + 'static,
{
    let service = hyper::service::service_fn(move |mut req: hyper::Request<hyper::body::Incoming>| {
        req.extensions_mut().insert(ConnectInfo(peer));
        tower::ServiceExt::oneshot(router.clone(), req.map(axum::body::Body::new))
    });
    let mut builder = hyper::server::conn::http1::Builder::new();
    builder.timer(TokioTimer::new()).header_read_timeout(opts.header_read_timeout).keep_alive(true);
    // hyper's own bodiless 414/431/400 answers go out as problems (issue 12 item 19).
    let conn = builder.serve_connection(TokioIo::new(crate::automatic::ProblemIo::new(io)), service);
    tokio::pin!(conn);
    if *stop.borrow() {
        conn.as_mut().graceful_shutdown();
    }
    loop {
        tokio::select! {
            r = conn.as_mut() => {
                if let Err(e) = r {
                    tracing::debug!(%peer, error = %e, "connection ended");
                }
                return;
            }
            changed = stop.changed() => {
                conn.as_mut().graceful_shutdown();
                if changed.is_err() {
                    // The server is gone: finish this connection without further notice.
                    if let Err(e) = conn.as_mut().await {
                        tracing::debug!(%peer, error = %e, "connection ended");
                    }
                    return;
                }
            }
        }
    }
}
