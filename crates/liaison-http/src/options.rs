//! The server's transport and edge options as the binary takes them (flags or `LIAISON_*` environment):
//! TLS, trusted proxies, the refusal of plain HTTP on a public address, rate limits, timeouts, the
//! connection cap and `/metrics`. Parsed here into the settings `app_with` and `server::serve` take.

use std::net::SocketAddr;
use std::path::PathBuf;
use std::time::Duration;

use crate::edge::{Edge, Net};
use crate::limit::Rate;
use crate::server::{ServeOptions, Tls};

/// Transport, limits and operations endpoints.
#[derive(Debug, Clone, clap::Args)]
pub struct ServerArgs {
    /// TLS certificate chain (PEM). With --tls-key the service speaks HTTPS only, adds HSTS, and reads
    /// both files again on SIGHUP (renewed certificates need no restart).
    #[arg(long, env = "LIAISON_TLS_CERT", requires = "tls_key", value_name = "FILE")]
    pub tls_cert: Option<PathBuf>,
    /// TLS private key (PEM: PKCS#8, PKCS#1 or SEC1).
    #[arg(long, env = "LIAISON_TLS_KEY", requires = "tls_cert", value_name = "FILE")]
    pub tls_key: Option<PathBuf>,
    /// A reverse proxy in front (address or range, e.g. 127.0.0.1 or 10.0.0.0/24; repeat, or separate by
    /// commas in the environment): only its X-Forwarded-For / X-Forwarded-Proto are believed.
    #[arg(
        long = "trusted-proxy",
        env = "LIAISON_TRUSTED_PROXIES",
        value_delimiter = ',',
        value_name = "ADDR"
    )]
    pub trusted_proxies: Vec<String>,
    /// Serve plain HTTP on a non-loopback address although neither TLS nor a trusted proxy is configured
    /// (refused otherwise: personal data must not cross a network in clear).
    #[arg(long)]
    pub insecure_http: bool,
    /// Serve /metrics (Prometheus) on this separate address only the monitoring system reaches.
    #[arg(long, env = "LIAISON_METRICS_LISTEN", value_name = "ADDR")]
    pub metrics_listen: Option<SocketAddr>,
    /// A file holding the token /metrics on the service's own address asks for (`Authorization: Bearer
    /// …`; or the token itself in LIAISON_METRICS_TOKEN). Without a token /metrics is only on
    /// --metrics-listen.
    #[arg(long, env = "LIAISON_METRICS_TOKEN_FILE", value_name = "FILE")]
    pub metrics_token_file: Option<PathBuf>,
    /// Requests per second per client address (bursts of four times as many); 0 turns the limit off.
    #[arg(long, env = "LIAISON_RATE_PER_ADDRESS", default_value_t = 50)]
    pub rate_per_address: u32,
    /// Requests per second per account (bursts of ten times as many); 0 turns the limit off.
    #[arg(long, env = "LIAISON_RATE_PER_ACCOUNT", default_value_t = 20)]
    pub rate_per_account: u32,
    /// Failed authentications or unknown links an address may make at once (then one per 5 s); 0 turns
    /// the limit off.
    #[arg(long, env = "LIAISON_FAILURES_PER_ADDRESS", default_value_t = 20)]
    pub failures_per_address: u32,
    /// Seconds a client has to send a request's head — and the longest a kept-alive connection may idle.
    #[arg(long, env = "LIAISON_HEADER_TIMEOUT", default_value_t = 10)]
    pub header_timeout_secs: u64,
    /// Seconds a request body may send nothing before it is abandoned.
    #[arg(long, env = "LIAISON_BODY_TIMEOUT", default_value_t = 30)]
    pub body_timeout_secs: u64,
    /// Connections at once; further ones are closed at once.
    #[arg(long, env = "LIAISON_MAX_CONNECTIONS", default_value_t = 1024)]
    pub max_connections: usize,
    /// Full views of deputies' personal data one account may make in a window (1–10000; issue 12 item 7):
    /// one more is refused (429 with Retry-After) and alerts the security administrator. Counted from the
    /// audit trail, so the limit holds across restarts and servers sharing the database.
    #[arg(long, env = "LIAISON_FULL_VIEWS", default_value_t = 20,
          value_parser = clap::value_parser!(u32).range(1..=10_000))]
    pub full_views: u32,
    /// The window of --full-views, in minutes (1–1440), sliding.
    #[arg(long, env = "LIAISON_FULL_VIEW_WINDOW", default_value_t = 10,
          value_parser = clap::value_parser!(u32).range(1..=1_440))]
    pub full_view_window: u32,
    /// The pages' session cookie without `Secure` (and named `liaison_session`, not
    /// `__Host-liaison_session`): only for plain HTTP on 127.0.0.1; behind TLS leave it off.
    #[arg(long, env = "LIAISON_INSECURE_COOKIES")]
    pub insecure_cookies: bool,
    /// Serve the public figures page /public/figures (市民查询: the year's aggregate suggestion figures by
    /// level and department and the published answers, no login, no personal data). Off by default.
    #[arg(long, env = "LIAISON_PUBLIC_FIGURES")]
    pub public_figures: bool,
}

fn rate(per_second: u32, burst_factor: u32) -> Rate {
    if per_second == 0 {
        Rate::OFF
    } else {
        Rate { per_second: f64::from(per_second), burst: per_second.saturating_mul(burst_factor) }
    }
}

impl ServerArgs {
    /// The edge: limits, proxies, the metrics token, HSTS when TLS is on.
    pub fn edge(&self) -> anyhow::Result<Edge> {
        let mut trusted = Vec::new();
        for p in self.trusted_proxies.iter().filter(|p| !p.trim().is_empty()) {
            trusted.push(Net::parse(p).ok_or_else(|| {
                anyhow::anyhow!("--trusted-proxy {p}: not an address or a range (10.0.0.0/24)")
            })?);
        }
        let metrics_token = match (&self.metrics_token_file, std::env::var("LIAISON_METRICS_TOKEN")) {
            (Some(f), _) => Some(
                std::fs::read_to_string(f)
                    .map_err(|e| anyhow::anyhow!("cannot read {}: {e}", f.display()))?
                    .trim()
                    .to_owned(),
            ),
            (None, Ok(t)) => Some(t.trim().to_owned()),
            (None, Err(_)) => None,
        }
        .filter(|t| !t.is_empty());
        if metrics_token.as_ref().is_some_and(|t| t.len() < 16) {
            anyhow::bail!("the metrics token must have at least 16 characters");
        }
        let failures = if self.failures_per_address == 0 {
            Rate::OFF
        } else {
            Rate { per_second: 0.2, burst: self.failures_per_address }
        };
        Ok(Edge {
            per_address: rate(self.rate_per_address, 4),
            per_account: rate(self.rate_per_account, 10),
            failures,
            trusted_proxies: trusted,
            metrics_token,
            hsts: self.tls_cert.is_some(),
            body_idle_timeout: Duration::from_secs(self.body_timeout_secs.max(1)),
            insecure_cookies: self.insecure_cookies,
            public_figures: self.public_figures,
            ..Edge::default()
        })
    }

    /// The limit of full views per account (--full-views in --full-view-window minutes).
    pub fn bulk_view_limit(&self) -> anyhow::Result<liaison_core::scope::BulkViewLimit> {
        liaison_core::scope::BulkViewLimit::new(self.full_views, self.full_view_window)
            .map_err(|(field, e)| anyhow::anyhow!("{field}: {e}"))
    }

    /// Timeouts and the connection cap.
    pub fn serve_options(&self) -> ServeOptions {
        ServeOptions {
            header_read_timeout: Duration::from_secs(self.header_timeout_secs.max(1)),
            max_connections: self.max_connections.max(1),
            ..ServeOptions::default()
        }
    }

    /// TLS, when a certificate and key are given.
    pub fn tls(&self) -> anyhow::Result<Option<Tls>> {
        match (&self.tls_cert, &self.tls_key) {
            (Some(c), Some(k)) => Ok(Some(Tls::from_files(c, k)?)),
            _ => Ok(None),
        }
    }

    /// Refuse plain HTTP on an address others can reach, unless TLS, a trusted proxy or `--insecure-http`
    /// says how the traffic is protected (or that it need not be).
    pub fn check_listen(&self, addr: SocketAddr) -> anyhow::Result<()> {
        let protected = self.tls_cert.is_some() || !self.trusted_proxies.is_empty() || self.insecure_http;
        if addr.ip().is_loopback() || protected {
            return Ok(());
        }
        anyhow::bail!(
            "拒绝在非本机地址 {addr} 上以明文 HTTP 提供服务：请用 --tls-cert/--tls-key 启用 TLS，或以 --trusted-proxy 指明前置的反向代理（见 deploy/nginx.conf），或明确给出 --insecure-http\n\
             refusing to serve plain HTTP on the non-loopback address {addr}: give --tls-cert/--tls-key, or --trusted-proxy for the reverse proxy in front (see deploy/nginx.conf), or --insecure-http"
        )
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use clap::Parser;

    use super::*;

    #[derive(Parser)]
    struct Cli {
        #[command(flatten)]
        s: ServerArgs,
    }

    fn args(a: &[&str]) -> ServerArgs {
        Cli::try_parse_from(std::iter::once("x").chain(a.iter().copied())).unwrap().s
    }

    #[test]
    fn plain_http_on_a_public_address_is_refused_unless_told_how_it_is_protected() {
        let public: SocketAddr = "0.0.0.0:8080".parse().unwrap();
        assert!(args(&[]).check_listen("127.0.0.1:8080".parse().unwrap()).is_ok());
        assert!(args(&[]).check_listen("[::1]:8080".parse().unwrap()).is_ok());
        let e = args(&[]).check_listen(public).unwrap_err().to_string();
        assert!(e.contains("--insecure-http") && e.contains("--trusted-proxy"), "{e}");
        assert!(args(&["--insecure-http"]).check_listen(public).is_ok());
        assert!(args(&["--trusted-proxy", "10.0.0.0/24"]).check_listen(public).is_ok());
        assert!(args(&["--tls-cert", "c.pem", "--tls-key", "k.pem"]).check_listen(public).is_ok());
        assert!(Cli::try_parse_from(["x", "--tls-cert", "c.pem"]).is_err(), "a certificate needs its key");
        assert!(args(&["--trusted-proxy", "10.0.0.0/33"]).edge().is_err());
        let e =
            args(&["--tls-cert", "c.pem", "--tls-key", "k.pem", "--rate-per-address", "0"]).edge().unwrap();
        assert!(e.hsts && !e.per_address.is_on() && e.per_account.is_on());
    }
}
