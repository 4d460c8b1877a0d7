//! Request context: the bearer token's principal, the client's language, `If-Match`, `Idempotency-Key`.

use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use axum::http::{HeaderMap, HeaderValue, header};
use liaison_app::{AppError, Principal};

use crate::AppState;
use crate::problem::{ApiError, Lang};

/// The authenticated caller and the language to answer in.
#[derive(Debug, Clone)]
pub(crate) struct Caller {
    /// Who.
    pub(crate) principal: Principal,
    /// Language.
    pub(crate) lang: Lang,
}

impl FromRequestParts<AppState> for Caller {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, ApiError> {
        let lang = Lang::from_headers(&parts.headers);
        // The gate (`access::gate`) authenticated the caller already: take its principal.
        let principal = match parts.extensions.get::<Principal>() {
            Some(principal) => principal.clone(),
            None => {
                let token = crate::access::bearer(&parts.headers)
                    .ok_or_else(|| ApiError::from(AppError::Unauthenticated).lang(lang))?;
                let token = token.to_owned();
                crate::blocking(state, move |app| app.authenticate(&token))
                    .await
                    .map_err(|e| ApiError::from(e).lang(lang))?
            }
        };
        // The per-account limit (in-process requests, which have no peer, are not limited).
        let peer = parts.extensions.get::<axum::extract::ConnectInfo<std::net::SocketAddr>>().is_some();
        if let Some(edge) = parts.extensions.get::<std::sync::Arc<crate::edge::EdgeState>>()
            && peer
        {
            edge.account(principal.user, lang)?;
        }
        Ok(Self { principal, lang })
    }
}

/// A caller whose authentication the gate deferred to the handler's read (`access::Deferred`): the token,
/// the actions the operation needs and the language. Without the gate's deferral it refuses (401), so a
/// handler taking it is never reached unauthenticated.
#[derive(Debug, Clone)]
pub(crate) struct ReadCaller {
    /// The gate's deferral.
    pub(crate) deferred: crate::access::Deferred,
    /// Language.
    pub(crate) lang: Lang,
    /// The per-account limit, for a request from a peer (in-process requests are not limited).
    edge: Option<std::sync::Arc<crate::edge::EdgeState>>,
}

impl FromRequestParts<AppState> for ReadCaller {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, _: &AppState) -> Result<Self, ApiError> {
        let lang = Lang::from_headers(&parts.headers);
        let deferred = parts
            .extensions
            .remove::<crate::access::Deferred>()
            .ok_or_else(|| ApiError::from(AppError::Unauthenticated).lang(lang))?;
        let peer = parts.extensions.get::<axum::extract::ConnectInfo<std::net::SocketAddr>>().is_some();
        let edge = parts.extensions.get::<std::sync::Arc<crate::edge::EdgeState>>().filter(|_| peer).cloned();
        Ok(Self { deferred, lang, edge })
    }
}

impl ReadCaller {
    /// Map an app error to a problem in the caller's language.
    pub(crate) fn err(&self, e: AppError) -> ApiError {
        ApiError::from(e).lang(self.lang)
    }

    /// After the read authenticated the caller: the per-account limit, as `Caller` applies it.
    pub(crate) fn limit(&self, principal: &Principal) -> Result<(), ApiError> {
        match &self.edge {
            Some(edge) => edge.account(principal.user, self.lang),
            None => Ok(()),
        }
    }
}

impl Caller {
    /// Map an app error to a problem in the caller's language.
    pub(crate) fn err(&self, e: AppError) -> ApiError {
        ApiError::from(e).lang(self.lang)
    }
}

/// The version named by `If-Match` (`"3"` or `3`); 428 when absent, 412 when unreadable or weak: RFC 9110
/// compares `If-Match` strongly, and a weak tag (`W/"3"`) never matches (issue 12).
pub(crate) fn if_match(h: &HeaderMap, lang: Lang) -> Result<u64, ApiError> {
    let v = h.get(header::IF_MATCH).ok_or_else(|| ApiError::if_match_required().lang(lang))?;
    let s = v.to_str().unwrap_or("").trim();
    if s.starts_with("W/") {
        return Err(ApiError::new(
            axum::http::StatusCode::PRECONDITION_FAILED,
            "precondition.weak",
            "If-Match 须为强 ETag（如 \"3\"），弱 ETag（W/\"3\"）不能用于修改",
            "If-Match compares strongly: a weak ETag (W/\"3\") never matches; send the ETag as read (\"3\")",
        )
        .lang(lang));
    }
    let s = s.trim_matches('"');
    s.parse().map_err(|_| {
        ApiError::new(
            axum::http::StatusCode::PRECONDITION_FAILED,
            "precondition.unreadable",
            "If-Match 的值不是本系统给出的 ETag",
            "If-Match is not an ETag this service issued",
        )
        .lang(lang)
    })
}

/// The version a change names in `If-Match`: every handler that changes a versioned record takes one, so a
/// change without the header is refused (428 `precondition.required`, naming the header) before the handler
/// reads the request, and the document declares the header required (`params(IfMatch)`). A test walks every
/// documented change and proves it (`tests/contract.rs`). Creates take `Idempotency-Key` instead.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct IfMatch(pub(crate) u64);

impl<S: Send + Sync> FromRequestParts<S> for IfMatch {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, ApiError> {
        if_match(&parts.headers, Lang::from_headers(&parts.headers)).map(Self)
    }
}

impl utoipa::IntoParams for IfMatch {
    fn into_params(
        _: impl Fn() -> Option<utoipa::openapi::path::ParameterIn>,
    ) -> Vec<utoipa::openapi::path::Parameter> {
        use utoipa::openapi::path::{ParameterBuilder, ParameterIn};
        use utoipa::openapi::{ObjectBuilder, Required, Type};
        vec![
            ParameterBuilder::new()
                .name("If-Match")
                .parameter_in(ParameterIn::Header)
                .required(Required::True)
                .description(Some(
                    "The `ETag` read (`\"3\"`), compared strongly: 428 when missing, 412 when stale or weak",
                ))
                .schema(Some(ObjectBuilder::new().schema_type(Type::String)))
                .build(),
        ]
    }
}

/// The `ETag` of a version.
pub(crate) fn etag(version: u64) -> (header::HeaderName, HeaderValue) {
    (
        header::ETAG,
        HeaderValue::from_str(&format!("\"{version}\"")).unwrap_or(HeaderValue::from_static("\"0\"")),
    )
}

/// The `Idempotency-Key` (1–200 visible ASCII characters), with the request body's fingerprint.
pub(crate) fn idempotency(
    h: &HeaderMap,
    body: &[u8],
    lang: Lang,
) -> Result<Option<liaison_app::Idempotency>, ApiError> {
    let Some(v) = h.get("idempotency-key") else { return Ok(None) };
    let key = v.to_str().unwrap_or("");
    if key.is_empty() || key.len() > 200 || !key.bytes().all(|b| b.is_ascii_graphic()) {
        return Err(ApiError::new(
            axum::http::StatusCode::BAD_REQUEST,
            "idempotency.bad_key",
            "Idempotency-Key 须为 1–200 个可见 ASCII 字符",
            "Idempotency-Key must be 1–200 visible ASCII characters",
        )
        .lang(lang));
    }
    Ok(Some(liaison_app::Idempotency { key: key.to_owned(), request_hash: liaison_app::fingerprint(body) }))
}
