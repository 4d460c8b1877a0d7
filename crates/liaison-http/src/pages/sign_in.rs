//! The choice of procuratorate on the sign-in pages (issue 20, part 2): the staff login, the deputy's SMS
//! login and the public figures. A deployment of one procuratorate shows nothing new; a deployment of
//! several shows the procuratorates by name, indented by the tree (province, its cities, their counties),
//! and opens on the one the URL names (`/login?tenant=ID`, so a county's bookmarked login page opens on
//! that county) or, failing that, the one this browser last signed in to (a non-secret cookie,
//! `__Host-liaison_tenant`). An id the URL names that is no procuratorate's is said so on the page, never
//! replaced by another; a stale cookie is only forgotten.
//!
//! Which procuratorate a sign-in is for is the app's decision (`App::sign_in_tenant`); this module only
//! reads the request and shapes the list.

use axum::http::HeaderMap;
use liaison_app::{AppError, ErrorKind};
use liaison_core::tenant::Tenant;
use serde::Deserialize;

use super::{Cookies, cookie};
use crate::AppState;

/// How long the browser remembers the procuratorate last signed in to (400 days, browsers' most).
const REMEMBER_SECONDS: u32 = 400 * 86_400;

/// A procuratorate in the list.
pub(crate) struct TenantOption {
    /// Its id (the form's value).
    pub(crate) id: String,
    /// Its name, indented by its depth in the tree (ideographic spaces, which a `<select>` keeps).
    pub(crate) label: String,
    /// It is the one chosen.
    pub(crate) selected: bool,
}

/// The choice a sign-in page shows: no options in a deployment of one procuratorate.
#[derive(Default)]
pub(crate) struct TenantChoice {
    /// The procuratorates, in the tree's order.
    pub(crate) options: Vec<TenantOption>,
    /// The one chosen (the URL's, the form's or the remembered one), when there is a choice.
    pub(crate) chosen: Option<Tenant>,
}

impl TenantChoice {
    /// Whether the page shows the choice.
    pub(crate) fn shown(&self) -> bool {
        !self.options.is_empty()
    }
    /// The chosen procuratorate's id (empty when none is chosen).
    pub(crate) fn chosen_id(&self) -> String {
        self.chosen.as_ref().map(|t| t.id.to_string()).unwrap_or_default()
    }
    /// The chosen procuratorate's name (empty when none is chosen).
    pub(crate) fn chosen_name(&self) -> &str {
        self.chosen.as_ref().map_or("", |t| t.name.as_str())
    }
}

/// The `?tenant=` of a sign-in page's URL.
#[derive(Debug, Default, Deserialize)]
pub(crate) struct TenantQuery {
    #[serde(default)]
    pub(crate) tenant: Option<String>,
}

/// The choice for a page: `requested` (the URL's or the form's `tenant`) when given, else the procuratorate
/// this browser remembers. A requested id that is refused (malformed, unknown) comes back as the page's
/// error beside an unchosen list; a failure of the system is the `Err`.
pub(crate) async fn choice(
    s: &AppState,
    cookies: Cookies,
    headers: &HeaderMap,
    requested: Option<&str>,
) -> Result<(TenantChoice, Option<AppError>), AppError> {
    let requested = requested.map(str::trim).filter(|r| !r.is_empty()).map(str::to_owned);
    let remembered = cookie(headers, cookies.tenant()).map(str::to_owned);
    crate::blocking(s, move |app| {
        let tree = app.tenant_tree()?;
        // A URL naming a procuratorate is checked even in a deployment of one: a wrong bookmark is said so.
        let (chosen, error) = match requested {
            Some(r) => match app.sign_in_tenant(Some(&r)) {
                Ok(t) => (Some(t), None),
                Err(e) if e.kind() == ErrorKind::Invalid => (None, Some(e)),
                Err(e) => return Err(e),
            },
            None if tree.len() > 1 => (remembered.and_then(|c| app.sign_in_tenant(Some(&c)).ok()), None),
            None => (None, None),
        };
        if tree.len() <= 1 {
            return Ok((TenantChoice::default(), error));
        }
        let chosen_id = chosen.as_ref().map(|t| t.id.to_string());
        let options = tree
            .into_iter()
            .map(|v| TenantOption {
                selected: chosen_id.as_deref() == Some(v.id.as_str()),
                label: format!("{}{}", "\u{3000}".repeat(v.depth), v.name),
                id: v.id,
            })
            .collect();
        Ok((TenantChoice { options, chosen }, error))
    })
    .await
}

/// The procuratorate a sign-in form names (`tenant`; none: the deployment's only one), as the app decides.
pub(crate) async fn resolve(s: &AppState, requested: &str) -> Result<Tenant, AppError> {
    let requested = requested.trim().to_owned();
    crate::blocking(s, move |app| app.sign_in_tenant(Some(requested.as_str()).filter(|r| !r.is_empty())))
        .await
}

impl Cookies {
    /// The name of the cookie that remembers the procuratorate last signed in to (not a secret: an id).
    pub(crate) fn tenant(self) -> &'static str {
        if self.secure { "__Host-liaison_tenant" } else { "liaison_tenant" }
    }

    /// The `Set-Cookie` value that remembers `tenant` for the next sign-in.
    pub(crate) fn remember_tenant(self, tenant: &Tenant) -> axum::http::HeaderValue {
        let mut v = self.set(self.tenant(), tenant.id.as_str(), false);
        let with_age = format!("{}; Max-Age={REMEMBER_SECONDS}", v.to_str().unwrap_or_default());
        if let Ok(h) = axum::http::HeaderValue::from_str(&with_age) {
            v = h;
        }
        v
    }
}
