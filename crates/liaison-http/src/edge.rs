//! The server's edge: who the client is (its address, taken from `X-Forwarded-For` only when the peer is
//! a configured proxy), and the records of refused requests in the audit trail (401 and 403), limited
//! per client address and in all so that a flood cannot fill the trail.

use std::net::{IpAddr, SocketAddr};
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Instant;

use axum::extract::{ConnectInfo, MatchedPath, Request, State};
use axum::http::{StatusCode, header};
use axum::middleware::Next;
use axum::response::Response;

use crate::AppState;
use crate::limit::{Buckets, Rate};

/// How the edge behaves: limits, trusted proxies, `/metrics`, HSTS.
#[derive(Debug, Clone)]
pub struct Edge {
    /// Audit records of refused requests (401, 403) per client address; the rest are counted, and the
    /// count is carried by the next record.
    pub refusal_records: Rate,
    /// Audit records of refused requests in all, whatever the address.
    pub refusal_records_total: Rate,
}

impl Default for Edge {
    fn default() -> Self {
        Self {
            refusal_records: Rate { per_second: 0.2, burst: 10 },
            refusal_records_total: Rate { per_second: 2.0, burst: 50 },
        }
    }
}

/// The edge's state: its configuration and its buckets.
#[derive(Debug)]
pub(crate) struct EdgeState {
    refusals: Buckets<IpAddr>,
    refusals_total: Buckets<()>,
    unrecorded: AtomicU64,
}

impl EdgeState {
    pub(crate) fn new(cfg: Edge) -> Arc<Self> {
        Arc::new(Self {
            refusals: Buckets::new(cfg.refusal_records, 100_000),
            refusals_total: Buckets::new(cfg.refusal_records_total, 1),
            unrecorded: AtomicU64::new(0),
        })
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

fn bearer(req: &Request) -> Option<String> {
    let v = req.headers().get(header::AUTHORIZATION)?.to_str().ok()?;
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
    let method = req.method().as_str().to_owned();
    let route = req.extensions().get::<MatchedPath>().map(|p| p.as_str().to_owned());
    let client = client_of(&req);
    let token = bearer(&req);
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
        method: if crate::known_method(&method) { method } else { "other".into() },
        route: route.unwrap_or_else(|| "unmatched".into()),
        client: client.to_string(),
        suppressed: edge.unrecorded.swap(0, Ordering::Relaxed),
    };
    if let Err(e) = state.app.record_refusal(who.as_ref(), refusal).await {
        tracing::warn!(error = %e, "a refused request could not be recorded in the audit trail");
    }
    resp
}
