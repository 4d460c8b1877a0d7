//! `POST /suggestions/{key}/{action}`: one of the page's forms, turned into the `SuggestionAction` the API
//! posts and run through the same `App::suggestion_action` with the version the form carried (its
//! `If-Match`). Done: 303 back to the page, which says so; refused: the page again with the reason in its
//! alert and the form as it was filled. A leader's approval of an extension asks for a recent
//! authentication first (`require_recent_auth`; else to `/reauth` and back to the page).

use axum::Extension;
use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use liaison_app::{AppError, ErrorKind, SuggestionAction};

use super::{Draft, refused_page};
use crate::AppState;
use crate::pages::suggestions::FormData;
use crate::pages::{Cookies, Notice, failed, reauth_to, render, see_other, staff_post};

/// The action a form names, from its fields; `None` for a name no form has.
fn action_of(name: &str, f: &FormData) -> Option<SuggestionAction> {
    let text = |k: &str| f.get(k).to_owned();
    Some(match name {
        "assign" => SuggestionAction::Assign {
            lead: text("lead"),
            co_handlers: f.all("co"),
            handler: text("handler"),
        },
        "reassign" => SuggestionAction::Reassign {
            lead: text("lead"),
            co_handlers: f.all("co"),
            handler: text("handler"),
            reason: text("reason"),
        },
        "contact" => SuggestionAction::Contact {
            phase: text("phase"),
            means: text("means"),
            deputies: Vec::new(),
            summary: text("summary"),
        },
        "answer" => SuggestionAction::Answer {
            class: text("class"),
            text: text("text"),
            promised_on: Some(text("promised_on")).filter(|d| !d.trim().is_empty()),
        },
        "co_opinion" => SuggestionAction::CoOpinion { department: None, text: text("text") },
        "request_extension" => {
            SuggestionAction::RequestExtension { until: text("until"), reason: text("reason") }
        }
        "extend" => SuggestionAction::Extend { until: text("until"), reason: text("reason") },
        "decline_extension" => SuggestionAction::DeclineExtension { reason: text("reason") },
        "return" => SuggestionAction::Return { reason: text("reason") },
        "merge" => SuggestionAction::Merge { into: text("into") },
        "notify" => SuggestionAction::Notify { text: text("text") },
        "co_overdue" => SuggestionAction::CoOverdue { department: text("department") },
        "rate" => SuggestionAction::Rate {
            rating: text("rating"),
            comment: Some(text("text")).filter(|c| !c.trim().is_empty()),
            deputy: Some(text("deputy")),
            form_ref: Some(text("form_ref")),
        },
        "lapse" => SuggestionAction::Lapse {},
        "escalation" => SuggestionAction::Escalation { means: text("means"), note: text("text") },
        "solved" => SuggestionAction::Solved { text: text("text") },
        "publish" => SuggestionAction::Publish {
            scope: text("scope"),
            values: f
                .get("values")
                .split([',', '，', '、'])
                .map(|v| v.trim().to_owned())
                .filter(|v| !v.is_empty())
                .collect(),
        },
        "reroute" => SuggestionAction::Reroute { ground: text("ground"), notice: text("text") },
        "transfer" => {
            SuggestionAction::Transfer { to: text("to"), reason: text("reason"), notice: text("text") }
        }
        "reroute_outcome" => SuggestionAction::RerouteOutcome { outcome: text("text") },
        "reroute_told" => SuggestionAction::RerouteTold { notice: text("text") },
        "withdraw" => SuggestionAction::Withdraw { deputy: Some(text("deputy")), reason: text("reason") },
        _ => return None,
    })
}

/// `POST /suggestions/{key}/{action}`.
pub(crate) async fn act(
    State(s): State<AppState>,
    Extension(cookies): Extension<Cookies>,
    headers: HeaderMap,
    Path((key, name)): Path<(String, String)>,
    body: Bytes,
) -> Response {
    let f = FormData::parse(&body);
    let (session, _) = match staff_post(&s, cookies, &headers, f.get("csrf")).await {
        Ok(x) => x,
        Err(r) => return r,
    };
    let back = format!("/suggestions/{key}");
    let Some(action) = action_of(&name, &f) else {
        return render(
            StatusCode::NOT_FOUND,
            &Notice {
                title: "无法完成",
                message: "没有这项操作。".into(),
                back: "/suggestions",
                back_text: "返回建议列表",
            },
        );
    };
    let draft = Draft {
        action: name.clone(),
        class: f.get("class").to_owned(),
        text: f.get("text").to_owned(),
        promised_on: f.get("promised_on").to_owned(),
        until: f.get("until").to_owned(),
        reason: f.get("reason").to_owned(),
        summary: f.get("summary").to_owned(),
        deputy: f.get("deputy").to_owned(),
        form_ref: f.get("form_ref").to_owned(),
        values: f.get("values").to_owned(),
        to: f.get("to").to_owned(),
    };
    // An approval is a sensitive action: a recent proof of identity first, then back to this page.
    // A leader's decisions (an extension granted or declined, the record that closes an escalated item)
    // and a rating transcribed for a deputy count towards the department's assessment: proven again.
    if matches!(name.as_str(), "extend" | "decline_extension" | "escalation" | "rate")
        && let Err(e) = s.app.require_recent_auth(&session)
    {
        return if e.code() == "login.reauth_required" { reauth_to(&back) } else { failed(&e) };
    }
    let Ok(version) = f.get("version").trim().parse::<u64>() else {
        let e = AppError::Invalid(vec![liaison_core::FieldError::new(
            "version",
            &liaison_core::ValueError::Required,
        )]);
        return refused_page(&s, &session, &key, draft, &e).await;
    };
    match s.app.suggestion_action(&session.principal, &key, Some(version), action, None).await {
        Ok(v) => {
            // A merge leaves this item merged: its page still says so, with the survivor in the history.
            let to = super::super::path_of(
                v.suggestion.number.map(|n| n.to_string()).as_deref(),
                v.suggestion.id.0,
            );
            see_other(&format!("{to}?done={name}"))
        }
        Err(e)
            if matches!(e.kind(), ErrorKind::Internal | ErrorKind::Unavailable | ErrorKind::StorageFull) =>
        {
            failed(&e)
        }
        Err(e) => refused_page(&s, &session, &key, draft, &e).await,
    }
}
