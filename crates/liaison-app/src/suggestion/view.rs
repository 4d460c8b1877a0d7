//! What a reader may see of a suggestion and how it is shown: the views, the withheld parts, the
//! summaries of lists.

use super::*;

/// What a reader may see of an item (issue 12): the `[保密]` parts of its answers only the office, the lead
/// department's accounts and the proposers' own accounts; and a deputy (an account or a link) only its own
/// part of what is addressed to many.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Shown {
    /// Whether the confidential parts are shown.
    pub(crate) confidential: bool,
    /// The deputy reading, when a deputy reads (through its account or a link).
    pub(crate) deputy: Option<DeputyId>,
}

impl Shown {
    /// Everything: the office's own answer at filing.
    pub(crate) const ALL: Self = Self { confidential: true, deputy: None };

    /// What a caller may see of `s`.
    pub(crate) fn to(p: &Principal, s: &Suggestion) -> Self {
        let lead = s.assignment.as_ref().map(|a| a.lead.id);
        let own_deputy = p.deputy.filter(|_| p.roles.contains(&Role::Deputy));
        let confidential = p.roles.contains(&Role::Office)
            || (p.roles.contains(&Role::Department) && p.department.is_some() && p.department == lead)
            || own_deputy.is_some_and(|d| is_proposer(s, d));
        Self { confidential, deputy: own_deputy.filter(|_| p.roles == [Role::Deputy]) }
    }

    /// What the deputy a link was sent to may see of `s`.
    pub(crate) fn to_deputy(d: DeputyId, s: &Suggestion) -> Self {
        Self { confidential: is_proposer(s, d), deputy: Some(d) }
    }

    fn apply(self, s: &mut Suggestion) {
        if !self.confidential {
            s.withhold_confidential();
        }
        let Some(d) = self.deputy else { return };
        for p in &mut s.publications {
            p.ratings.retain(|k, _| *k == d);
            p.viewed.retain(|k| *k == d);
        }
        if s.proposers.iter().chain(&s.withdrawn).any(|x| x.deputy == d) {
            return;
        }
        // A reader of a publication or a panel member: not the co-signers' ratings, contacts, withdrawals,
        // nor the names of those who asked not to be named.
        let unnamed = std::mem::take(&mut s.anonymous);
        s.proposers.retain(|x| !unnamed.contains(&x.deputy));
        s.withdrawn.clear();
        s.withdrawal_reason = None;
        s.panel.retain(|x| x.deputy == d);
        for r in &mut s.rounds {
            r.ratings.retain(|k, _| *k == d);
        }
        s.contacts.retain(|c| c.deputies.contains(&d));
    }
}

pub(crate) fn is_proposer(s: &Suggestion, d: DeputyId) -> bool {
    s.proposers.iter().any(|x| x.deputy == d)
}

/// Every text of an audit payload that carries confidentiality markers, with its marked parts withheld
/// (for the history of those who may not read them).
pub(crate) fn withhold_in_payload(v: &mut serde_json::Value) {
    const MARKERS: [&str; 4] = ["[保密]", "【保密】", "[/保密]", "【/保密】"];
    match v {
        serde_json::Value::String(t) if MARKERS.iter().any(|m| t.contains(m)) => {
            *t = liaison_core::suggestion::public_text(t);
        }
        serde_json::Value::Array(a) => a.iter_mut().for_each(withhold_in_payload),
        serde_json::Value::Object(m) => m.values_mut().for_each(withhold_in_payload),
        _ => {}
    }
}

/// The view of an item, as much of it as its reader may see.
pub(crate) fn view(
    mut s: Suggestion,
    policy: &SuggestionPolicy,
    cal: &WorkCalendar,
    today: NaiveDate,
    shown: Shown,
) -> SuggestionView {
    shown.apply(&mut s);
    let obligations =
        s.obligations(policy, cal).into_iter().map(|o| obligation_view(&o, today, cal)).collect();
    let deadline_basis = s.assignment.as_ref().map(|a| match s.extensions.last() {
        Some(e) => format!("经{}于{}批准延期至{}：{}", e.approved_by.name, e.on, e.until, e.reason),
        None => {
            let b = cal.explain(a.assigned_on, policy.answer);
            if b.due == a.deadline {
                b.note_zh()
            } else {
                format!(
                    "期限 {}；按现行节假日安排应为 {}，待重新计算（liaison deadline recompute）：{}",
                    a.deadline,
                    b.due,
                    b.note_zh()
                )
            }
        }
    });
    SuggestionView {
        status_zh: s.status.zh().to_owned(),
        obligations,
        suggestion: s,
        deadline_basis,
        transfer: None,
    }
}

pub(crate) fn obligation_view(o: &Obligation, today: NaiveDate, cal: &WorkCalendar) -> ObligationView {
    ObligationView {
        kind: o.kind.code().into(),
        kind_zh: o.kind.zh().into(),
        due: o.due,
        overdue: today > o.due,
        department: o.department.map(|d| d.0),
        provisional: provisional(cal, o.due),
    }
}

/// The note on a due day in a year without a published holiday schedule (issue 11, item 16).
pub(crate) fn provisional(cal: &WorkCalendar, due: NaiveDate) -> Option<String> {
    let year = chrono::Datelike::year(&due);
    (!cal.is_working_day(due).1)
        .then(|| format!("假定{year}年：仅法定节假日，未含调休；{year}年节假日安排公布后期限可能调整"))
}

pub(crate) fn summary(s: &Suggestion, policy: &SuggestionPolicy, cal: &WorkCalendar) -> SuggestionSummary {
    SuggestionSummary {
        id: s.id.0,
        version: s.version,
        number: s.number.map(|n| n.to_string()),
        title: s.title.to_string(),
        status: s.status.code().into(),
        status_zh: s.status.zh().into(),
        received_on: s.received_on,
        deputies: s.proposers.iter().map(|p| p.name.to_string()).collect(),
        lead: s.assignment.as_ref().map(|a| a.lead.name.to_string()),
        handler: s.assignment.as_ref().map(|a| a.handler.name.clone()),
        next_due: s.next_deadline(policy, cal).map(|o| o.due),
    }
}

/// A department account may act only on its own department's items (lead, or co-handler for opinions).
pub(crate) fn in_scope(p: &Principal, department: Option<DepartmentId>) -> Result<(), AppError> {
    if p.roles.contains(&Role::Office) {
        return Ok(());
    }
    match (p.department, department) {
        (Some(mine), Some(theirs)) if mine != theirs => {
            Err(AppError::Forbidden { action: "handle_other_department" })
        }
        // A department account not bound to a department (made before accounts had to be) acts for none.
        (None, _) if p.roles.contains(&Role::Department) => {
            Err(AppError::Forbidden { action: "handle_other_department" })
        }
        _ => Ok(()),
    }
}

/// A deputy account sees only the items it is a party to.
pub(crate) fn visible_to(p: &Principal, s: &Suggestion) -> bool {
    match p.deputy {
        Some(d) if p.roles == [Role::Deputy] => {
            s.proposers.iter().chain(&s.withdrawn).chain(&s.panel).any(|x| x.deputy == d)
        }
        _ => true,
    }
}

/// A measure as shown: its status in Chinese and whether it is overdue on `today`.
pub(crate) fn measure_view(m: Measure, today: NaiveDate) -> MeasureView {
    MeasureView { status_zh: m.status.zh().into(), overdue: m.overdue(today), measure: m }
}
