//! The activity platform (C4): activities with seats and eligibility, participants chosen by the
//! verifiable lottery (stratified by level, the least chosen first) or by rotation, attendance, feedback,
//! and the fairness of participation by level.

use std::collections::{BTreeMap, BTreeSet};

use chrono::NaiveDate;
use liaison_core::Aggregate;
use liaison_core::access::Action;
use liaison_core::activity::*;
use liaison_core::ids::DeputyId;
use liaison_core::lottery;
use liaison_core::registry::{DeputyLevel, LongText, ShortText, parse_date};
use liaison_store::RecordQuery;
use liaison_store::crypto::sm3_hex;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::draw::DrawVerification;
use crate::input::{Fields, deputy_id, long};
use crate::runner::{Columns, RowEnv, Stored, json_err};
use crate::{App, AppError, Principal};

const KIND: &str = "activity";

/// A new activity.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ActivityInput {
    /// open_day / hearing / trial_observation / inspection / forum / research (or the Chinese).
    pub kind: String,
    /// Title.
    pub title: String,
    /// Day.
    pub on: String,
    /// Place.
    pub place: String,
    /// Seats for deputies.
    pub seats: u32,
    /// Only these levels (empty: all).
    #[serde(default)]
    pub levels: Vec<String>,
    /// `lottery` (proportional quotas), `lottery-equal` (equal quotas) or `rotation`.
    pub selection: String,
}

/// A command on an activity.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(tag = "action", rename_all = "snake_case", deny_unknown_fields)]
pub enum ActivityAction {
    /// Fix the eligible pool (with each deputy's history) and commit to a fresh seed (shown once), or
    /// name a public value published after today that will make the seed.
    Prepare {
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
    /// A leader approves planning it again after an earlier activity for the same day was cancelled with
    /// its draw committed.
    ApproveReplan {
        /// Why.
        reason: String,
    },
    /// Reveal the seed (or give the public value as published) and choose.
    Draw {
        /// The seed given at `prepare`.
        #[serde(default)]
        seed: Option<String>,
        /// The public value named at `prepare`, as published.
        #[serde(default)]
        public_value: Option<String>,
    },
    /// It was held: who attended.
    Hold {
        /// Attended (ids).
        attended: Vec<String>,
    },
    /// A participant's feedback.
    Feedback {
        /// Deputy.
        deputy: String,
        /// Text.
        text: String,
    },
    /// Cancel it.
    Cancel {
        /// Why.
        reason: String,
    },
}

/// An activity, and the seed when `prepare` just made it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct ActivityView {
    /// The activity.
    pub activity: Activity,
    /// The seed (only in the answer to `prepare`).
    pub seed: Option<String>,
    /// Once the pool is fixed: each stratum's inclusion probability, exactly (every candidate of a
    /// stratum has the same chance).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    #[schema(value_type = Vec<Object>)]
    pub inclusion: Vec<liaison_core::lottery::Inclusion>,
    /// The participants and those who attended, as shown (name, level, region), by id.
    #[serde(default, skip_serializing_if = "std::collections::BTreeMap::is_empty")]
    pub people: crate::People,
}

impl ActivityView {
    pub(crate) fn of(activity: Activity, seed: Option<String>) -> Self {
        let inclusion = activity.draw.as_ref().map(|d| d.inclusion()).unwrap_or_default();
        Self { activity, seed, inclusion, people: crate::People::new() }
    }
}

impl Stored for Activity {
    fn key(&self) -> String {
        self.id.to_string()
    }
    fn columns(&self, _: &RowEnv<'_>) -> Result<Columns, AppError> {
        Ok(Columns {
            deputies: self.participants.iter().map(ToString::to_string).collect(),
            ..Columns::new(self.status.code(), self.on)
        })
    }
}

/// Participations per deputy in activities held or with participants chosen, up to `until`, and the last.
fn history(
    q: &dyn liaison_store::Queries,
    t: &liaison_core::ids::TenantId,
    until: NaiveDate,
) -> Result<BTreeMap<DeputyId, (u32, NaiveDate)>, AppError> {
    let qy = RecordQuery {
        statuses: vec!["selected".into(), "held".into()],
        opened_to: Some(until.to_string()),
        ..RecordQuery::default()
    };
    let mut out: BTreeMap<DeputyId, (u32, NaiveDate)> = BTreeMap::new();
    for r in q.records(t, KIND, &qy)? {
        let a: Activity = serde_json::from_str(&r.data).map_err(json_err)?;
        for d in &a.participants {
            let e = out.entry(*d).or_insert((0, a.on));
            e.0 += 1;
            e.1 = e.1.max(a.on);
        }
    }
    Ok(out)
}

/// Another activity of the same matter — the same kind on the same day — whose draw was committed and then
/// cancelled, or is committed and not drawn yet: preparing two draws for one matter and keeping the one that
/// pleases is the classic way round a lottery, so the second needs a leader's approval (at its commitment
/// and again at its draw). One held or drawn and kept is another activity of that day.
fn earlier_committed(
    tx: &dyn liaison_store::Queries,
    tenant: &liaison_core::ids::TenantId,
    a: &Activity,
) -> Result<Option<String>, AppError> {
    Ok(tx
        .records(tenant, KIND, &RecordQuery::default())?
        .into_iter()
        .filter(|r| r.id != a.id.to_string())
        .filter_map(|r| serde_json::from_str::<Activity>(&r.data).ok())
        .find(|x| {
            x.kind == a.kind
                && x.on == a.on
                && x.draw.is_some()
                && matches!(x.status, ActivityStatus::Cancelled | ActivityStatus::Committed)
        })
        .map(|x| x.id.to_string()))
}

impl App {
    /// Plan an activity.
    pub async fn plan_activity(
        &self,
        p: &Principal,
        input: &ActivityInput,
    ) -> Result<ActivityView, AppError> {
        p.require(Action::ManageLiaison)?;
        let mut f = Fields::default();
        let kind = f.take("kind", ActivityKind::parse(&input.kind));
        let title = f.take("title", ShortText::parse(&input.title));
        let on = f.take("on", parse_date(&input.on));
        let place = f.take("place", ShortText::parse(&input.place));
        let levels: BTreeSet<DeputyLevel> = input
            .levels
            .iter()
            .filter(|s| !s.trim().is_empty())
            .filter_map(|s| f.take("levels", DeputyLevel::parse(s)))
            .collect();
        let selection = match input.selection.trim() {
            "lottery" | "抽签" => Some(Selection::Lottery { proportional: true }),
            "lottery-equal" | "抽签-等额" => Some(Selection::Lottery { proportional: false }),
            "rotation" | "轮流" => Some(Selection::Rotation),
            _ => {
                f.0.push(liaison_core::FieldError::new(
                    "selection",
                    &liaison_core::ValueError::OneOf("lottery/lottery-equal/rotation"),
                ));
                None
            }
        };
        f.done()?;
        let (Some(kind), Some(title), Some(on), Some(place), Some(selection)) =
            (kind, title, on, place, selection)
        else {
            return Err(AppError::Invalid(vec![]));
        };
        let (tenant, seats) = (p.tenant.clone(), input.seats);
        self.change(p, None, move |run| {
            let id = liaison_core::ids::ActivityId(crate::new_id());
            let plan = PlanActivity { kind, title, on, place, seats, levels, selection, replans: None };
            // The same matter (same kind, same day) planned again after a draw was committed and the
            // activity cancelled: no draw before a leader approves (issue 11, item 4).
            let probe = Activity::create(&id, plan.clone(), ()).map_err(AppError::rule)?;
            let replans = match probe.first().and_then(|e| Activity::created(&id, e)) {
                Some(a) => earlier_committed(run.q(), &tenant, &a)?,
                None => None,
            };
            let a: Activity = run.create(id, PlanActivity { replans, ..plan }, ())?;
            Ok(ActivityView::of(a, None))
        })
        .await
    }

    /// Run a command on an activity.
    pub async fn activity_action(
        &self,
        p: &Principal,
        id: &str,
        expected: Option<u64>,
        action: ActivityAction,
    ) -> Result<ActivityView, AppError> {
        match action {
            ActivityAction::ApproveReplan { .. } => p.require(Action::ApproveLiaison)?,
            _ => p.require(Action::ManageLiaison)?,
        }
        let by = p.name.clone();
        let (tenant, id) = (p.tenant.clone(), id.trim().to_owned());
        let v = self
            .change(p, None, move |run| {
                let a: Activity = run.load_seen(&id, expected)?;
                let mut shown = None;
                let command = match action {
                    ActivityAction::ApproveReplan { reason } => ActivityCommand::ApproveReplan {
                        by: by.clone(),
                        reason: LongText::parse(&reason).map_err(|e| AppError::invalid("reason", &e))?,
                        earlier: earlier_committed(run.q(), &tenant, &a)?,
                    },
                    ActivityAction::Prepare { public_source, published_on, secret_seed_reason } => {
                        let past = history(run.q(), &tenant, a.on)?;
                        let candidates: Vec<Candidate> = run
                            .q()
                            .current_deputy_refs(&tenant)?
                            .into_iter()
                            .filter(|d| a.eligible(d.level))
                            .map(|d| {
                                let h = past.get(&d.id);
                                Candidate {
                                    deputy: d.id,
                                    level: d.level,
                                    times_chosen: h.map_or(0, |x| x.0),
                                    last_chosen: h.map(|x| x.1),
                                }
                            })
                            .collect();
                        let st = strata(&candidates, a.seats as usize, a.selection);
                        let (promise, seed) = crate::draw::promise(
                            public_source.as_deref(),
                            published_on.as_deref(),
                            secret_seed_reason.as_deref(),
                        )?;
                        shown = seed;
                        let st = st.for_matter(a.matter());
                        let fingerprint = sm3_hex(lottery::canonical_v2(&st, &promise).as_bytes());
                        ActivityCommand::Commit {
                            pool: st,
                            earlier: earlier_committed(run.q(), &tenant, &a)?,
                            fingerprint,
                            promise,
                        }
                    }
                    ActivityAction::Draw { seed, public_value } => {
                        let (seed, reveal) = crate::draw::reveal(seed.as_deref(), public_value.as_deref())?;
                        ActivityCommand::Draw {
                            seed,
                            reveal,
                            earlier: earlier_committed(run.q(), &tenant, &a)?,
                        }
                    }
                    ActivityAction::Hold { attended } => ActivityCommand::Hold {
                        attended: attended
                            .iter()
                            .filter(|s| !s.trim().is_empty())
                            .map(|s| deputy_id("attended", s))
                            .collect::<Result<_, _>>()?,
                    },
                    ActivityAction::Feedback { deputy, text } => ActivityCommand::Feedback {
                        deputy: deputy_id("deputy", &deputy)?,
                        text: long("text", &text)?,
                    },
                    ActivityAction::Cancel { reason } => ActivityCommand::Cancel {
                        reason: LongText::parse(&reason).map_err(|e| AppError::invalid("reason", &e))?,
                    },
                };
                let today = run.today();
                let (a, events) = run.execute_events(a, None, command, today)?;
                queue_for_draw(run, &a, &events)?;
                Ok(ActivityView::of(a, shown))
            })
            .await?;
        let mut v = v;
        v.people = self.people(p, v.activity.participants.iter().chain(&v.activity.attended).copied())?;
        Ok(v)
    }

    /// One activity.
    pub fn activity(&self, p: &Principal, id: &str) -> Result<Activity, AppError> {
        p.require(Action::ReadCoverage)?;
        let r = self
            .read(|q| q.record(&p.tenant, KIND, id.trim()))?
            .ok_or_else(|| AppError::NotFound { what: "activity", id: id.into() })?;
        serde_json::from_str(&r.data).map_err(json_err)
    }

    /// One activity as shown: the record, the inclusion probabilities of its pool, and its participants by
    /// name, level and region.
    pub fn activity_view(&self, p: &Principal, id: &str) -> Result<ActivityView, AppError> {
        let a = self.activity(p, id)?;
        let people = self.people(p, a.participants.iter().chain(&a.attended).copied())?;
        Ok(ActivityView { people, ..ActivityView::of(a, None) })
    }

    /// Every activity.
    pub fn activities(&self, p: &Principal) -> Result<Vec<Activity>, AppError> {
        p.require(Action::ReadCoverage)?;
        self.decoded(p, KIND, &RecordQuery::default())
    }

    /// Reproduce an activity's draw from its record alone.
    pub fn verify_activity_draw(&self, p: &Principal, id: &str) -> Result<DrawVerification, AppError> {
        let a = self.activity(p, id)?;
        Ok(crate::draw::verify(a.draw.as_ref()))
    }

    /// Participation in activities in `[from, to]` by level, and its spread (Gini), over the current deputies:
    /// participation counts attendance at held activities; seats drawn are counted apart, and so are draws
    /// cancelled after their pool and seed were fixed.
    pub fn fairness(&self, p: &Principal, from: NaiveDate, to: NaiveDate) -> Result<Fairness, AppError> {
        p.require(Action::ReadCoverage)?;
        let deputies = self.read(|q| q.current_deputy_levels(&p.tenant))?;
        self.fairness_over(p, &deputies, from, to)
    }

    /// `fairness` over the current deputies `keep` accepts (a report of one level or region).
    pub(crate) fn fairness_among(
        &self,
        p: &Principal,
        from: NaiveDate,
        to: NaiveDate,
        keep: &dyn Fn(&liaison_core::organisation::DeputyRef) -> bool,
    ) -> Result<Fairness, AppError> {
        p.require(Action::ReadCoverage)?;
        let deputies: Vec<(DeputyId, DeputyLevel)> = self
            .read(|q| q.current_deputy_refs(&p.tenant))?
            .into_iter()
            .filter(|d| keep(d))
            .map(|d| (d.id, d.level))
            .collect();
        self.fairness_over(p, &deputies, from, to)
    }

    /// [`App::fairness`] over current deputies already read (the coverage report reads them once).
    pub(crate) fn fairness_over(
        &self,
        p: &Principal,
        deputies: &[(DeputyId, DeputyLevel)],
        from: NaiveDate,
        to: NaiveDate,
    ) -> Result<Fairness, AppError> {
        p.require(Action::ReadCoverage)?;
        let q = RecordQuery {
            statuses: vec!["selected".into(), "held".into(), "cancelled".into()],
            opened_from: Some(from.to_string()),
            opened_to: Some(to.to_string()),
            ..RecordQuery::default()
        };
        let mut drawn: BTreeMap<DeputyId, u32> = BTreeMap::new();
        let mut attended: BTreeMap<DeputyId, u32> = BTreeMap::new();
        let mut cancelled_draws = 0;
        for r in self.read(|s| s.records(&p.tenant, KIND, &q))? {
            let a: Activity = serde_json::from_str(&r.data).map_err(json_err)?;
            if a.status == ActivityStatus::Cancelled && a.draw.is_some() {
                cancelled_draws += 1;
            }
            for d in &a.participants {
                *drawn.entry(*d).or_default() += 1;
            }
            if a.status == ActivityStatus::Held {
                for d in &a.attended {
                    *attended.entry(*d).or_default() += 1;
                }
            }
        }
        let mut f = fairness(deputies, &drawn, &attended);
        f.cancelled_draws = cancelled_draws;
        Ok(f)
    }
}

/// Tell the deputies of the pool the draw's result (issue 17 item 3): by lot, each one drawn that they
/// were drawn and each one of the pool not drawn that they were not; in rotation, each one chosen. Through
/// the outbox, as each deputy's contact preference allows.
fn queue_for_draw(
    run: &mut crate::runner::Runner<'_>,
    a: &Activity,
    events: &[ActivityEvent],
) -> Result<(), AppError> {
    use liaison_core::message::{MessageKind, Recipient};
    let Some(drawn) = events.iter().find_map(|e| match e {
        ActivityEvent::Drawn { drawn, .. } => Some(drawn),
        _ => None,
    }) else {
        return Ok(());
    };
    let params = serde_json::json!({
        "title": a.title.as_str(), "on": a.on, "place": a.place.as_str(),
        "answer_by": a.answer_by(), "path": crate::activity_answer::PORTAL_PATH,
    });
    let (id, stage) = (a.id.to_string(), format!("v{}", a.version));
    let chosen = if a.selection == Selection::Rotation {
        MessageKind::ActivityRotation
    } else {
        MessageKind::ActivityDrawn
    };
    let mut to: Vec<(DeputyId, MessageKind)> = drawn.iter().map(|d| (*d, chosen)).collect();
    if chosen == MessageKind::ActivityDrawn {
        let mut seen: BTreeSet<DeputyId> = drawn.iter().copied().collect();
        let pool = a.draw.iter().flat_map(|d| &d.strata).flat_map(|s| &s.candidates);
        for c in pool {
            if let Ok(d) = deputy_id("candidate", c)
                && seen.insert(d)
            {
                to.push((d, MessageKind::ActivityNotDrawn));
            }
        }
    }
    for (deputy, kind) in to {
        let m =
            crate::outgoing::Queued { kind, recipient: Recipient::Deputy(deputy), params: params.clone() };
        run.queue_everywhere(("activity", &id), &stage, m)?;
    }
    Ok(())
}
