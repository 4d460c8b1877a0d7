//! Published answers (R1b, "满意与否由全体代表共同评判"): what a deputy of the audience reads (the public text
//! only, the unnamed proposers unnamed), the body's ratings through the deputy's own account or a one-use
//! link, and the figures of each publication (reached, opened, rated, the distribution), kept apart from
//! the proposers' own evaluation.

use chrono::NaiveDate;
use liaison_core::Meta;
use liaison_core::access::{Action, Role};
use liaison_core::registry::LongText;
use liaison_core::suggestion::*;
use liaison_store::{LinkRecord, RecordQuery, WriteTx};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::refs::reader_of;
use crate::suggestion::{
    BODY_LINK, FeedbackForm, FeedbackLink, SUGGESTION, Shown, SuggestionView, find_suggestion, link_actor,
    parse_suggestion, run_command, view_in,
};
use crate::{App, AppError, Principal, record};

/// A published answer as a deputy of the audience sees it: never the withheld parts.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct PublicationView {
    /// The suggestion's id.
    #[schema(value_type = String, format = Uuid)]
    pub suggestion: uuid::Uuid,
    /// Its number.
    pub number: Option<String>,
    /// Title.
    pub title: String,
    /// The answer round published.
    pub round: u8,
    /// Answer class.
    pub class: String,
    /// Who it is published to.
    pub audience: String,
    /// The co-signers as shown (those who asked are unnamed).
    pub proposers: Vec<String>,
    /// The published text (confidential parts withheld).
    pub text: String,
    /// The co-handlers' opinions as published.
    pub co_opinions: Vec<String>,
    /// Published on.
    pub published_on: NaiveDate,
    /// The body may rate until.
    pub open_until: NaiveDate,
    /// The reader's own rating, if given (deputy accounts).
    pub your_rating: Option<String>,
    /// The reader is one of its evaluators (a proposer or on its panel): they rate the answer in their own
    /// round, on the suggestion's page, not as one of the body (deputy accounts).
    #[serde(default)]
    pub yours: bool,
    /// The figures (staff only).
    pub figures: Option<PublicationFigures>,
}

/// The figures of one publication: reach, views, ratings, both verdicts apart.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct PublicationFigures {
    /// Deputies on the register in the audience now (co-signers and panel excluded).
    pub audience: u32,
    /// Of those, how many opened it.
    pub viewed: u32,
    /// How many of the body rated.
    pub rated: u32,
    /// 满意.
    pub satisfied: u32,
    /// 基本满意.
    pub basically_satisfied: u32,
    /// 不满意.
    pub dissatisfied: u32,
    /// The co-signers' own verdict on that round, when decided (`satisfied`, `dissatisfied`, `lapsed`).
    pub proposers_verdict: Option<String>,
    /// The body's verdict under the policy, when it rated.
    pub body_verdict: Option<String>,
    /// Whether the body's verdict counts toward closure in this deployment.
    pub body_counts: bool,
}

fn verdict_code(v: Verdict) -> String {
    match v {
        Verdict::Satisfied => "satisfied".into(),
        Verdict::Dissatisfied => "dissatisfied".into(),
        Verdict::Lapsed => "lapsed".into(),
    }
}

fn publication_view(
    s: &Suggestion,
    p: &Publication,
    your: Option<&Rating>,
    figures: Option<PublicationFigures>,
) -> PublicationView {
    let class = s
        .rounds
        .iter()
        .find(|r| r.n == p.round)
        .and_then(|r| r.answer.as_ref())
        .map(|a| a.class.zh().to_owned())
        .unwrap_or_default();
    PublicationView {
        suggestion: s.id.0,
        number: s.number.map(|n| n.to_string()),
        title: s.title.to_string(),
        round: p.round,
        class,
        audience: p.audience.zh(),
        proposers: p.proposers_shown.clone(),
        text: p.text.clone(),
        co_opinions: p.co_opinions.clone(),
        published_on: p.on,
        open_until: p.open_until,
        your_rating: your.map(|r| r.rating.zh().to_owned()),
        yours: false,
        figures,
    }
}

/// The form a body link opens: the published text only.
pub(crate) fn body_form(
    link: &LinkRecord,
    s: &Suggestion,
    today: NaiveDate,
) -> Result<FeedbackForm, AppError> {
    let p = body_link_usable(link, s, today)?;
    let v = publication_view(s, p, None, None);
    Ok(FeedbackForm {
        number: v.number,
        title: v.title,
        deputy: String::new(),
        class: v.class,
        answer: v.text,
        answered_on: p.on,
        promised_on: None,
        co_opinions: v.co_opinions,
        expires_on: p.open_until,
        body: true,
    })
}

fn body_link_usable<'a>(
    link: &LinkRecord,
    s: &'a Suggestion,
    today: NaiveDate,
) -> Result<&'a Publication, AppError> {
    let gone =
        |code: &'static str, zh: &str, en: &str| AppError::BadFile { code, zh: zh.into(), en: en.into() };
    if link.used_at.is_some() {
        return Err(gone("feedback_link.used", "该反馈链接已使用过", "this feedback link was already used"));
    }
    let p = s
        .publication_of(u8::try_from(link.round).unwrap_or(0))
        .ok_or_else(|| AppError::NotFound { what: "feedback link", id: link.id.clone() })?;
    if today > p.open_until {
        return Err(gone("feedback_link.expired", "该反馈链接已过期", "this feedback link has expired"));
    }
    Ok(p)
}

/// A deputy of the body rates through a one-use link (the link is spent in the same transaction).
pub(crate) async fn rate_body_by_link(
    app: &App,
    link: LinkRecord,
    rating: Satisfaction,
    comment: Option<LongText>,
) -> Result<SuggestionView, AppError> {
    let meta = Meta { actor: link_actor(&link, ""), at: app.now(), reason: None };
    let tenant = link.tenant.clone();
    app.change_as(tenant.clone(), meta, move |run| {
        let (s, deputy) =
            crate::suggestion::spend_link(run, &link, |l, s, d| body_link_usable(l, s, d).map(drop))?;
        let reader = reader_of(run.q(), &tenant, deputy)?;
        let channel = RatingChannel::FeedbackLink { link: link.id.clone() };
        let command = SuggestionCommand::RateAsBody { reader, rating, comment, channel };
        let s = run_command(run, s, None, command)?;
        let shown = Shown::to_deputy(deputy, &s);
        view_in(run, s, shown)
    })
    .await
}

impl App {
    /// A published answer. A deputy account reads it if it is in the audience (or a co-signer), and the
    /// first reading is recorded as a view; staff also get the publication's figures.
    pub async fn publication(&self, p: &Principal, key: &str) -> Result<PublicationView, AppError> {
        p.require(Action::ReadSuggestions)?;
        let (tenant, key, p2) = (p.tenant.clone(), key.to_owned(), p.clone());
        let is_deputy = p.roles == [Role::Deputy];
        if !is_deputy {
            let (s, policy) = self.read_suggestion(&tenant, &key)?;
            let pubn = s.publications.last().ok_or(SuggestionError::NotPublished)?;
            let figures = self.publication_figures(&tenant, &s, pubn, &policy)?;
            return Ok(publication_view(&s, pubn, None, Some(figures)));
        }
        self.change(p, None, move |run| {
            let s = find_suggestion(run.q(), &tenant, &key)?;
            let own = p2.deputy.ok_or(AppError::Forbidden { action: "read_publication" })?;
            let reader = reader_of(run.q(), &tenant, own)?;
            let s = run_command(run, s, None, SuggestionCommand::View { reader }).map_err(|e| {
                match e.rule_as::<SuggestionError>() {
                    Some(SuggestionError::NotInAudience(_) | SuggestionError::NotPublished) => {
                        AppError::NotFound { what: "suggestion", id: key.clone() }
                    }
                    _ => e,
                }
            })?;
            let pubn = s.publications.last().ok_or(SuggestionError::NotPublished)?;
            let your = pubn
                .ratings
                .get(&own)
                .or_else(|| s.rounds.iter().find(|r| r.n == pubn.round).and_then(|r| r.ratings.get(&own)));
            Ok(publication_view(&s, pubn, your, None))
        })
        .await
    }

    fn publication_figures(
        &self,
        tenant: &liaison_core::ids::TenantId,
        s: &Suggestion,
        p: &Publication,
        policy: &SuggestionPolicy,
    ) -> Result<PublicationFigures, AppError> {
        let evaluators = s.evaluators();
        let audience = self
            .read(|q| q.current_deputy_refs(tenant))?
            .into_iter()
            .filter(|d| !evaluators.contains(&d.id))
            .filter(|d| {
                let region = liaison_core::registry::ShortText::parse(&d.region).ok();
                let delegation =
                    d.delegation.as_deref().and_then(|x| liaison_core::registry::ShortText::parse(x).ok());
                region.is_some_and(|r| p.audience.includes(d.level, &r, delegation.as_ref()))
            })
            .count() as u32;
        let (good, basic, bad) = p.distribution();
        let ratings: Vec<Satisfaction> = p.ratings.values().map(|r| r.rating).collect();
        let outcome = s.rounds.iter().find(|r| r.n == p.round).and_then(|r| r.outcome.as_ref());
        Ok(PublicationFigures {
            audience,
            viewed: p.viewed.iter().filter(|d| !evaluators.contains(d)).count() as u32,
            rated: good + basic + bad,
            satisfied: good,
            basically_satisfied: basic,
            dissatisfied: bad,
            proposers_verdict: outcome.map(|o| {
                if o.rated == 0 {
                    verdict_code(Verdict::Lapsed)
                } else {
                    let own: Vec<Satisfaction> = s
                        .rounds
                        .iter()
                        .find(|r| r.n == p.round)
                        .map(|r| r.ratings.values().map(|x| x.rating).collect())
                        .unwrap_or_default();
                    verdict_code(if policy.satisfaction.satisfied(&own) {
                        Verdict::Satisfied
                    } else {
                        Verdict::Dissatisfied
                    })
                }
            }),
            body_verdict: (!ratings.is_empty()).then(|| {
                verdict_code(if policy.satisfaction.satisfied(&ratings) {
                    Verdict::Satisfied
                } else {
                    Verdict::Dissatisfied
                })
            }),
            body_counts: policy.body_counts,
        })
    }

    /// Published answers: for a deputy account, those published to it (its own items included); for staff,
    /// all of them, newest publications last.
    pub fn publications(&self, p: &Principal) -> Result<Vec<PublicationView>, AppError> {
        p.require(Action::ReadSuggestions)?;
        let q = RecordQuery { tag: Some("published".into()), ..RecordQuery::default() };
        let rows = self.read(|s| s.records(&p.tenant, SUGGESTION, &q))?;
        let reader = match (p.roles == [Role::Deputy], p.deputy) {
            (true, Some(d)) => {
                let t = p.tenant.clone();
                let mut out = None;
                self.store.read(&mut |q| {
                    out = Some(reader_of(q, &t, d));
                    Ok(())
                })?;
                Some(out.unwrap_or(Err(AppError::NotFound { what: "deputy", id: d.to_string() }))?)
            }
            (true, None) => return Err(AppError::Forbidden { action: "read_publications" }),
            _ => None,
        };
        let mut out = Vec::new();
        for r in &rows {
            let s = parse_suggestion(r)?;
            let Some(pubn) = s.publications.last() else { continue };
            if let Some(rd) = &reader {
                let own = s.evaluators().contains(&rd.deputy);
                if !own && !pubn.audience.includes(rd.level, &rd.region, rd.delegation.as_ref()) {
                    continue;
                }
                let mut v = publication_view(&s, pubn, pubn.ratings.get(&rd.deputy), None);
                v.yours = own;
                out.push(v);
            } else {
                out.push(publication_view(&s, pubn, None, None));
            }
        }
        Ok(out)
    }

    /// Send each deputy of the latest publication's audience who has not rated it (co-signers and panel
    /// rate in their own evaluation) an invitation to judge it, through the outbox (R1b, issue 17 item 5):
    /// the delivery worker issues each deputy's one-use rating link as it sends by SMS or e-mail, into that
    /// deputy's message alone, so no one but the deputy ever sees it. The liaison office only; audited with
    /// who asked, when, why and the counts. Returns how many were queued, never a link.
    pub async fn send_body_links(
        &self,
        p: &Principal,
        key: &str,
        reason: Option<String>,
    ) -> Result<BodyLinksQueued, AppError> {
        p.require(Action::IssueLinks)?;
        let key = key.to_owned();
        self.change(p, reason, move |run| {
            let tenant = run.tenant().clone();
            let s = find_suggestion(run.q(), &tenant, &key)?;
            let pubn = s.publications.last().ok_or(SuggestionError::NotPublished)?;
            if run.today() > pubn.open_until {
                return Err(SuggestionError::PublicationClosed(pubn.open_until).into());
            }
            let params = serde_json::json!({
                "number": s.number.as_ref().map(ToString::to_string).unwrap_or_default(),
                "title": s.title.as_str(), "round": pubn.round, "open_until": pubn.open_until,
            });
            let (id, stage) =
                (s.id.to_string(), format!("body:r{}:{}", pubn.round, run.meta().at.timestamp_micros()));
            let mut out = BodyLinksQueued::default();
            for d in body_audience(run.q(), &tenant, &s, pubn)? {
                out.audience += 1;
                let m = crate::outgoing::Queued {
                    kind: liaison_core::message::MessageKind::BodyRating,
                    recipient: liaison_core::message::Recipient::Deputy(d),
                    params: params.clone(),
                };
                let reach = run.queue_reaching(("suggestion", &id), &stage, m)?;
                out.queued += u32::from(reach.any);
                match reach.outside {
                    Some(liaison_core::message::MessageChannel::Sms) => out.sms += 1,
                    Some(liaison_core::message::MessageChannel::Email) => out.email += 1,
                    _ if reach.any => out.inbox_only += 1,
                    _ => {}
                }
            }
            let payload = serde_json::json!({ "round": pubn.round, "counts": out });
            let r = record(run.meta(), "suggestion.body_links_queued", SUGGESTION, id, payload);
            run.tx().append(&tenant, r)?;
            Ok(out)
        })
        .await
    }

    /// The worker's one-use rating link for a deputy of a publication's audience (issue 17 item 5): issued
    /// as it sends, replacing the deputy's earlier unused ones, audited by its id alone
    /// (`suggestion.body_link_sent`). `None` when the deputy has nothing to rate (rated already, no longer
    /// in the audience, or the publication is closed).
    pub(crate) async fn body_link_for_message(
        &self,
        tenant: &liaison_core::ids::TenantId,
        suggestion: &str,
        deputy: liaison_core::ids::DeputyId,
        message: &str,
    ) -> Result<Option<String>, AppError> {
        let meta = crate::delivery::worker_meta(self.now(), None);
        let (tenant, key, message) = (tenant.clone(), suggestion.to_owned(), message.to_owned());
        self.write(move |tx: &mut dyn WriteTx| {
            let s = find_suggestion(tx, &tenant, &key)?;
            let Some(pubn) = s.publications.last() else { return Ok(None) };
            if meta.today() > pubn.open_until || !body_audience(tx, &tenant, &s, pubn)?.contains(&deputy) {
                return Ok(None);
            }
            let revoked =
                tx.revoke_deputy_links(&tenant, BODY_LINK, &s.id.to_string(), &deputy.to_string())?;
            let id = liaison_store::crypto::random_hex(8)?;
            let token = format!("{id}.{}", liaison_store::crypto::random_hex(24)?);
            let link = LinkRecord {
                id: id.clone(),
                tenant: tenant.clone(),
                kind: BODY_LINK.into(),
                record_id: s.id.to_string(),
                deputy_id: deputy.to_string(),
                round: u32::from(pubn.round),
                created_at: meta.at,
                expires_on: pubn.open_until.to_string(),
                used_at: None,
            };
            tx.insert_link(&link, &liaison_store::crypto::token_hash(&token))?;
            let payload = serde_json::json!({
                "round": pubn.round, "deputy": deputy.0, "link": id, "message": message, "revoked": revoked,
            });
            tx.append(
                &tenant,
                record(&meta, "suggestion.body_link_sent", SUGGESTION, s.id.to_string(), payload),
            )?;
            Ok(Some(format!("/feedback/{token}")))
        })
        .await
    }

    /// Test support only (no command, route or page calls it): issue the body's one-use links and return
    /// their secrets, as the interfaces did before issue 17 item 5. Tests of the rating page that do not run
    /// the delivery worker use it; staff reach these links only through
    /// [`send_body_links`](App::send_body_links), which never shows them.
    #[doc(hidden)]
    pub async fn issue_body_links_for_tests(
        &self,
        p: &Principal,
        key: &str,
    ) -> Result<Vec<FeedbackLink>, AppError> {
        p.require(Action::IssueLinks)?;
        let meta = self.meta(p, None);
        let (tenant, key) = (p.tenant.clone(), key.to_owned());
        self.write(move |tx: &mut dyn WriteTx| {
            let s = find_suggestion(tx, &tenant, &key)?;
            let pubn = s.publications.last().ok_or(SuggestionError::NotPublished)?;
            let mut out = Vec::new();
            let names: std::collections::BTreeMap<_, _> =
                tx.current_deputy_refs(&tenant)?.into_iter().map(|d| (d.id, d.name)).collect();
            for d in body_audience(tx, &tenant, &s, pubn)? {
                tx.revoke_deputy_links(&tenant, BODY_LINK, &s.id.to_string(), &d.to_string())?;
                let id = liaison_store::crypto::random_hex(8)?;
                let token = format!("{id}.{}", liaison_store::crypto::random_hex(24)?);
                let link = LinkRecord {
                    id,
                    tenant: tenant.clone(),
                    kind: BODY_LINK.into(),
                    record_id: s.id.to_string(),
                    deputy_id: d.to_string(),
                    round: u32::from(pubn.round),
                    created_at: meta.at,
                    expires_on: pubn.open_until.to_string(),
                    used_at: None,
                };
                tx.insert_link(&link, &liaison_store::crypto::token_hash(&token))?;
                out.push(FeedbackLink {
                    deputy: d.0,
                    name: names.get(&d).cloned().unwrap_or_default(),
                    path: format!("/feedback/{token}"),
                    expires_on: pubn.open_until,
                });
            }
            let payload = serde_json::json!({ "round": pubn.round, "links": out.len() });
            tx.append(
                &tenant,
                record(&meta, "suggestion.body_links_issued", SUGGESTION, s.id.to_string(), payload),
            )?;
            Ok(out)
        })
        .await
    }
}

/// How many deputies of a publication's audience an invitation to judge it was queued for, and how.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct BodyLinksQueued {
    /// Deputies of the audience on the register now who have not rated (co-signers and panel excluded).
    pub audience: u32,
    /// Of those, how many got a new message.
    pub queued: u32,
    /// By SMS (with the deputy's own link, added as it is sent).
    pub sms: u32,
    /// By e-mail (likewise).
    pub email: u32,
    /// In the inbox only (no number or address on file, or the deputy prefers the inbox): the deputy rates
    /// through the publication in the deputy's own account.
    pub inbox_only: u32,
}

/// The deputies of the register now in the publication's audience who have not rated it, co-signers and
/// panel excluded (they rate in their own evaluation).
fn body_audience(
    q: &dyn liaison_store::Queries,
    tenant: &liaison_core::ids::TenantId,
    s: &Suggestion,
    pubn: &Publication,
) -> Result<Vec<liaison_core::ids::DeputyId>, AppError> {
    let evaluators = s.evaluators();
    let mut out = Vec::new();
    for d in q.current_deputy_refs(tenant)? {
        if evaluators.contains(&d.id) || pubn.ratings.contains_key(&d.id) {
            continue;
        }
        let region = liaison_core::registry::ShortText::parse(&d.region)
            .map_err(|e| AppError::invalid("region", &e))?;
        let delegation =
            d.delegation.as_deref().and_then(|x| liaison_core::registry::ShortText::parse(x).ok());
        if pubn.audience.includes(d.level, &region, delegation.as_ref()) {
            out.push(d.id);
        }
    }
    Ok(out)
}
