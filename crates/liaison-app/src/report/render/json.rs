//! The report as JSON, the API's compact shape. The annex (a national year: a million rows, nine tenths of
//! the bytes) is written on the machine's cores, a run of rows each, and set into the rest of the report
//! where its empty array stands; the bytes are those of `serde_json::to_vec` of the whole report.

use super::super::{AnnexRow, AnnualReport};

/// Rows below this are written on this thread.
const PARALLEL_FROM: usize = 20_000;

/// The key the annex's array follows. A key can only be a key here: inside a JSON string every quote is
/// escaped, so `"annex":` cannot occur in one.
const ANNEX: &[u8] = br#""annex":[]"#;

pub(super) fn json(r: &AnnualReport) -> Result<Vec<u8>, serde_json::Error> {
    json_with(r, PARALLEL_FROM)
}

/// [`json`], the annex written on several cores from `parallel_from` rows.
pub(crate) fn json_with(r: &AnnualReport, parallel_from: usize) -> Result<Vec<u8>, serde_json::Error> {
    if r.annex.len() < parallel_from || r.annex.is_empty() {
        return serde_json::to_vec(r);
    }
    let rows = rows(&r.annex)?;
    let shell = serde_json::to_vec(&without_annex(r))?;
    let Some(at) = shell.windows(ANNEX.len()).position(|w| w == ANNEX) else {
        // Not reached (the field is always written); the slow way is still right.
        return serde_json::to_vec(r);
    };
    let split = at + ANNEX.len() - 1;
    let mut out = Vec::with_capacity(shell.len() + rows.iter().map(Vec::len).sum::<usize>() + rows.len());
    out.extend_from_slice(&shell[..split]);
    for (i, run) in rows.iter().enumerate() {
        if i > 0 {
            out.push(b',');
        }
        out.extend_from_slice(run);
    }
    out.extend_from_slice(&shell[split..]);
    Ok(out)
}

/// The rows, comma-separated, in runs written on the machine's cores (at most four).
fn rows(annex: &[AnnexRow]) -> Result<Vec<Vec<u8>>, serde_json::Error> {
    let workers = std::thread::available_parallelism().map_or(1, |n| n.get()).clamp(1, 4);
    let run = annex.len().div_ceil(workers).max(1);
    std::thread::scope(|s| {
        let handles: Vec<_> = annex
            .chunks(run)
            .map(|rows| {
                s.spawn(move || {
                    // About 350 bytes a row.
                    let mut out = Vec::with_capacity(rows.len() * 384);
                    for (i, row) in rows.iter().enumerate() {
                        if i > 0 {
                            out.push(b',');
                        }
                        serde_json::to_writer(&mut out, row)?;
                    }
                    Ok(out)
                })
            })
            .collect();
        handles
            .into_iter()
            .map(|h| h.join().unwrap_or_else(|panic| std::panic::resume_unwind(panic)))
            .collect()
    })
}

/// The report with an empty annex, every other part borrowed.
fn without_annex(r: &AnnualReport) -> impl serde::Serialize + '_ {
    // Every field named: a part added to the report and left out here does not compile.
    let AnnualReport {
        procuratorate,
        from,
        to,
        scope,
        scope_label,
        made_at,
        summary,
        suggestions,
        annex: _,
        reach,
        activities,
        reviews,
        inspections,
        commendations,
        notices,
        budget,
        audit,
    } = r;
    Shell {
        procuratorate,
        from,
        to,
        scope,
        scope_label,
        made_at,
        summary,
        suggestions,
        annex: &[],
        reach,
        activities,
        reviews,
        inspections,
        commendations,
        notices,
        budget,
        audit,
    }
}

/// [`AnnualReport`]'s fields in its order, borrowed.
#[derive(serde::Serialize)]
struct Shell<'a> {
    procuratorate: &'a String,
    from: &'a chrono::NaiveDate,
    to: &'a chrono::NaiveDate,
    scope: &'a super::super::Scope,
    scope_label: &'a String,
    made_at: &'a chrono::DateTime<chrono::Utc>,
    summary: &'a [super::super::SummaryFigure],
    suggestions: &'a super::super::SuggestionPart,
    annex: &'a [AnnexRow],
    reach: &'a super::super::ReachPart,
    activities: &'a super::super::ActivityPart,
    reviews: &'a [super::super::ReviewRow],
    inspections: &'a [super::super::InspectionRow],
    commendations: &'a [super::super::CommendationRow],
    notices: &'a [super::super::NoticeRow],
    budget: &'a super::super::BudgetPart,
    audit: &'a super::super::AuditHead,
}
