//! The suggestion page's forms beside the handling itself (issue 16, item 3): a progress notice to the
//! deputies, a co-handler's opinion recorded as overdue, the transcription of a signed paper rating form,
//! the lapse of the feedback window, leadership's record after a second dissatisfaction (督办), the second
//! answer of a B/C matter once solved (跟踪落实), publication of the answer to the deputies as a body,
//! rerouting to letters and petitions with its outcome told, and a co-signer's withdrawal.
//!
//! Which forms show is a reading of the state, not a rule: the app (and the core's `decide`) still refuses
//! whatever does not apply, and the page says why.

use chrono::NaiveDate;
use liaison_app::Principal;
use liaison_core::access::{Action, Role};
use liaison_core::registry::DeputyLevel;
use liaison_core::suggestion::{
    EscalationMeans, RerouteGround, Satisfaction, Suggestion, SuggestionStatus as S,
};

/// A co-signer a form may name: (id for the form, name for the person reading it).
pub(crate) type Pick = (String, String);

/// The later forms the session may use now.
#[derive(Default)]
pub(crate) struct More {
    /// 进展通报: the handler tells the deputies how it is going.
    pub(crate) notify: bool,
    /// Co-handlers whose opinion is past due and not yet recorded as overdue.
    pub(crate) co_overdue: Vec<String>,
    /// Co-signers whose rating of the latest answer is still open (a paper form may be transcribed).
    pub(crate) rate: Vec<Pick>,
    /// The feedback window has closed with ratings missing: the office records the lapse.
    pub(crate) lapse: bool,
    /// A second dissatisfaction waits for leadership's meeting or explanation.
    pub(crate) escalation: bool,
    /// A B/C answer's promise is open: the handler records it solved (the promised day).
    pub(crate) solved: Option<String>,
    /// The office may publish the latest answer to the deputies as a body.
    pub(crate) publish: bool,
    /// The office may reroute the item to letters and petitions (before an answer).
    pub(crate) reroute: bool,
    /// The procuratorates the office may transfer it to (转办, before an answer): (id, name with level).
    pub(crate) transfer: Vec<Pick>,
    /// Rerouted: the outcome is still to be recorded.
    pub(crate) reroute_outcome: bool,
    /// Rerouted: the outcome is recorded and the deputies are still to be told.
    pub(crate) reroute_told: bool,
    /// Co-signers who may withdraw their signature (the office records it for them).
    pub(crate) withdraw: Vec<Pick>,
}

impl More {
    /// Whether any later form shows.
    pub(crate) fn any(&self) -> bool {
        self.notify
            || !self.co_overdue.is_empty()
            || !self.rate.is_empty()
            || self.lapse
            || self.escalation
            || self.solved.is_some()
            || self.publish
            || self.reroute
            || !self.transfer.is_empty()
            || self.reroute_outcome
            || self.reroute_told
            || !self.withdraw.is_empty()
    }
}

/// The later forms `p` may use on `s` today; `handles` is whether `p` handles it (the office, or the lead
/// department's account).
pub(crate) fn more(p: &Principal, s: &Suggestion, handles: bool, today: NaiveDate) -> More {
    let office = p.may(Action::FileSuggestion) && p.roles.contains(&Role::Office);
    let answer = s.rounds.last().and_then(|r| r.answer.as_ref().map(|a| (r, a)));
    let unrated: Vec<Pick> = match answer {
        Some((r, _)) if s.status == S::Answered => s
            .evaluators()
            .into_iter()
            .filter(|d| !r.ratings.contains_key(d))
            .map(|d| (d.to_string(), signer_name(s, d)))
            .collect(),
        _ => Vec::new(),
    };
    let window_closed = answer.is_some_and(|(_, a)| today > a.feedback_due);
    let co_overdue = match &s.assignment {
        Some(a) if handles && matches!(s.status, S::Assigned | S::InHandling) => a
            .co_handlers
            .iter()
            .filter(|c| c.opinion.is_none() && c.overdue_recorded.is_none() && today > c.due)
            .map(|c| c.department.name.to_string())
            .collect(),
        _ => Vec::new(),
    };
    let rerouted = s.reroute.as_ref().filter(|_| office && s.status == S::Rerouted);
    More {
        notify: handles && matches!(s.status, S::Assigned | S::InHandling | S::Rehandling),
        co_overdue,
        rate: if p.may(Action::TranscribeRating) { unrated.clone() } else { Vec::new() },
        lapse: office && window_closed && !unrated.is_empty(),
        escalation: p.may(Action::ApproveSuggestion) && s.status == S::Escalated,
        solved: s
            .follow_up
            .as_ref()
            .filter(|f| handles && f.solved.is_none() && !s.status.left_unhandled())
            .map(|f| crate::pages::day(f.promised_on)),
        publish: office && answer.is_some() && !s.status.left_unhandled(),
        reroute: office && s.status.before_answer(),
        // The targets are the deployment's: the page fills them in (`transfer_targets`).
        transfer: Vec::new(),
        reroute_outcome: rerouted.is_some_and(|r| r.outcome.is_none()),
        reroute_told: rerouted.is_some_and(|r| r.outcome.is_some() && r.outcome_told.is_none()),
        withdraw: if office && !s.status.is_final() {
            s.proposers.iter().map(|x| (x.deputy.to_string(), x.name.to_string())).collect()
        } else {
            Vec::new()
        },
    }
}

fn signer_name(s: &Suggestion, d: liaison_core::ids::DeputyId) -> String {
    s.proposers
        .iter()
        .chain(&s.panel)
        .find(|x| x.deputy == d)
        .map_or_else(|| "代表".into(), |x| x.name.to_string())
}

/// The choices the later forms offer: ratings, escalation means, reroute grounds, publication scopes,
/// levels — each (code, words).
pub(crate) struct Choices {
    pub(crate) ratings: Vec<(&'static str, &'static str)>,
    pub(crate) escalation_means: Vec<(&'static str, &'static str)>,
    pub(crate) grounds: Vec<(&'static str, &'static str)>,
    pub(crate) scopes: &'static [(&'static str, &'static str)],
    pub(crate) levels: Vec<&'static str>,
}

impl Default for Choices {
    fn default() -> Self {
        Choices {
            ratings: Satisfaction::ALL.iter().map(|r| (r.code(), r.zh())).collect(),
            escalation_means: EscalationMeans::ALL.iter().map(|m| (m.code(), m.zh())).collect(),
            grounds: RerouteGround::ALL.iter().map(|g| (g.code(), g.zh())).collect(),
            scopes: &[
                ("all", "全体代表"),
                ("level", "按代表级别"),
                ("region", "按区域"),
                ("delegation", "按代表团"),
            ],
            levels: DeputyLevel::ALL.iter().map(|l| l.zh()).collect(),
        }
    }
}

/// The record beside contacts and answers: progress notices, the follow-up of a promise, leadership's
/// record, the reroute with its outcome, the publications.
pub(crate) fn record_lines(s: &Suggestion) -> Vec<super::Line> {
    use super::Line;
    use crate::pages::day;
    let mut out: Vec<Line> = s
        .notices
        .iter()
        .map(|n| Line { when: day(n.on), what: "进展告知".into(), text: n.value.to_string() })
        .collect();
    if let Some(f) = &s.follow_up {
        out.push(match &f.solved {
            Some(x) => {
                Line { when: day(x.on), what: "承诺事项已解决".into(), text: x.value.to_string() }
            }
            None => Line {
                when: day(f.promised_on),
                what: "跟踪落实：承诺于此日前解决".into(),
                text: String::new(),
            },
        });
    }
    if let Some((on, record)) = &s.escalation {
        out.push(match record {
            Some(r) => Line {
                when: day(r.on),
                what: format!("领导督办 · {} · {}", r.means.zh(), r.leader.name),
                text: r.note.to_string(),
            },
            None => Line { when: day(*on), what: "提请院领导督办".into(), text: String::new() },
        });
    }
    if let Some(r) = &s.reroute {
        out.push(Line {
            when: day(r.on),
            what: format!("转信访（{}，信访编号 {}）", r.ground.zh(), r.petition_ref),
            text: r.notice.to_string(),
        });
        if let Some(o) = &r.outcome {
            out.push(Line { when: day(o.on), what: "信访办理结果".into(), text: o.value.to_string() });
        }
        if let Some(t) = &r.outcome_told {
            out.push(Line {
                when: day(t.on), what: "结果已告知代表".into(), text: t.value.to_string()
            });
        }
    }
    for p in &s.publications {
        out.push(Line {
            when: day(p.on),
            what: format!("第{}轮答复向代表公开（{}）", p.round, p.audience.zh()),
            text: format!("公开至{}", day(p.open_until)),
        });
    }
    out
}
