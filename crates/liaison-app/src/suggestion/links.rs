//! One-use feedback links: issued to the evaluators of an answer, each rating once.

use super::*;

impl App {
    /// Send each evaluator who has not rated the current answer their own rating link again (issue 17):
    /// the answer message is queued anew for each, and the delivery worker issues the link as it sends
    /// (revoking the deputy's earlier unused ones), so no one but the deputy ever sees it. The liaison office
    /// only; recorded with who asked, when and why. Returns who it was queued for and on which channels,
    /// never a link.
    pub async fn resend_feedback_links(
        &self,
        p: &Principal,
        key: &str,
        reason: Option<String>,
    ) -> Result<Vec<FeedbackResend>, AppError> {
        p.require(Action::IssueLinks)?;
        let key = key.to_owned();
        self.change(p, reason, move |run| {
            let tenant = run.tenant().clone();
            let s = find_suggestion(run.q(), &tenant, &key)?;
            let round = s.round().filter(|_| s.status == SuggestionStatus::Answered);
            let Some(round) = round else {
                return Err(SuggestionError::IllegalTransition { status: s.status, command: "rate" }.into());
            };
            let Some(answer) = round.answer.as_ref() else {
                return Err(SuggestionError::IllegalTransition { status: s.status, command: "rate" }.into());
            };
            let params = serde_json::json!({
                "number": s.number.as_ref().map(ToString::to_string).unwrap_or_default(),
                "title": s.title.as_str(), "class": answer.class.code(), "class_zh": answer.class.zh(),
                "round": round.n, "feedback_due": answer.feedback_due,
            });
            let (id, stage) = (s.id.to_string(), format!("resend:{}", run.meta().at.timestamp_micros()));
            let mut out = Vec::new();
            for signer in
                s.proposers.iter().chain(&s.panel).filter(|x| !round.ratings.contains_key(&x.deputy))
            {
                let m = crate::outgoing::Queued {
                    kind: liaison_core::message::MessageKind::Answered,
                    recipient: liaison_core::message::Recipient::Deputy(signer.deputy),
                    params: params.clone(),
                };
                let queued = run.queue_everywhere(("suggestion", &id), &stage, m)?;
                out.push(FeedbackResend { deputy: signer.deputy.0, name: signer.name.to_string(), queued });
            }
            let to: Vec<_> =
                out.iter().map(|r| serde_json::json!({ "deputy": r.deputy, "queued": r.queued })).collect();
            let r = record(
                run.meta(),
                "suggestion.feedback_links_resent",
                SUGGESTION,
                id.clone(),
                serde_json::json!({ "round": round.n, "to": to }),
            );
            run.tx().append(&tenant, r)?;
            Ok(out)
        })
        .await
    }

    /// Test support only (no command, route or page calls it): issue one-use feedback links for the current
    /// answer and return their secrets, as the interfaces did before issue 17. Tests that exercise the
    /// rating page without running the delivery worker use it; staff reach deputies' links only through
    /// [`resend_feedback_links`](App::resend_feedback_links), which never shows them.
    #[doc(hidden)]
    pub async fn issue_feedback_links_for_tests(
        &self,
        p: &Principal,
        key: &str,
    ) -> Result<Vec<FeedbackLink>, AppError> {
        p.require(Action::IssueLinks)?;
        let meta = self.meta(p, None);
        let (tenant, key) = (p.tenant.clone(), key.to_owned());
        self.write(move |tx: &mut dyn WriteTx| {
            let s = find_suggestion(tx, &tenant, &key)?;
            let round = s.round().filter(|_| s.status == SuggestionStatus::Answered);
            let Some(round) = round else {
                return Err(SuggestionError::IllegalTransition { status: s.status, command: "rate" }.into());
            };
            let expires_on = round.answer.as_ref().map_or(meta.today(), |a| a.feedback_due);
            let (mut out, mut revoked) = (Vec::new(), Vec::new());
            for signer in s.proposers.iter().chain(&s.panel).filter(|x| !round.ratings.contains_key(&x.deputy)) {
                let (_, token) = new_link(tx, &tenant, &s, signer.deputy, expires_on, meta.at, &mut revoked)?;
                out.push(FeedbackLink { deputy: signer.deputy.0, name: signer.name.to_string(), path: format!("/feedback/{token}"), expires_on });
            }
            let issued: Vec<_> = out.iter().map(|l| serde_json::json!({ "deputy": l.deputy, "link": l.path.split('/').next_back().and_then(|t| t.split('.').next()) })).collect();
            tx.append(&tenant, record(&meta, "suggestion.feedback_links_issued", SUGGESTION, s.id.to_string(), serde_json::json!({ "round": round.n, "links": issued, "revoked": revoked })))?;
            Ok(out)
        })
        .await
    }

    /// The worker's one-use feedback link for the deputy a message is for (issue 17): issued as it sends,
    /// so it exists only in the message that reaches the deputy (never a staff list, log or screen); it
    /// replaces the deputy's earlier unused ones, and is audited by its id alone. `None` when the deputy
    /// has nothing left to rate (rated already, or the answer is no longer open for feedback).
    pub(crate) async fn link_for_message(
        &self,
        tenant: &TenantId,
        suggestion: &str,
        deputy: DeputyId,
        message: &str,
    ) -> Result<Option<String>, AppError> {
        let meta = crate::delivery::worker_meta(self.now(), None);
        let (tenant, key, message) = (tenant.clone(), suggestion.to_owned(), message.to_owned());
        self.write(move |tx: &mut dyn WriteTx| {
            let s = find_suggestion(tx, &tenant, &key)?;
            let Some(round) = s.round().filter(|_| s.status == SuggestionStatus::Answered) else { return Ok(None) };
            let evaluator = s.proposers.iter().chain(&s.panel).any(|x| x.deputy == deputy);
            if !evaluator || round.ratings.contains_key(&deputy) {
                return Ok(None);
            }
            let expires_on = round.answer.as_ref().map_or(meta.today(), |a| a.feedback_due);
            let mut revoked = Vec::new();
            let (id, token) = new_link(tx, &tenant, &s, deputy, expires_on, meta.at, &mut revoked)?;
            let payload = serde_json::json!({ "round": round.n, "deputy": deputy.0, "link": id, "message": message, "revoked": revoked });
            tx.append(&tenant, record(&meta, "suggestion.feedback_link_sent", SUGGESTION, s.id.to_string(), payload))?;
            Ok(Some(format!("/feedback/{token}")))
        })
        .await
    }

    pub(crate) fn link(&self, token: &str) -> Result<(LinkRecord, Suggestion), AppError> {
        let token = token.trim();
        if token.len() > 80 || !token.contains('.') {
            return Err(AppError::NotFound { what: "feedback link", id: String::new() });
        }
        let hash = liaison_store::crypto::token_hash(token);
        // A notice's acknowledgement link is not a rating link.
        let link = self
            .read(|q| q.link_by_hash(&hash))?
            .filter(|l| l.kind == SUGGESTION || l.kind == BODY_LINK)
            .ok_or_else(|| AppError::NotFound { what: "feedback link", id: String::new() })?;
        let (s, _) = self.read_suggestion(&link.tenant, &link.record_id)?;
        Ok((link, s))
    }

    /// What the feedback page shows for a link (no login: the link is the credential, for one deputy and
    /// one answer round).
    pub fn feedback_form(&self, token: &str) -> Result<FeedbackForm, AppError> {
        let (link, s) = self.link(token)?;
        let today = liaison_core::dates::china_date(self.now());
        if link.kind == BODY_LINK {
            return crate::publication::body_form(&link, &s, today);
        }
        link_usable(&link, &s, today)?;
        let round = s.round().ok_or(AppError::NotFound { what: "feedback link", id: link.id.clone() })?;
        let a =
            round.answer.as_ref().ok_or(AppError::NotFound { what: "feedback link", id: link.id.clone() })?;
        let name = evaluator_name(&s, &link);
        // A panel member is not a proposer: the public text only (issue 12).
        let text = if s.proposers.iter().any(|x| x.deputy.to_string() == link.deputy_id) {
            full_text
        } else {
            liaison_core::suggestion::public_text
        };
        Ok(FeedbackForm {
            number: s.number.map(|n| n.to_string()),
            title: s.title.to_string(),
            deputy: name,
            class: a.class.zh().into(),
            answer: text(a.text.as_str()),
            answered_on: a.on,
            promised_on: a.promised_on,
            co_opinions: a
                .co_opinions
                .iter()
                .map(|c| {
                    format!(
                        "{}：{}",
                        c.department.name,
                        c.opinion.as_ref().map_or("（逾期未提交）".to_owned(), |o| text(o.as_str()))
                    )
                })
                .collect(),
            expires_on: NaiveDate::parse_from_str(&link.expires_on, "%Y-%m-%d").unwrap_or(a.feedback_due),
            body: false,
        })
    }

    /// A deputy rates through a one-use link. The link is spent in the same transaction.
    pub async fn rate_by_link(
        &self,
        token: &str,
        rating: &str,
        comment: Option<&str>,
    ) -> Result<SuggestionView, AppError> {
        let (link, s) = self.link(token)?;
        let rating = word("rating", rating, Satisfaction::parse)?;
        let comment = comment.filter(|c| !c.trim().is_empty()).map(|c| long("comment", c)).transpose()?;
        if link.kind == BODY_LINK {
            return crate::publication::rate_body_by_link(self, link, rating, comment).await;
        }
        let name = evaluator_name(&s, &link);
        let meta = Meta { actor: link_actor(&link, &name), at: self.now(), reason: None };
        let tenant = link.tenant.clone();
        self.change_as(tenant.clone(), meta, move |run| {
            let (s, deputy) = spend_link(run, &link, link_usable)?;
            let channel = RatingChannel::FeedbackLink { link: link.id.clone() };
            let s = run_command(run, s, None, SuggestionCommand::Rate { deputy, rating, comment, channel })?;
            let shown = Shown::to_deputy(deputy, &s);
            view_in(run, s, shown)
        })
        .await
    }
}

/// Issue a one-use link of the current round of `s` for `deputy` in the caller's transaction, revoking the
/// deputy's earlier unused ones (added to `revoked`): its id and its token (the secret, never stored).
fn new_link(
    tx: &mut dyn WriteTx,
    tenant: &TenantId,
    s: &Suggestion,
    deputy: DeputyId,
    expires_on: NaiveDate,
    at: chrono::DateTime<chrono::Utc>,
    revoked: &mut Vec<String>,
) -> Result<(String, String), AppError> {
    // A new link replaces the deputy's earlier unused ones: only the latest works.
    revoked.extend(tx.revoke_deputy_links(tenant, SUGGESTION, &s.id.to_string(), &deputy.to_string())?);
    let id = liaison_store::crypto::random_hex(8)?;
    let secret = liaison_store::crypto::random_hex(24)?;
    let token = format!("{id}.{secret}");
    let link = LinkRecord {
        id: id.clone(),
        tenant: tenant.clone(),
        kind: SUGGESTION.into(),
        record_id: s.id.to_string(),
        deputy_id: deputy.to_string(),
        round: s.round().map_or(0, |r| u32::from(r.n)),
        created_at: at,
        expires_on: expires_on.to_string(),
        used_at: None,
    };
    tx.insert_link(&link, &liaison_store::crypto::token_hash(&token))?;
    Ok((id, token))
}

/// The name of the co-signer or panel member a link was issued to.
fn evaluator_name(s: &Suggestion, link: &LinkRecord) -> String {
    s.proposers
        .iter()
        .chain(&s.panel)
        .find(|x| x.deputy.to_string() == link.deputy_id)
        .map(|x| x.name.to_string())
        .unwrap_or_default()
}

/// Spend a one-use link in the caller's transaction, once it is usable (`usable`: a rating link's or a
/// body link's rule): its suggestion and its deputy.
pub(crate) fn spend_link(
    run: &mut Runner<'_>,
    link: &LinkRecord,
    usable: fn(&LinkRecord, &Suggestion, NaiveDate) -> Result<(), AppError>,
) -> Result<(Suggestion, DeputyId), AppError> {
    let tenant = link.tenant.clone();
    let s = find_suggestion(run.q(), &tenant, &link.record_id)?;
    let (today, at) = (run.today(), run.meta().at);
    usable(link, &s, today)?;
    if !run.tx().use_link(&tenant, &link.id, at)? {
        return Err(AppError::BadFile {
            code: "feedback_link.used",
            zh: "该反馈链接已使用过".into(),
            en: "this feedback link was already used".into(),
        });
    }
    Ok((s, deputy_id("deputy", &link.deputy_id)?))
}

pub(crate) fn link_usable(link: &LinkRecord, s: &Suggestion, today: NaiveDate) -> Result<(), AppError> {
    let gone = |code: &'static str, zh: &str, en: &str| {
        Err(AppError::BadFile { code, zh: zh.into(), en: en.into() })
    };
    if link.used_at.is_some() {
        return gone("feedback_link.used", "该反馈链接已使用过", "this feedback link was already used");
    }
    if NaiveDate::parse_from_str(&link.expires_on, "%Y-%m-%d").is_ok_and(|d| today > d) {
        return gone("feedback_link.expired", "该反馈链接已过期", "this feedback link has expired");
    }
    let current =
        s.status == SuggestionStatus::Answered && s.round().is_some_and(|r| u32::from(r.n) == link.round);
    if !current {
        return gone(
            "feedback_link.stale",
            "该答复已不在征询意见阶段",
            "this answer is no longer open for feedback",
        );
    }
    Ok(())
}

pub(crate) fn link_actor(link: &LinkRecord, name: &str) -> Actor {
    Actor {
        user: UserId(uuid::Uuid::nil()),
        name: format!("代表{name}（反馈链接 {}）", link.id),
        via: Some(format!("link:{}", link.id)),
    }
}
