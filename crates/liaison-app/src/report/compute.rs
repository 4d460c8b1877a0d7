//! Computing the report: each part read once and figured with the definitions the dashboards use.

use std::collections::BTreeMap;

use chrono::{Datelike, NaiveDate};
use liaison_core::activity::ActivityStatus;
use liaison_core::budget::Budget;
use liaison_core::meeting::MeetingStatus;
use liaison_core::organisation::DeputyRef;
use liaison_core::ratio::permille;
use liaison_core::suggestion::Suggestion;
use liaison_store::RecordQuery;

use super::annex;
use super::labels::{Lang, level_label};
use super::*;
use crate::json_err;
use crate::suggestion::{SUGGESTION, parse_suggestion};
use liaison_store::Line;

use super::line::{LineRef, ReportLine};
use super::r1::R1Sums;
use crate::MeasureView;

pub(super) fn report(
    app: &App,
    p: &Principal,
    period: &Period,
    scope: Scope,
) -> Result<AnnualReport, AppError> {
    let (from, to) = (period.from, period.to);
    let today = app.meta(p, None).today();
    let register = app.read(|q| q.current_deputy_refs(&p.tenant))?;
    let by_id: BTreeMap<String, &DeputyRef> = register.iter().map(|d| (d.id.to_string(), d)).collect();

    // R1: the suggestions received in the period, in scope, by their report lines: each line made into its
    // annex row where it is decoded; of the few items a deliberation opinion was turned into, what the
    // opinion's row names (the lead department, the class).
    let deliberations = if matches!(scope, Scope::All | Scope::Level { .. } | Scope::Region { .. }) {
        Some(app.deliberations(p)?)
    } else {
        None
    };
    let routed = annex::routed(deliberations.as_deref().unwrap_or_default());
    let measures = app.measures(p, None, None)?;
    let measures: BTreeMap<String, &MeasureView> =
        measures.iter().map(|m| (m.measure.id.to_string(), m)).collect();
    // Each batch of lines summed and made into annex rows on the core that decoded it; the batches merged
    // in their order.
    let batches = fold_lines(
        app,
        &p.tenant,
        period,
        || Batch::new(from, to, today),
        |b, l| {
            if !suggestion_in(&scope, &l, &by_id) {
                return;
            }
            let class = l.annex.class;
            b.r1.add(&l.facts, class);
            if routed.contains(&*l.annex.id) {
                b.handled.insert(l.annex.id.to_string(), (l.facts.lead.as_ref().map(|x| x.1.clone()), class));
            }
            b.annex.push(annex::suggestion(&l.facts, l.annex, &measures, &by_id));
        },
    )?;
    let mut annex = Vec::with_capacity(batches.iter().map(|b| b.annex.len()).sum());
    let mut handled = BTreeMap::new();
    let mut r1 = R1Sums::new(from, to, today);
    for b in batches {
        annex.extend(b.annex);
        handled.extend(b.handled);
        r1.merge(b.r1);
    }
    let suggestions = r1.finish();
    if let Some(sessions) = &deliberations {
        annex.extend(annex::opinions(sessions, &handled, from, to, &scope, &by_id));
    }

    // R3, C3, C4: reach and activities over the deputies in scope.
    let keep = |d: &DeputyRef| scope.keeps(d);
    let (reach, meetings, visits) = app.reach_among(p, from, to, &keep)?;
    let fairness = app.fairness_among(p, from, to, &keep)?;
    let activities = app.activities(p)?;
    let within = |d: NaiveDate| d >= from && d <= to;
    let held_meetings: Vec<_> =
        meetings.iter().filter(|m| m.status == MeetingStatus::Held && within(m.on)).collect();
    let in_scope = |id: &liaison_core::ids::DeputyId| by_id.get(&id.to_string()).is_some_and(|d| keep(d));
    let reach = ReachPart {
        meetings_held: held_meetings.len() as u32,
        meeting_attendances: held_meetings
            .iter()
            .map(|m| m.attended.iter().filter(|d| in_scope(d)).count() as u32)
            .sum(),
        visits: visits.iter().filter(|v| within(v.on) && in_scope(&v.deputy.deputy)).count() as u32,
        invited: fairness.seats_drawn,
        by_level: reach
            .by_level
            .iter()
            .map(|(l, n, r)| reach_row(l.code(), &level_label(*l, Lang::Zh), *n, *r))
            .collect(),
        by_region: reach.by_region.iter().map(|(g, n, r)| reach_row(g, g, *n, *r)).collect(),
        total: reach_row("all", "合计", reach.by_level.iter().map(|x| x.1).sum(), reach.reached),
        not_reached: reach
            .not_reached
            .iter()
            .map(|d| Person {
                name: d.name.clone(),
                level: level_label(d.level, Lang::Zh),
                region: d.region.clone(),
                delegation: d.delegation.clone().unwrap_or_default(),
            })
            .collect(),
    };
    let activities = ActivityPart {
        held: activities.iter().filter(|a| a.status == ActivityStatus::Held && within(a.on)).count() as u32,
        cancelled: activities.iter().filter(|a| a.status == ActivityStatus::Cancelled && within(a.on)).count()
            as u32,
        by_level: fairness
            .by_level
            .iter()
            .map(|f| FairnessRow {
                key: f.level.code().into(),
                label: level_label(f.level, Lang::Zh),
                deputies: f.deputies,
                drawn: f.drawn,
                attended: f.attended,
                permille: permille(f.attended.into(), f.deputies.into()),
            })
            .collect(),
        participations: fairness.participations,
        seats_drawn: fairness.seats_drawn,
        cancelled_draws: fairness.cancelled_draws,
        gini_permille: fairness.gini_permille,
    };

    let all_reviews = app.reviews(p)?;
    let reviewers = app.people(p, all_reviews.iter().flat_map(|r| r.participants.iter().copied()))?;
    let reviews = annex::reviews(&all_reviews, from, to, &reviewers);
    let inspections = annex::inspections(&app.inspections(p)?, from, to, &scope, today);
    let commendations = annex::commendations(&app.nominations(p)?, from, to);
    let notices = annex::notices(&app.notices(p, None)?, from, to);
    let budget = budget_part(&app.budget(p, from.year())?.budget, today);
    let audit = audit_head(app, p)?;
    let procuratorate = app.read(|q| q.tenant(&p.tenant))?.unwrap_or_default();
    let mut report = AnnualReport {
        procuratorate,
        from,
        to,
        scope_label: scope.label(Lang::Zh),
        scope,
        made_at: app.now(),
        summary: Vec::new(),
        suggestions,
        annex,
        reach,
        activities,
        reviews,
        inspections,
        commendations,
        notices,
        budget,
        audit,
    };
    report.summary = summary(&report);
    Ok(report)
}

/// The report lines of the suggestions received in the period, each turned by `keep` into what the caller
/// keeps of it (or left out), in the period's order (day opened, id). `record_lines` is read a month at a
/// time on this thread, the lines copied into batches of [`BATCH`], and the batches decoded and turned on
/// the machine's cores (at most four): a national year's million lines, most of them received in the few
/// days of the congress's session, are shared out evenly whatever their days. The whole record is read only
/// of a suggestion saved before lines were kept (schema v12).
///
/// Each month is its own read: a suggestion saved meanwhile is read in one state or the other, never half
/// (a line is written in its record's transaction), and no line is in two months (the day opened is fixed).
pub(super) fn lines_in<T: Send>(
    app: &App,
    tenant: &liaison_core::ids::TenantId,
    period: &Period,
    keep: impl Fn(LineRef<'_>) -> Option<T> + Sync,
) -> Result<Vec<T>, AppError> {
    let parts = fold_lines(app, tenant, period, Vec::new, |out, l| out.extend(keep(l)))?;
    let mut all = Vec::with_capacity(parts.iter().map(Vec::len).sum());
    for part in parts {
        all.extend(part);
    }
    Ok(all)
}

/// What the report keeps of a batch of lines: R1's sums, the annex's rows, and what the opinions' rows
/// name of the items they were turned into.
struct Batch {
    r1: R1Sums,
    annex: Vec<AnnexRow>,
    handled: annex::Handled,
}

impl Batch {
    fn new(from: NaiveDate, to: NaiveDate, today: NaiveDate) -> Self {
        Self { r1: R1Sums::new(from, to, today), annex: Vec::with_capacity(BATCH), handled: BTreeMap::new() }
    }
}

/// [`lines_in`] a batch at a time: each batch's lines folded by `each` into a `fresh()` value on the
/// core that decodes them; the folds in the period's order.
pub(super) fn fold_lines<A: Send>(
    app: &App,
    tenant: &liaison_core::ids::TenantId,
    period: &Period,
    fresh: impl Fn() -> A + Sync,
    each: impl Fn(&mut A, LineRef<'_>) + Sync,
) -> Result<Vec<A>, AppError> {
    let workers = std::thread::available_parallelism().map_or(1, |n| n.get()).clamp(1, 4);
    let decode = |batch: &Lines| -> Result<A, AppError> {
        let mut out = fresh();
        for &(start, end, whole) in &batch.spans {
            let json = batch.text.get(start..end).unwrap_or_default();
            if whole {
                let s: Suggestion = serde_json::from_str(json).map_err(json_err)?;
                each(&mut out, ReportLine::of(&s).read());
            } else {
                each(&mut out, serde_json::from_str(json).map_err(json_err)?);
            }
        }
        Ok(out)
    };
    // The workers share the receiving end; when the last of them stops (done, or on an error) it is
    // dropped, and the reader's next send fails instead of waiting for room that never comes.
    let (tx, rx) = std::sync::mpsc::sync_channel::<(usize, Lines)>(workers * 2);
    let rx = std::sync::Arc::new(std::sync::Mutex::new(rx));
    let (read, parts) = std::thread::scope(|s| {
        let handles: Vec<_> = (0..workers)
            .map(|_| {
                let rx = rx.clone();
                let decode = &decode;
                s.spawn(move || {
                    let mut mine = Vec::new();
                    loop {
                        let next =
                            rx.lock().map_err(|_| AppError::Contract("a report worker panicked"))?.recv();
                        let Ok((i, batch)) = next else { return Ok::<_, AppError>(mine) };
                        mine.push((i, decode(&batch)?));
                    }
                })
            })
            .collect();
        drop(rx);
        let read = read_batches(app, tenant, period, |i, batch| tx.send((i, batch)).is_ok());
        drop(tx);
        let parts: Result<Vec<(usize, A)>, AppError> = handles
            .into_iter()
            .map(|h| h.join().unwrap_or_else(|panic| std::panic::resume_unwind(panic)))
            .try_fold(Vec::new(), |mut all, mine| {
                all.extend(mine?);
                Ok(all)
            });
        (read, parts)
    });
    read?;
    let mut parts = parts?;
    parts.sort_unstable_by_key(|(i, _)| *i);
    Ok(parts.into_iter().map(|(_, a)| a).collect())
}

/// Lines a decoding worker takes at a time.
const BATCH: usize = 2048;

/// Lines read, copied end to end into one text: each line's span in it, and whether it is a whole record.
#[derive(Default)]
struct Lines {
    text: String,
    spans: Vec<(usize, usize, bool)>,
}

/// The period's lines, month by month, handed to `send` in numbered batches (false: nobody decodes any
/// more, stop).
fn read_batches(
    app: &App,
    tenant: &liaison_core::ids::TenantId,
    period: &Period,
    mut send: impl FnMut(usize, Lines) -> bool,
) -> Result<(), AppError> {
    let (mut batch, mut n, mut open) = (Lines::default(), 0, true);
    for (from, to) in months(period.from, period.to) {
        let (from, to) = (from.to_string(), to.to_string());
        app.read(|s| {
            s.record_lines(tenant, SUGGESTION, &from, &to, &mut |l| {
                if !open {
                    return;
                }
                let (json, whole) = match l {
                    Line::Line(json) => (json, false),
                    Line::Data(json) => (json, true),
                };
                let start = batch.text.len();
                batch.text.push_str(json);
                batch.spans.push((start, batch.text.len(), whole));
                if batch.spans.len() == BATCH {
                    let next = Lines {
                        text: String::with_capacity(batch.text.capacity()),
                        spans: Vec::with_capacity(BATCH),
                    };
                    open = send(n, std::mem::replace(&mut batch, next));
                    n += 1;
                }
            })
        })?;
        if !open {
            break;
        }
    }
    if open && !batch.spans.is_empty() {
        send(n, batch);
    }
    Ok(())
}

/// The period cut into calendar months (the first and last may be partial).
pub(super) fn months(from: NaiveDate, to: NaiveDate) -> Vec<(NaiveDate, NaiveDate)> {
    let mut out = Vec::new();
    let mut start = from;
    while start <= to {
        let next_month = start
            .with_day(1)
            .and_then(|d| d.checked_add_months(chrono::Months::new(1)))
            .unwrap_or(NaiveDate::MAX);
        let end = next_month.pred_opt().unwrap_or(next_month).min(to);
        out.push((start, end));
        match end.succ_opt() {
            Some(d) => start = d,
            None => break,
        }
    }
    out
}

/// Every item with an answer published to the deputies as a body.
pub(super) fn published(
    app: &App,
    tenant: &liaison_core::ids::TenantId,
) -> Result<Vec<Suggestion>, AppError> {
    let q = RecordQuery { tag: Some("published".into()), ..RecordQuery::default() };
    app.read(|s| s.records(tenant, SUGGESTION, &q))?.iter().map(parse_suggestion).collect()
}

/// Whether a suggestion is inside the scope: led by the department, or signed by a deputy of the level or
/// region (withdrawn signatures count: the figures' levels do).
fn suggestion_in(scope: &Scope, l: &LineRef<'_>, register: &BTreeMap<String, &DeputyRef>) -> bool {
    match scope {
        Scope::All => true,
        Scope::Department { id, .. } => l.facts.lead.as_ref().is_some_and(|(lead, _)| lead == id),
        Scope::Level { code } => l.facts.levels.iter().any(|x| x.code() == code),
        Scope::Region { name } => {
            let mut signers =
                l.annex.proposers.iter().map(|x| &x.0).chain(l.annex.withdrawn.iter().map(|x| &x.0));
            signers.any(|x| register.get(&**x).is_some_and(|d| d.region == *name))
        }
    }
}

fn reach_row(key: &str, label: &str, deputies: u32, reached: u32) -> ReachRow {
    ReachRow {
        key: key.to_owned(),
        label: label.to_owned(),
        deputies,
        reached,
        permille: permille(reached.into(), deputies.into()),
    }
}

fn budget_part(b: &Budget, today: NaiveDate) -> BudgetPart {
    let lines: Vec<BudgetRow> = b
        .execution(today)
        .iter()
        .map(|e| BudgetRow {
            key: e.category.code().into(),
            label: e.category.zh().into(),
            planned: e.planned,
            supplemented: e.supplemented,
            spent: e.spent,
            available: e.available,
            permille: permille(e.spent, e.planned + e.supplemented),
            projected_shortfall: e.projected_shortfall,
        })
        .collect();
    let sum = |f: fn(&BudgetRow) -> u64| lines.iter().map(f).sum::<u64>();
    let (planned, supplemented, spent) = (sum(|r| r.planned), sum(|r| r.supplemented), sum(|r| r.spent));
    let total = BudgetRow {
        key: "total".into(),
        label: "合计".into(),
        planned,
        supplemented,
        spent,
        available: sum(|r| r.available),
        permille: permille(spent, planned + supplemented),
        projected_shortfall: sum(|r| r.projected_shortfall),
    };
    let appropriations = b
        .appropriations
        .iter()
        .map(|a| AppropriationRow {
            n: a.n,
            category: a.category.zh().into(),
            fen: a.fen,
            reason: a.reason.to_string(),
            on: a.on,
            decision: match &a.decision {
                None => "待批准".into(),
                Some(Ok((by, on))) => format!("已批准（{}，{on}）", by.name),
                Some(Err(why)) => format!("未批准：{why}"),
            },
        })
        .collect();
    BudgetPart { year: b.year, adopted: b.adopted.is_some(), lines, total, appropriations }
}

/// The last record of the tenant's chain, found by doubling then halving over the sequence numbers (a
/// chain is numbered from 1 without gaps): some forty point reads on a chain of a billion records, and no
/// query of its own.
fn audit_head(app: &App, p: &Principal) -> Result<AuditHead, AppError> {
    let at = |seq: u64| app.read(|q| q.audit_record_at(&p.tenant, seq));
    if at(1)?.is_none() {
        return Ok(AuditHead { seq: 0, hash: liaison_store::audit::GENESIS.to_owned(), at: None });
    }
    let (mut lo, mut hi) = (1u64, 2u64);
    while at(hi)?.is_some() {
        lo = hi;
        hi = hi.saturating_mul(2);
    }
    // lo exists, hi does not.
    while hi - lo > 1 {
        let mid = lo + (hi - lo) / 2;
        if at(mid)?.is_some() { lo = mid } else { hi = mid }
    }
    let last = at(lo)?.ok_or(AppError::Contract("the chain's last record was just read"))?;
    Ok(AuditHead { seq: last.seq, hash: last.hash, at: Some(last.at) })
}

/// The ten numbers, each labelled with the period.
fn summary(r: &AnnualReport) -> Vec<SummaryFigure> {
    let w = window(r.from, r.to, Lang::Zh);
    let w_en = window(r.from, r.to, Lang::En);
    let t = &r.suggestions.total.figures;
    let c = &t.counts;
    let rect: u32 = r.inspections.iter().map(|i| i.rectifications).sum();
    let rect_done: u32 = r.inspections.iter().map(|i| i.done).sum();
    let fig = |key: &str, zh: &str, en: &str, value: u64, of: Option<u64>, unit: &str| SummaryFigure {
        key: key.into(),
        label: format!("{w}{zh}"),
        label_en: format!("{en}, {w_en}"),
        value,
        permille: of.and_then(|d| permille(value, d)),
        of,
        unit: unit.into(),
    };
    let b = &r.budget.total;
    vec![
        fig("received", "收到代表建议（件）", "Suggestions received", c.received.into(), None, "count"),
        fig(
            "on_time",
            "按期答复率",
            "Answered on time",
            c.answered_on_time.into(),
            Some(c.answered.into()),
            "rate",
        ),
        fig(
            "first_round",
            "首轮满意率",
            "First-round satisfaction",
            c.first_round_satisfied.into(),
            Some(c.first_round_rated.into()),
            "rate",
        ),
        fig(
            "final",
            "最终满意率",
            "Final satisfaction",
            c.final_satisfied.into(),
            Some(c.final_rated.into()),
            "rate",
        ),
        fig(
            "resolution",
            "办成率",
            "Resolution (solved)",
            u64::from(c.resolved_a + c.resolved_later),
            Some(c.answered.into()),
            "rate",
        ),
        fig(
            "reached",
            "联系（座谈、走访）代表比例",
            "Deputies met or visited",
            r.reach.total.reached.into(),
            Some(r.reach.total.deputies.into()),
            "rate",
        ),
        fig("meetings", "召开座谈会（次）", "Meetings held", r.reach.meetings_held.into(), None, "count"),
        fig(
            "participations",
            "代表参加活动（人次）",
            "Attendances at activities",
            r.activities.participations.into(),
            None,
            "count",
        ),
        fig(
            "rectified",
            "整改事项完成率",
            "Rectification items done",
            rect_done.into(),
            Some(rect.into()),
            "rate",
        ),
        fig(
            "budget",
            "经费执行（元）",
            "Budget spent (yuan)",
            b.spent,
            Some(b.planned + b.supplemented),
            "fen",
        ),
    ]
}

/// Deputies of the register by id, for the parts that name people.
pub(super) type Register<'a> = BTreeMap<String, &'a DeputyRef>;
