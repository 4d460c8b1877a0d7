//! 案件评查 · one review (`/reviews/{id}`): the case, who may be drawn (`App::review_pool`: the people's
//! supervisors in office, or every deputy in office for the committee's observation) and who declared a
//! recusal with the reason; the pool and the seed's promise fixed before the draw (the commitment and the
//! pool's fingerprint shown from then on), the draw after re-authentication, the drawn by name, level and
//! region, their votes, the chief procurator's decision — and the procuratorial committee's, with its
//! explanation, when the chief goes against the majority; the escalation; the participants told; and the
//! draw reproduced from the record (`App::verify_draw`). Every step is `App::review_action` with the
//! review's version; the leader's decisions and the draw ask for re-authentication first.

use askama::Template;
use axum::Extension;
use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use liaison_app::{AppError, Principal, ReviewAction, shown};
use liaison_core::access::Action;
use liaison_core::login::LoginError;
use liaison_core::lottery::SeedPromise;
use liaison_core::review::{ReviewError, ReviewStatus};

use super::reviews::{AT, FORBIDDEN};
use super::{Choice, Refusal, invalid, not_found, refusal_of, split};
use crate::AppState;
use crate::pages::meetings::Fields;
use crate::pages::{Chrome, Cookies, day, reauth_to, render, see_other, staff, staff_post};

/// How many of the pool the page names (a committee's observation draws from every deputy in office).
const POOL_SHOWN: usize = 300;

/// A participant as the page shows them (the id only in forms' values).
pub(crate) struct Participant {
    id: String,
    who: String,
    voted: bool,
    vote: &'static str,
    opinion: String,
}

#[derive(Template)]
#[template(path = "staff/review_page.html")]
struct ReviewPage {
    chrome: Chrome,
    id: String,
    version: u64,
    case_ref: String,
    kind: &'static str,
    by_supervisors: bool,
    status: &'static str,
    code: &'static str,
    opened: String,
    summary: String,
    /// Planned again after an earlier draw of the case: `Some(approval)` once approved ("" while waiting).
    replan: Option<String>,
    pool_fixed: bool,
    pool_size: usize,
    pool: Vec<String>,
    pool_more: usize,
    /// Whom a recusal may name now: the pool before the draw, the participants who have not voted after.
    recusable: Vec<Choice>,
    recusals: Vec<(String, String)>,
    replacements: Vec<String>,
    promise: String,
    public: bool,
    fingerprint: String,
    /// The secret seed, shown once in the answer to fixing the pool.
    seed_once: Option<String>,
    seed: String,
    public_value: String,
    participants: Vec<Participant>,
    unvoted: Vec<Choice>,
    tally: String,
    chief: String,
    committee: String,
    committee_explanation: String,
    escalation: String,
    notified: String,
    default_count: usize,
    verified: Option<bool>,
    verification: String,
    manages: bool,
    approves: bool,
    error: Option<String>,
}

fn agreement(agree: bool) -> &'static str {
    if agree { "同意拟处理意见" } else { "不同意拟处理意见" }
}

async fn review_page(
    s: &AppState,
    chrome: Chrome,
    p: &Principal,
    id: &str,
    seed_once: Option<String>,
    error: Option<Refusal>,
) -> Response {
    let (who, key) = (p.clone(), id.to_owned());
    let got = crate::blocking(s, move |app| {
        let v = app.review_view(&who, &key)?;
        let pool = app.review_pool(&who, &key, POOL_SHOWN)?;
        let check = match v.review.draw.as_ref().and_then(|d| d.seed.as_ref()) {
            Some(_) => Some(app.verify_draw(&who, &key)?),
            None => None,
        };
        Ok((v, pool, check))
    })
    .await;
    let (v, pool, check) = match got {
        Ok(x) => x,
        Err(e) => return not_found(&e),
    };
    let r = &v.review;
    let label = |d: &str| shown(&v.people, d);
    let mut pool_people: Vec<Choice> =
        pool.people.iter().map(|(id, l)| Choice { id: id.clone(), label: l.display() }).collect();
    pool_people.sort_by(|a, b| a.label.cmp(&b.label));
    let participants: Vec<Participant> = r
        .participants
        .iter()
        .map(|d| {
            let vote = r.votes.get(d);
            Participant {
                id: d.to_string(),
                who: label(&d.to_string()),
                voted: vote.is_some(),
                vote: vote.map_or("未表决", |v| agreement(v.agree)),
                opinion: vote.map(|v| v.opinion.to_string()).unwrap_or_default(),
            }
        })
        .collect();
    let unvoted: Vec<Choice> = participants
        .iter()
        .filter(|x| !x.voted)
        .map(|x| Choice { id: x.id.clone(), label: x.who.clone() })
        .collect();
    let recusable = match r.status {
        ReviewStatus::Registered => {
            pool_people.iter().map(|c| Choice { id: c.id.clone(), label: c.label.clone() }).collect()
        }
        ReviewStatus::Drawn => {
            unvoted.iter().map(|c| Choice { id: c.id.clone(), label: c.label.clone() }).collect()
        }
        _ => Vec::new(),
    };
    let d = r.draw.as_ref();
    let (promise, public) = match d.map(|d| &d.promise) {
        Some(SeedPromise::Public { source, published_on }) => {
            (format!("以 {} 公布的“{source}”为随机种子", day(*published_on)), true)
        }
        Some(SeedPromise::Committed { commitment, reason }) => (
            format!(
                "保密随机种子，抽签前已登记其 SM3 承诺值 {commitment}{}",
                reason.as_ref().map(|r| format!("；理由：{r}")).unwrap_or_default()
            ),
            false,
        ),
        None => (String::new(), false),
    };
    let replacements = d
        .map(|d| {
            d.replacements
                .iter()
                .map(|x| {
                    format!(
                        "{} 于 {} 申请回避（{}），由 {} 递补",
                        label(&x.out),
                        day(x.on),
                        x.reason,
                        label(&x.replacement)
                    )
                })
                .collect()
        })
        .unwrap_or_default();
    let (verified, verification) = match &check {
        Some(c) if c.ok => (
            Some(true),
            format!(
                "验证通过：按记录的抽选范围和随机种子重新计算，抽中 {} 人，与记录的结果一致；随机种子与抽签前的承诺相符，抽选范围指纹未被改动。",
                c.recomputed.len()
            ),
        ),
        Some(c) => (
            Some(false),
            format!(
                "验证未通过：{}",
                c.problems.iter().map(|p| p.reason.clone()).collect::<Vec<_>>().join("；")
            ),
        ),
        None => (None, String::new()),
    };
    let yes = r.votes.values().filter(|v| v.agree).count();
    let tally = if r.votes.is_empty() {
        String::new()
    } else {
        let majority = match r.majority_agrees {
            Some(true) => "；多数同意拟处理意见",
            Some(false) => "；多数不同意拟处理意见",
            None => "",
        };
        format!("已表决 {} 人：同意 {yes} 票，不同意 {} 票{majority}", r.votes.len(), r.votes.len() - yes)
    };
    let (status, error) = split(error);
    let page = ReviewPage {
        chrome,
        id: r.id.to_string(),
        version: r.version,
        case_ref: r.case_ref.to_string(),
        kind: r.kind.zh(),
        by_supervisors: r.kind.by_supervisors(),
        status: r.status.zh(),
        code: r.status.code(),
        opened: day(r.opened_on),
        summary: r.summary.to_string(),
        replan: r.replan.as_ref().map(|rp| {
            rp.approval
                .as_ref()
                .map(|x| format!("{} 于 {} 批准：{}", x.by, day(x.on), x.reason))
                .unwrap_or_default()
        }),
        pool_fixed: pool.fixed,
        pool_size: pool.size,
        pool_more: pool.size.saturating_sub(pool_people.len()),
        pool: pool_people.iter().map(|c| c.label.clone()).collect(),
        recusable,
        recusals: r.recusals.iter().map(|(d, why)| (label(&d.to_string()), why.to_string())).collect(),
        replacements,
        promise,
        public,
        fingerprint: d.map(|d| d.fingerprint.clone()).unwrap_or_default(),
        seed_once,
        seed: d.and_then(|d| d.seed.clone()).unwrap_or_default(),
        public_value: d.and_then(|d| d.public_value.clone()).unwrap_or_default(),
        participants,
        unvoted,
        tally,
        chief: r.chief.as_ref().map(|(a, t)| [agreement(*a), t.as_str()].join("：")).unwrap_or_default(),
        committee: r
            .committee
            .as_ref()
            .map(|(a, t, _)| [agreement(*a), t.as_str()].join("："))
            .unwrap_or_default(),
        committee_explanation: r.committee.as_ref().map(|(_, _, x)| x.to_string()).unwrap_or_default(),
        escalation: r.escalation.as_ref().map(ToString::to_string).unwrap_or_default(),
        notified: r.notified.as_ref().map(|(on, t)| format!("{} 告知：{t}", day(*on))).unwrap_or_default(),
        default_count: if r.kind.by_supervisors() { 5 } else { 2 },
        verified,
        verification,
        manages: p.may(Action::ManageLiaison),
        approves: p.may(Action::ApproveLiaison),
        error,
    };
    render(status, &page)
}

/// `GET /reviews/{id}`.
pub(crate) async fn show(
    State(s): State<AppState>,
    Extension(cookies): Extension<Cookies>,
    headers: HeaderMap,
    Path(id): Path<String>,
) -> Response {
    let (session, _) = match staff(&s, cookies, &headers).await {
        Ok(x) => x,
        Err(r) => return r,
    };
    review_page(&s, Chrome::of(&session, AT), &session.principal, &id, None, None).await
}

/// The forms' fields in Chinese (`action`: which form, since `text` and `reason` mean one thing in each).
fn field_zh(action: &str) -> impl Fn(&str) -> &'static str + '_ {
    move |f| match (action, f) {
        (_, "deputy") => "人员",
        ("recuse", "reason") => "回避理由",
        (_, "reason") => "批准理由",
        (_, "count") => "抽选人数",
        (_, "public_source") => "公开数据来源",
        (_, "published_on") => "公布日期",
        (_, "secret_seed_reason") => "使用保密种子的理由",
        (_, "seed") => "随机种子",
        (_, "public_value") => "公布的公开数据",
        (_, "opinion") => "表决意见",
        ("notify", "text") => "告知内容",
        (_, "text") => "决定内容",
        (_, "explanation") => "说明理由",
        (_, "reference") => "报请上级院的文号",
        _ => "",
    }
}

/// Why the app refused, as the page says it; the core's sentences that name a deputy or a review by id are
/// said without it.
fn refusal(e: &AppError, action: &str) -> Option<Refusal> {
    let conflict = |m: &str| Some((StatusCode::CONFLICT, m.to_owned()));
    match e.rule_as::<ReviewError>() {
        Some(ReviewError::NotAParticipant(_)) => return conflict("所选人员不是本次评查的参加人员。"),
        Some(ReviewError::AlreadyVoted(_)) => {
            return conflict("所选人员已经表决，表决后不能回避或再次表决。");
        }
        Some(ReviewError::RecusedInPool(_)) => return conflict("已申请回避的人员不能列入抽选范围。"),
        Some(ReviewError::ReplanNotApproved(_)) => {
            return conflict(
                "本案此前的评查已固定抽选范围和随机种子；再次安排须经院领导批准并说明理由，批准前不能抽签。",
            );
        }
        _ => {}
    }
    refusal_of(
        e,
        FORBIDDEN,
        "这项评查刚被其他人修改过，页面已更新为最新内容，请核对后再操作。",
        field_zh(action),
    )
}

/// Agrees with the proposed handling: `yes` or `no` as the radio buttons send it.
fn agree(f: &Fields, field: &str) -> Option<bool> {
    match f.get(field) {
        "yes" => Some(true),
        "no" => Some(false),
        _ => None,
    }
}

/// `POST /reviews/{id}`: `recuse`, `approve_replan`, `prepare`, `draw`, `vote`, `chief`, `committee`,
/// `escalate` or `notify`, with the version the page was drawn from; the draw and the leader's decisions
/// after re-authentication.
pub(crate) async fn act(
    State(s): State<AppState>,
    Extension(cookies): Extension<Cookies>,
    headers: HeaderMap,
    Path(id): Path<String>,
    body: Bytes,
) -> Response {
    let f = Fields::parse(&body);
    let (session, _) = match staff_post(&s, cookies, &headers, f.get("csrf")).await {
        Ok(x) => x,
        Err(r) => return r,
    };
    let p = &session.principal;
    let back = format!("/reviews/{id}");
    let again = |error: Refusal| review_page(&s, Chrome::of(&session, AT), p, &id, None, Some(error));
    let Some(version) = f.version() else {
        return again(invalid("页面缺少评查的版本号，请刷新页面后再操作。")).await;
    };
    let some = |k: &str| Some(f.get(k).trim().to_owned()).filter(|v| !v.is_empty());
    let name = f.get("action").to_owned();
    // The irreversible steps, after proving a factor: the draw, and the recusals and votes that decide who
    // sits and what they said (the office records them from the signed papers); the leader's decisions, and
    // the approval of a re-planned draw (the one control on drawing a case again).
    let sensitive = match name.as_str() {
        "draw" | "recuse" | "vote" => Some(Action::ManageLiaison),
        "chief" | "committee" | "approve_replan" => Some(Action::ApproveLiaison),
        _ => None,
    };
    if let Some(needs) = sensitive {
        if !p.may(needs) {
            return again((StatusCode::FORBIDDEN, FORBIDDEN.to_owned())).await;
        }
        match s.app.require_recent_auth(&session) {
            Err(AppError::Login(LoginError::ReauthRequired)) => return reauth_to(&back),
            Err(e) => return crate::pages::failed(&e),
            Ok(()) => {}
        }
    }
    let choose = "请选择“同意”或“不同意”拟处理意见。";
    let action = match name.as_str() {
        "recuse" => {
            ReviewAction::Recuse { deputy: f.get("deputy").to_owned(), reason: f.get("reason").to_owned() }
        }
        "approve_replan" => ReviewAction::ApproveReplan { reason: f.get("reason").to_owned() },
        "prepare" => {
            let Ok(count) = f.get("count").trim().parse::<usize>() else {
                return again(invalid("抽选人数：请填写一个整数。")).await;
            };
            ReviewAction::Prepare {
                count,
                public_source: some("public_source"),
                published_on: some("published_on"),
                secret_seed_reason: some("secret_seed_reason"),
            }
        }
        "draw" => ReviewAction::Draw { seed: some("seed"), public_value: some("public_value") },
        "vote" => {
            let Some(agree) = agree(&f, "agree") else {
                return again(invalid(format!("表决：{choose}"))).await;
            };
            ReviewAction::Vote {
                deputy: f.get("deputy").to_owned(),
                agree,
                opinion: f.get("opinion").to_owned(),
            }
        }
        "chief" => {
            let Some(agree) = agree(&f, "agree") else {
                return again(invalid(format!("检察长的决定：{choose}"))).await;
            };
            ReviewAction::Chief { agree, text: f.get("text").to_owned() }
        }
        "committee" => {
            let Some(agree) = agree(&f, "agree") else {
                return again(invalid(format!("检察委员会的决定：{choose}"))).await;
            };
            ReviewAction::Committee {
                agree,
                text: f.get("text").to_owned(),
                explanation: f.get("explanation").to_owned(),
            }
        }
        "escalate" => ReviewAction::Escalate { reference: f.get("reference").to_owned() },
        "notify" => ReviewAction::Notify { text: f.get("text").to_owned() },
        _ => return again(invalid("不支持的操作。")).await,
    };
    match s.app.review_action(p, &id, Some(version), action).await {
        // The secret seed is shown once, on the page that answers fixing the pool.
        Ok(v) if v.seed.is_some() => review_page(&s, Chrome::of(&session, AT), p, &id, v.seed, None).await,
        Ok(_) => see_other(&back),
        Err(e) => match refusal(&e, &name) {
            Some(r) => again(r).await,
            None => crate::pages::failed(&e),
        },
    }
}
