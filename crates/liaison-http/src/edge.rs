//! The server's edge: who the client is (its address, taken from `X-Forwarded-For` only when the peer is
//! a configured proxy), rate limits (per client address, per account, and on failed authentications —
//! a 429 problem with `Retry-After`), HSTS when the client reached us over TLS, `/metrics` behind a token,
//! and the records of refused requests in the audit trail (401 and 403), limited per client address and
//! in all so that a flood cannot fill the trail.

use std::net::{IpAddr, SocketAddr};
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use axum::extract::{ConnectInfo, MatchedPath, Request, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

use crate::AppState;
use crate::limit::{Buckets, Rate};
use crate::problem::{ApiError, Lang};

/// An address range (`10.0.0.0/8`, `::1/128`, or one address).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Net {
    addr: IpAddr,
    prefix: u8,
}

impl Net {
    /// Parse `address` or `address/prefix`.
    pub fn parse(s: &str) -> Option<Self> {
        let (a, p) = s.trim().split_once('/').map_or((s.trim(), None), |(a, p)| (a, Some(p)));
        let addr: IpAddr = a.parse().ok()?;
        let max = if addr.is_ipv4() { 32 } else { 128 };
        let prefix = match p {
            Some(p) => p.parse::<u8>().ok().filter(|p| *p <= max)?,
            None => max,
        };
        Some(Self { addr, prefix })
    }

    /// Whether `ip` is in the range (an IPv4-mapped IPv6 address counts as its IPv4 address).
    pub fn contains(&self, ip: IpAddr) -> bool {
        let ip = canonical(ip);
        match (self.addr, ip) {
            (IpAddr::V4(n), IpAddr::V4(a)) => {
                let mask = u32::MAX.checked_shl(32 - u32::from(self.prefix)).unwrap_or(0);
                u32::from(n) & mask == u32::from(a) & mask
            }
            (IpAddr::V6(n), IpAddr::V6(a)) => {
                let mask = u128::MAX.checked_shl(128 - u32::from(self.prefix)).unwrap_or(0);
                u128::from(n) & mask == u128::from(a) & mask
            }
            _ => false,
        }
    }
}

fn canonical(ip: IpAddr) -> IpAddr {
    match ip {
        IpAddr::V6(v6) => v6.to_ipv4_mapped().map_or(ip, IpAddr::V4),
        v4 => v4,
    }
}

/// The key a client is limited by: its IPv4 address, or the /64 of its IPv6 address (one host usually
/// holds a whole /64).
fn limit_key(ip: IpAddr) -> IpAddr {
    match canonical(ip) {
        IpAddr::V6(v6) => IpAddr::V6((u128::from(v6) & (u128::MAX << 64)).into()),
        v4 => v4,
    }
}

/// How the edge behaves: limits, trusted proxies, `/metrics`, HSTS.
#[derive(Debug, Clone)]
pub struct Edge {
    /// Requests per client address.
    pub per_address: Rate,
    /// Requests per authenticated account.
    pub per_account: Rate,
    /// Failed authentications (401) and unknown one-use links per client address; once spent, the address
    /// gets 429 for anything that presents credentials or a link until the bucket refills.
    pub failures: Rate,
    /// Audit records of refused requests (401, 403) per client address; the rest are counted, and the
    /// count is carried by the next record.
    pub refusal_records: Rate,
    /// Audit records of refused requests in all, whatever the address.
    pub refusal_records_total: Rate,
    /// Proxies whose `X-Forwarded-For` and `X-Forwarded-Proto` are believed; from anyone else they are
    /// ignored.
    pub trusted_proxies: Vec<Net>,
    /// `/metrics` on the service's own address answers only with `Authorization: Bearer <this>`; without
    /// one it is not served there (serve it on a separate address: `metrics_router`).
    pub metrics_token: Option<String>,
    /// The service is reached over TLS (its own): every response says `Strict-Transport-Security`.
    pub hsts: bool,
    /// A request body that sends nothing for this long is abandoned (a slow-body attack holds nothing).
    pub body_idle_timeout: Duration,
    /// The pages' cookies go without `Secure` and without the `__Host-` prefix: only for plain-HTTP use on
    /// this machine (`--insecure-cookies`); off by default.
    pub insecure_cookies: bool,
    /// Serve the public figures page (`/public/figures`, no login; issue 18 item 7); off by default.
    pub public_figures: bool,
    /// Deputies' login codes asked for per client address (`POST /deputy/login`), whatever the number:
    /// one address cannot walk the register's numbers or run up SMS (each number has its own limit too).
    pub code_requests: Rate,
}

impl Default for Edge {
    fn default() -> Self {
        Self {
            per_address: Rate { per_second: 50.0, burst: 200 },
            per_account: Rate { per_second: 20.0, burst: 200 },
            failures: Rate { per_second: 0.2, burst: 20 },
            refusal_records: Rate { per_second: 0.2, burst: 10 },
            refusal_records_total: Rate { per_second: 2.0, burst: 50 },
            trusted_proxies: Vec::new(),
            metrics_token: None,
            hsts: false,
            body_idle_timeout: Duration::from_secs(30),
            insecure_cookies: false,
            public_figures: false,
            code_requests: Rate { per_second: 1.0 / 60.0, burst: 10 },
        }
    }
}

impl Edge {
    /// No request limits (benchmarks, the crash harness); refusals are still recorded within their limit.
    pub fn unlimited() -> Self {
        Self {
            per_address: Rate::OFF,
            per_account: Rate::OFF,
            failures: Rate::OFF,
            code_requests: Rate::OFF,
            ..Self::default()
        }
    }
}

/// `Strict-Transport-Security`: a year, subdomains included.
const HSTS: &str = "max-age=31536000; includeSubDomains";

/// The edge's state: its configuration and its buckets.
#[derive(Debug)]
pub(crate) struct EdgeState {
    pub(crate) cfg: Edge,
    addresses: Buckets<IpAddr>,
    accounts: Buckets<liaison_core::ids::UserId>,
    failures: Buckets<IpAddr>,
    codes: Buckets<IpAddr>,
    refusals: Buckets<IpAddr>,
    refusals_total: Buckets<()>,
    unrecorded: AtomicU64,
}

impl EdgeState {
    pub(crate) fn new(cfg: Edge) -> Arc<Self> {
        Arc::new(Self {
            addresses: Buckets::new(cfg.per_address, 100_000),
            accounts: Buckets::new(cfg.per_account, 100_000),
            failures: Buckets::new(cfg.failures, 100_000),
            codes: Buckets::new(cfg.code_requests, 100_000),
            refusals: Buckets::new(cfg.refusal_records, 100_000),
            refusals_total: Buckets::new(cfg.refusal_records_total, 1),
            unrecorded: AtomicU64::new(0),
            cfg,
        })
    }

    /// Take a token of the account's bucket (`Caller` calls this once the token is known good).
    pub(crate) fn account(&self, user: liaison_core::ids::UserId, lang: Lang) -> Result<(), ApiError> {
        self.accounts.take(&user, Instant::now()).map_err(|wait| too_many(wait, lang, "account"))
    }
}

fn too_many(wait: Duration, lang: Lang, scope: &str) -> ApiError {
    metrics::counter!("liaison_http_rate_limited_total", "scope" => scope.to_owned()).increment(1);
    let secs = u32::try_from(wait.as_secs()).unwrap_or(u32::MAX).saturating_add(1);
    ApiError::new(
        StatusCode::TOO_MANY_REQUESTS,
        "rate.limited",
        format!("请求过于频繁，请 {secs} 秒后再试"),
        format!("too many requests: retry in {secs} s"),
    )
    .retry_after(secs)
    .lang(lang)
}

/// The client's address from the peer and, when the peer is a trusted proxy, `X-Forwarded-For`: the
/// rightmost address that is not itself a trusted proxy (what a client writes there is not believed).
/// Also whether the client used HTTPS as a trusted proxy reports it (`X-Forwarded-Proto: https`).
fn client_address(peer: Option<IpAddr>, headers: &HeaderMap, proxies: &[Net]) -> (IpAddr, bool) {
    let unknown = IpAddr::V6(std::net::Ipv6Addr::UNSPECIFIED);
    let Some(peer) = peer else { return (unknown, false) };
    let trusted = |ip: IpAddr| proxies.iter().any(|n| n.contains(ip));
    if !trusted(peer) {
        return (canonical(peer), false);
    }
    let https = headers
        .get("x-forwarded-proto")
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.split(',').next_back().is_some_and(|p| p.trim().eq_ignore_ascii_case("https")));
    let mut client = peer;
    let hops = headers.get_all("x-forwarded-for").iter().filter_map(|v| v.to_str().ok()).collect::<Vec<_>>();
    for hop in hops.iter().rev().flat_map(|v| v.rsplit(',')) {
        match hop.trim().parse::<IpAddr>() {
            Ok(ip) if trusted(ip) => client = ip,
            Ok(ip) => return (canonical(ip), https),
            Err(_) => break,
        }
    }
    (canonical(client), https)
}

/// The limits and what every request learns first: its client address and the edge (extensions).
pub(crate) async fn limits(State(edge): State<Arc<EdgeState>>, mut req: Request, next: Next) -> Response {
    let peer = req.extensions().get::<ConnectInfo<SocketAddr>>().map(|c| c.0.ip());
    let (client, https) = client_address(peer, req.headers(), &edge.cfg.trusted_proxies);
    req.extensions_mut().insert(ClientAddr(client));
    req.extensions_mut().insert(edge.clone());
    let lang = Lang::from_headers(req.headers());
    let key = limit_key(client);
    let now = Instant::now();
    // A page login (password or code) is guessing too: it shares the address's failure budget, and a wrong
    // code (422, the form again) counts like a wrong password (401).
    let post = req.method() == axum::http::Method::POST;
    let login =
        post && (req.uri().path().starts_with("/login") || req.uri().path().starts_with("/deputy/login"));
    let code_request = post && req.uri().path() == "/deputy/login";
    let guarded = req.headers().contains_key(header::AUTHORIZATION) || is_link(req.uri().path()) || login;
    // In-process requests (tests) have no peer address: no request limits apply to them.
    if peer.is_some() {
        if let Err(wait) = edge.addresses.take(&key, now) {
            return too_many(wait, lang, "address").into_response();
        }
        if guarded && let Err(wait) = edge.failures.would_allow(&key, now) {
            return too_many(wait, lang, "failures").into_response();
        }
        if code_request && let Err(wait) = edge.codes.take(&key, now) {
            return too_many(wait, lang, "login_codes").into_response();
        }
    }
    let link = is_link(req.uri().path());
    let mut resp = next.run(req).await;
    let status = resp.status();
    if peer.is_some()
        && (status == StatusCode::UNAUTHORIZED
            || (link && (status == StatusCode::NOT_FOUND || status == StatusCode::GONE))
            || (login && status == StatusCode::UNPROCESSABLE_ENTITY))
    {
        let _ = edge.failures.take(&key, now);
    }
    if edge.cfg.hsts || https {
        resp.headers_mut().insert(header::STRICT_TRANSPORT_SECURITY, HeaderValue::from_static(HSTS));
    }
    resp
}

/// A one-use link's page or API (its secret is in the path).
fn is_link(path: &str) -> bool {
    ["/feedback/", "/api/v1/feedback/", "/ack/", "/api/v1/notice-ack/", "/deputy/login/"]
        .iter()
        .any(|p| path.starts_with(p))
}

/// Whether `given` is `Bearer <expected>`, compared in constant time.
fn bearer_is(given: Option<&HeaderValue>, expected: &str) -> bool {
    let Some(given) = given.and_then(|v| v.to_str().ok()).and_then(|v| v.strip_prefix("Bearer ")) else {
        return false;
    };
    let (a, b) = (given.trim().as_bytes(), expected.as_bytes());
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

/// `/metrics` on the service's address: only with the metrics token; without a token configured it is
/// served on the separate metrics address only.
pub(crate) async fn metrics_guarded(req: Request) -> Response {
    let lang = Lang::from_headers(req.headers());
    let token = req.extensions().get::<Arc<EdgeState>>().and_then(|e| e.cfg.metrics_token.clone());
    match token {
        Some(t) if bearer_is(req.headers().get(header::AUTHORIZATION), &t) => crate::metrics_text().await,
        Some(_) => ApiError::new(
            StatusCode::UNAUTHORIZED,
            "metrics.token",
            "需要指标令牌（LIAISON_METRICS_TOKEN）",
            "the metrics token is required (LIAISON_METRICS_TOKEN)",
        )
        .lang(lang)
        .into_response(),
        None => ApiError::new(
            StatusCode::NOT_FOUND,
            "metrics.elsewhere",
            "指标只在单独的监听地址上提供（--metrics-listen）",
            "metrics are served on the separate metrics address only (--metrics-listen)",
        )
        .lang(lang)
        .into_response(),
    }
}

/// The client's address as the edge determined it (an extension of every request).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct ClientAddr(pub(crate) IpAddr);

/// The address a request came from: the peer's (in-process requests have none: unspecified).
pub(crate) fn client_of(req: &Request) -> IpAddr {
    req.extensions()
        .get::<ClientAddr>()
        .map(|c| c.0)
        .or_else(|| req.extensions().get::<ConnectInfo<SocketAddr>>().map(|c| c.0.ip()))
        .unwrap_or(IpAddr::V6(std::net::Ipv6Addr::UNSPECIFIED))
}

fn bearer(authorization: &HeaderValue) -> Option<String> {
    let v = authorization.to_str().ok()?;
    v.strip_prefix("Bearer ").or_else(|| v.strip_prefix("bearer ")).map(|t| t.trim().to_owned())
}

/// Record 401 and 403 answers in the audit trail (`access.unauthenticated`, `access.refused`): the route
/// as declared (never the raw path, which may hold a link's secret), the method, the client's address and,
/// for a refusal, the account. Limited per address and in all; what is not recorded is counted (metric
/// `liaison_http_refusals_unrecorded_total`) and the next record says how many it stands for.
pub(crate) async fn audit_refusals(
    State((state, edge)): State<(AppState, Arc<EdgeState>)>,
    req: Request,
    next: Next,
) -> Response {
    // Kept cheaply (shared, not copied): most answers are not refusals and need none of it.
    let method = req.method().clone();
    let route = req.extensions().get::<MatchedPath>().cloned();
    let client = client_of(&req);
    let authorization = req.headers().get(header::AUTHORIZATION).cloned();
    let resp = next.run(req).await;
    let status = resp.status();
    if status != StatusCode::UNAUTHORIZED && status != StatusCode::FORBIDDEN {
        return resp;
    }
    let now = Instant::now();
    if edge.refusals.take(&client, now).is_err() || edge.refusals_total.take(&(), now).is_err() {
        edge.unrecorded.fetch_add(1, Ordering::Relaxed);
        metrics::counter!("liaison_http_refusals_unrecorded_total").increment(1);
        return resp;
    }
    let token = authorization.as_ref().and_then(bearer);
    let who = match (status, token) {
        (StatusCode::FORBIDDEN, Some(t)) => {
            crate::blocking(&state, move |app| app.authenticate(&t)).await.ok()
        }
        _ => None,
    };
    let refusal = liaison_app::trail::Refusal {
        status: status.as_u16(),
        code: if status == StatusCode::UNAUTHORIZED { "auth.unauthenticated" } else { "auth.forbidden" }
            .into(),
        method: if crate::known_method(method.as_str()) { method.as_str() } else { "other" }.to_owned(),
        route: route.as_ref().map_or("unmatched", MatchedPath::as_str).to_owned(),
        client: client.to_string(),
        suppressed: edge.unrecorded.swap(0, Ordering::Relaxed),
    };
    if let Err(e) = state.app.record_refusal(who.as_ref(), refusal).await {
        tracing::warn!(error = %e, "a refused request could not be recorded in the audit trail");
    }
    resp
}
