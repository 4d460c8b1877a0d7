//! Reviews of major cases (R4) with the verifiable lottery: the pool of eligible deputies (people's
//! supervisors for supervisor reviews; every deputy in office for a committee observation), recused ones
//! out; a seed made here, its SM3 commitment and the pool's SM3 fingerprint recorded before the draw; the
//! seed revealed at the draw; and `verify_draw`, which reproduces a past draw from the record alone.

use liaison_core::access::Action;
use liaison_core::ids::DeputyId;
use liaison_core::lottery;
use liaison_core::registry::{LongText, ShortText, SpecialRole};
use liaison_core::review::*;
use liaison_store::RecordQuery;
use liaison_store::crypto::sm3_hex;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::draw::DrawVerification;
use crate::input::{Fields, deputy_id, long, short};
use crate::runner::{Columns, RowEnv, Stored, json_err};
use crate::{App, AppError, Principal};

const KIND: &str = "review";

/// A new review.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ReviewInput {
    /// The case's reference.
    pub case_ref: String,
    /// proposed_withdrawal, proposed_non_prosecution, arrest_objection, filing, overdue_detention,
    /// unlawful_seizure, compensation, misconduct, public_hearing, committee_observation (or the Chinese).
    pub kind: String,
    /// A summary (no more than the review needs).
    pub summary: String,
}

/// A command on a review.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(tag = "action", rename_all = "snake_case", deny_unknown_fields)]
pub enum ReviewAction {
    /// A deputy's declared relation to the parties or the case: before the draw the deputy is out of the
    /// pool; after it, a participant who has not voted is replaced by the next one the same stream draws.
    Recuse {
        /// Deputy.
        deputy: String,
        /// The relation.
        reason: String,
    },
    /// Fix the pool and commit to a fresh seed (shown once in the answer: keep it until the draw), or
    /// name a public value published after today that will make the seed.
    Prepare {
        /// How many to draw (3 or more for a supervisor review).
        count: usize,
        /// The public value to seed the draw (with `published_on`), instead of a secret seed.
        #[serde(default)]
        public_source: Option<String>,
        /// The day the public value is published (after today).
        #[serde(default)]
        published_on: Option<String>,
        /// Only instead of a public value: why a secret seed (recorded and published with the draw).
        #[serde(default)]
        secret_seed_reason: Option<String>,
    },
    /// A leader approves planning the case's review again after an earlier review's draw was committed.
    ApproveReplan {
        /// Why.
        reason: String,
    },
    /// Reveal the seed (or give the public value as published) and draw.
    Draw {
        /// The seed (64 hex digits) given at `prepare`.
        #[serde(default)]
        seed: Option<String>,
        /// The public value named at `prepare`, as published.
        #[serde(default)]
        public_value: Option<String>,
    },
    /// A participant's vote.
    Vote {
        /// Deputy.
        deputy: String,
        /// Agrees with the proposed handling.
        agree: bool,
        /// The opinion.
        opinion: String,
    },
    /// The chief procurator's decision (a leader records it).
    Chief {
        /// Agrees with the proposed handling.
        agree: bool,
        /// The decision.
        text: String,
    },
    /// The procuratorial committee's decision and explanation (a leader records it).
    Committee {
        /// Agrees with the proposed handling.
        agree: bool,
        /// The decision.
        text: String,
        /// The explanation.
        explanation: String,
    },
    /// The escalation to the higher procuratorate.
    Escalate {
        /// Its reference.
        reference: String,
    },
    /// Tell the participants the final result.
    Notify {
        /// What they are told.
        text: String,
    },
}

/// A review, and the seed when `prepare` just made it (shown once).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct ReviewView {
    /// The review.
    pub review: Review,
    /// The seed to reveal at the draw (only in the answer to `prepare`).
    pub seed: Option<String>,
    /// The participants, those recused and those replaced, as shown (name, level, region), by id.
    #[serde(default, skip_serializing_if = "std::collections::BTreeMap::is_empty")]
    pub people: crate::People,
}

impl Stored for Review {
    fn key(&self) -> String {
        self.id.to_string()
    }
    fn columns(&self, _: &RowEnv<'_>) -> Result<Columns, AppError> {
        Ok(Columns {
            deputies: self.participants.iter().map(ToString::to_string).collect(),
            ..Columns::new(self.status.code(), self.opened_on)
        })
    }
}

/// Verify a recorded draw from the record alone.
pub(crate) fn verify(r: &Review) -> DrawVerification {
    crate::draw::verify(r.draw.as_ref())
}

/// Who the review's draw may choose today: every deputy in office (for a review by people's supervisors,
/// those the register marks as people's supervisors), the recused left out.
fn eligible(
    q: &dyn liaison_store::Queries,
    tenant: &liaison_core::ids::TenantId,
    r: &Review,
) -> Result<Vec<DeputyId>, AppError> {
    let supervisors = r.kind.by_supervisors();
    let mut pool: Vec<DeputyId> = Vec::new();
    for d in q.current_deputy_refs(tenant)? {
        if r.recusals.contains_key(&d.id) {
            continue;
        }
        if supervisors {
            let Some(full) = q.deputy_summary(tenant, d.id)? else { continue };
            let dep: liaison_core::registry::Deputy = serde_json::from_str(&full.data).map_err(json_err)?;
            if !dep.special_roles().contains(&SpecialRole::PeoplesSupervisor) {
                continue;
            }
        }
        pool.push(d.id);
    }
    Ok(pool)
}

/// A review's pool as shown: how many deputies it holds, and the first of them by name, level and region.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReviewPool {
    /// Fixed with the seed's commitment (the recorded pool), or who is eligible today (not yet fixed).
    pub fixed: bool,
    /// How many deputies it holds.
    pub size: usize,
    /// The first `shown` of them (in the pool's order), as shown.
    pub people: crate::People,
}

/// Another review of the same case (compared by [`Review::case_key`]) whose draw was committed.
fn earlier_committed(
    tx: &dyn liaison_store::Queries,
    tenant: &liaison_core::ids::TenantId,
    r: &Review,
) -> Result<Option<String>, AppError> {
    let key = Review::case_key(r.case_ref.as_str());
    Ok(tx
        .records(tenant, KIND, &RecordQuery::default())?
        .into_iter()
        .filter(|row| row.id != r.id.to_string())
        .filter_map(|row| serde_json::from_str::<Review>(&row.data).ok())
        .find(|x| Review::case_key(x.case_ref.as_str()) == key && x.draw.is_some())
        .map(|x| x.id.to_string()))
}

impl App {
    /// Register a review of a major case.
    pub async fn register_review(&self, p: &Principal, input: &ReviewInput) -> Result<ReviewView, AppError> {
        p.require(Action::ManageLiaison)?;
        let mut f = Fields::default();
        let case_ref = f.take("case_ref", ShortText::parse(&input.case_ref));
        let kind = f.take("kind", ReviewKind::parse(&input.kind));
        let summary = f.take("summary", LongText::parse(&input.summary));
        f.done()?;
        let (Some(case_ref), Some(kind), Some(summary)) = (case_ref, kind, summary) else {
            return Err(AppError::Invalid(vec![]));
        };
        let tenant = p.tenant.clone();
        self.change(p, None, move |run| {
            // An earlier review of the same case whose draw was committed: this one plans it again and
            // waits for a leader's approval before its draw (issue 11, item 4).
            let key = Review::case_key(case_ref.as_str());
            let replans = run
                .q()
                .records(&tenant, KIND, &RecordQuery::default())?
                .into_iter()
                .filter_map(|row| serde_json::from_str::<Review>(&row.data).ok())
                .find(|x| Review::case_key(x.case_ref.as_str()) == key && x.draw.is_some())
                .map(|x| x.id.to_string());
            let id = liaison_core::ids::ReviewId(crate::new_id());
            let on = run.today();
            let r = run.create(id, RegisterReview { case_ref, kind, summary, on, replans }, ())?;
            Ok(ReviewView { review: r, seed: None, people: crate::People::new() })
        })
        .await
    }

    /// Run a command on a review.
    pub async fn review_action(
        &self,
        p: &Principal,
        id: &str,
        expected: Option<u64>,
        action: ReviewAction,
    ) -> Result<ReviewView, AppError> {
        match action {
            ReviewAction::Chief { .. }
            | ReviewAction::Committee { .. }
            | ReviewAction::ApproveReplan { .. } => p.require(Action::ApproveLiaison)?,
            _ => p.require(Action::ManageLiaison)?,
        }
        let by = p.name.clone();
        let (tenant, id) = (p.tenant.clone(), id.trim().to_owned());
        let v = self
            .change(p, None, move |run| {
                let r: Review = run.load_seen(&id, expected)?;
                let mut shown_seed = None;
                let command = match action {
                    ReviewAction::Recuse { deputy, reason } => {
                        let d = deputy_id("deputy", &deputy)?;
                        run.q()
                            .deputy_summary(&tenant, d)?
                            .ok_or_else(|| AppError::NotFound { what: "deputy", id: d.to_string() })?;
                        let reason = long("reason", &reason)?;
                        if r.status == ReviewStatus::Drawn {
                            ReviewCommand::RecuseAfterDraw { deputy: d, reason }
                        } else {
                            ReviewCommand::DeclareRecusal { deputy: d, reason }
                        }
                    }
                    ReviewAction::ApproveReplan { reason } => ReviewCommand::ApproveReplan {
                        by: by.clone(),
                        reason: long("reason", &reason)?,
                        earlier: earlier_committed(run.q(), &tenant, &r)?,
                    },
                    ReviewAction::Prepare { count, public_source, published_on, secret_seed_reason } => {
                        let pool = eligible(run.q(), &tenant, &r)?;
                        // A fresh seed from the operating system (never stored: only its commitment is),
                        // unless a public value is named.
                        let (promise, seed) = crate::draw::promise(
                            public_source.as_deref(),
                            published_on.as_deref(),
                            secret_seed_reason.as_deref(),
                        )?;
                        let mut candidates: Vec<String> = pool.iter().map(ToString::to_string).collect();
                        candidates.sort();
                        let strata = vec![lottery::Stratum { name: "all".into(), candidates, quota: count }];
                        let pool_fixed = lottery::Pool::plain(strata).for_matter(r.matter());
                        let fingerprint = sm3_hex(lottery::canonical_v2(&pool_fixed, &promise).as_bytes());
                        shown_seed = seed;
                        let earlier = earlier_committed(run.q(), &tenant, &r)?;
                        ReviewCommand::Commit { pool, count, fingerprint, promise, earlier }
                    }
                    ReviewAction::Draw { seed, public_value } => {
                        let (seed, reveal) = crate::draw::reveal(seed.as_deref(), public_value.as_deref())?;
                        ReviewCommand::Draw { seed, reveal }
                    }
                    ReviewAction::Vote { deputy, agree, opinion } => ReviewCommand::Vote {
                        deputy: deputy_id("deputy", &deputy)?,
                        vote: Vote { agree, opinion: long("opinion", &opinion)? },
                    },
                    ReviewAction::Chief { agree, text } => {
                        ReviewCommand::ChiefDecide { agree, text: long("text", &text)? }
                    }
                    ReviewAction::Committee { agree, text, explanation } => ReviewCommand::CommitteeDecide {
                        agree,
                        text: long("text", &text)?,
                        explanation: long("explanation", &explanation)?,
                    },
                    ReviewAction::Escalate { reference } => {
                        ReviewCommand::Escalate { reference: short("reference", &reference)? }
                    }
                    ReviewAction::Notify { text } => ReviewCommand::Notify { text: long("text", &text)? },
                };
                let today = run.today();
                let r = run.execute(r, None, command, today)?;
                Ok(ReviewView { review: r, seed: shown_seed, people: crate::People::new() })
            })
            .await?;
        let mut v = v;
        let mut ids: Vec<DeputyId> = v.review.participants.clone();
        ids.extend(v.review.recusals.keys().copied());
        v.people = self.people(p, ids)?;
        Ok(v)
    }

    /// One review.
    pub fn review(&self, p: &Principal, id: &str) -> Result<Review, AppError> {
        p.require(Action::ReadCoverage)?;
        let r = self
            .read(|q| q.record(&p.tenant, KIND, id.trim()))?
            .ok_or_else(|| AppError::NotFound { what: "review", id: id.into() })?;
        serde_json::from_str(&r.data).map_err(json_err)
    }

    /// One review as shown: the record and its people by name, level and region.
    pub fn review_view(&self, p: &Principal, id: &str) -> Result<ReviewView, AppError> {
        let r = self.review(p, id)?;
        let mut ids: Vec<DeputyId> = r.participants.clone();
        ids.extend(r.recusals.keys().copied());
        ids.extend(r.draw.iter().flat_map(|d| &d.drawn).filter_map(|s| DeputyId::parse(s).ok()));
        let people = self.people(p, ids)?;
        Ok(ReviewView { review: r, seed: None, people })
    }

    /// Every review.
    pub fn reviews(&self, p: &Principal) -> Result<Vec<Review>, AppError> {
        p.require(Action::ReadCoverage)?;
        self.decoded(p, KIND, &RecordQuery::default())
    }

    /// The deputies a review's draw chooses from: the pool recorded with the seed's commitment once it is
    /// fixed, else those eligible today (recused left out, as `prepare` will fix it); at most `shown` of
    /// them labelled.
    pub fn review_pool(&self, p: &Principal, id: &str, shown: usize) -> Result<ReviewPool, AppError> {
        let r = self.review(p, id)?;
        let (fixed, ids) = match &r.draw {
            Some(d) => (
                true,
                d.strata
                    .iter()
                    .flat_map(|s| &s.candidates)
                    .filter_map(|c| DeputyId::parse(c).ok())
                    .collect::<Vec<_>>(),
            ),
            None => (false, self.read(|q| Ok(eligible(q, &p.tenant, &r)))??),
        };
        let people = self.people(p, ids.iter().take(shown).copied())?;
        Ok(ReviewPool { fixed, size: ids.len(), people })
    }

    /// Reproduce a review's draw from its record alone and say whether it matches.
    pub fn verify_draw(&self, p: &Principal, id: &str) -> Result<DrawVerification, AppError> {
        Ok(verify(&self.review(p, id)?))
    }
}
