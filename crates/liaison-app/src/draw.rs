//! The verifiable lottery's plumbing shared by case reviews (R4) and activities (C4): what is promised
//! about the seed when the pool is fixed (a fresh secret seed's SM3 commitment, or a public value named in
//! advance), what is revealed at the draw, and the verification of a recorded draw from the record alone.

use liaison_core::lottery::{self, DrawRecord, Reveal, SeedPromise};
use liaison_core::registry::{ShortText, parse_date};
use liaison_core::{FieldError, ValueError};
use liaison_store::crypto::sm3_hex;

use crate::AppError;

pub use liaison_core::lottery::{DrawProblem, DrawVerification};

fn problem(field: &str, reason: &str) -> DrawProblem {
    DrawProblem::new(field, reason)
}

/// Verify a published record as a third party receives it: a review or an activity as the API returns it
/// (possibly wrapped as `{"activity": …}` or `{"review": …}`), or its `draw` alone. Beyond the draw itself,
/// every field of the wrapper that restates the draw must agree with it: `seats` (an activity's seats, all of
/// them drawn unless the pool had fewer) and `participants` (the drawn, in order, less those replaced
/// after the draw).
pub fn verify_published(text: &str) -> Result<DrawVerification, AppError> {
    let bad = |why: &'static str| AppError::invalid("file", &ValueError::OneOf(why));
    let mut v: serde_json::Value =
        serde_json::from_str(text).map_err(|_| bad("a draw record in JSON (抽签记录 JSON)"))?;
    for key in ["activity", "review"] {
        if let Some(inner) = v.get(key).filter(|x| x.is_object()) {
            v = inner.clone();
        }
    }
    let wrapper = v.get("draw").is_some().then(|| v.clone());
    if let Some(d) = v.get("draw") {
        v = d.clone();
    }
    if v.is_null() {
        return Err(bad("a record whose draw has been made (尚未抽签)"));
    }
    let d: DrawRecord =
        serde_json::from_value(v).map_err(|_| bad("a draw record in JSON (抽签记录 JSON)"))?;
    let mut out = verify(Some(&d));
    if let Some(w) = wrapper {
        if let Some(seats) = w.get("seats") {
            let pool: usize = d.strata.iter().map(|s| s.candidates.len()).sum();
            let drawn = d.seats();
            let ok =
                seats.as_u64().is_some_and(|n| n as usize == drawn || (n as usize > drawn && drawn == pool));
            if !ok {
                out.problems
                    .push(problem("seats", &format!("名额与抽签池不符：抽签池按 {drawn} 个名额抽取")));
            }
        }
        // The matter the draw was fixed for (format 2): the record's own fields must still state it.
        if let Some(fixed) = &d.matter {
            let stated = serde_json::from_value::<liaison_core::activity::Activity>(w.clone())
                .ok()
                .map(|a| (a.matter(), &["record", "kind", "on", "seats", "levels", "selection"][..]))
                .or_else(|| {
                    serde_json::from_value::<liaison_core::review::Review>(w.clone())
                        .ok()
                        .map(|r| (r.matter(), &["record", "kind", "case_ref"][..]))
                });
            if let Some((now, fields)) = stated
                && now != *fixed
            {
                let (a, b): (Vec<&str>, Vec<&str>) =
                    (fixed.splitn(fields.len(), ':').collect(), now.splitn(fields.len(), ':').collect());
                for (i, field) in fields.iter().enumerate() {
                    if a.get(i) != b.get(i) {
                        let was = a.get(i).copied().unwrap_or("");
                        out.problems.push(problem(field, &format!("与抽签时确定的不符（抽签时为“{was}”）")));
                    }
                }
            }
        }
        if let Some(p) = w.get("participants") {
            let listed: Option<Vec<String>> =
                p.as_array().map(|a| a.iter().filter_map(|x| x.as_str().map(str::to_owned)).collect());
            if listed.as_ref() != Some(&d.participants()) {
                out.problems.push(problem("participants", "参加人名单与抽签结果不符"));
            }
        }
        let mut seen = std::collections::BTreeSet::new();
        out.problems.retain(|p| seen.insert(p.field.clone()));
        out.ok = out.ok && out.problems.is_empty();
    }
    Ok(out)
}

/// A secret seed's commitment: SM3 of its 64 lowercase hex digits (anyone can recompute it).
fn commitment(seed_hex: &str) -> String {
    lottery::commitment(seed_hex, &sm3_hex)
}

/// The seed derived from a public value: SM3 of its text with whitespace runs as one space.
fn public_seed(value: &str) -> String {
    lottery::public_seed(value, &sm3_hex)
}

/// What to promise when the pool is fixed: a public value named in advance (its source and the day it is
/// published) — the default, since nobody here can know it before the draw; or, only with a stated reason
/// (recorded and published with the draw), a fresh secret seed, returned to be shown once.
pub(crate) fn promise(
    public_source: Option<&str>,
    published_on: Option<&str>,
    secret_seed_reason: Option<&str>,
) -> Result<(SeedPromise, Option<String>), AppError> {
    let blank = |s: Option<&str>| s.map(str::trim).filter(|s| !s.is_empty()).map(str::to_owned);
    match (blank(public_source), blank(published_on)) {
        (None, None) => {
            let Some(reason) = blank(secret_seed_reason) else {
                return Err(AppError::invalid(
                    "public_source",
                    &ValueError::OneOf(
                        "抽签默认以事先指定、事后公布的公开数据为随机种子：请给出 public_source 与 published_on；\
                         如确需保密种子，请在 secret_seed_reason 中说明理由 (name the public value, or give \
                         secret_seed_reason)",
                    ),
                ));
            };
            let reason =
                ShortText::parse(&reason).map_err(|e| AppError::invalid("secret_seed_reason", &e))?;
            let seed = liaison_store::crypto::random_hex(32)?;
            Ok((
                SeedPromise::Committed { commitment: commitment(&seed), reason: Some(reason.to_string()) },
                Some(seed),
            ))
        }
        (source, on) => {
            let source = source.ok_or(ValueError::Required).and_then(|s| ShortText::parse(&s));
            let on = on.ok_or(ValueError::Required).and_then(|s| parse_date(&s));
            match (source, on) {
                (Ok(source), Ok(published_on)) => Ok((SeedPromise::Public { source, published_on }, None)),
                (source, on) => Err(AppError::Invalid(
                    [("public_source", source.err()), ("published_on", on.err())]
                        .into_iter()
                        .filter_map(|(field, e)| e.map(|e| FieldError::new(field, &e)))
                        .collect(),
                )),
            }
        }
    }
}

/// What is revealed at the draw: the secret seed, or the public value (exactly one), and the seed.
pub(crate) fn reveal(seed: Option<&str>, public_value: Option<&str>) -> Result<([u8; 32], Reveal), AppError> {
    let blank = |s: Option<&str>| s.map(str::trim).filter(|s| !s.is_empty()).map(str::to_owned);
    match (blank(seed), blank(public_value)) {
        (Some(seed), None) => {
            let bytes = lottery::parse_seed(&seed)
                .ok_or_else(|| AppError::invalid("seed", &ValueError::OneOf("64 hex digits")))?;
            Ok((bytes, Reveal::Seed { seed_hash: commitment(&seed) }))
        }
        (None, Some(value)) => {
            let text = lottery::public_value_text(&value);
            let value = ShortText::parse(&text).map_err(|e| AppError::invalid("public_value", &e))?;
            let bytes = lottery::parse_seed(&public_seed(&text))
                .ok_or_else(|| AppError::invalid("public_value", &ValueError::Required))?;
            Ok((bytes, Reveal::PublicValue { value }))
        }
        (None, None) => Err(AppError::invalid("seed", &ValueError::Required)),
        (Some(_), Some(_)) => Err(AppError::invalid(
            "public_value",
            &ValueError::OneOf("the seed or the public value, not both"),
        )),
    }
}

/// Reproduce a draw from its record alone — the pool, the promise, the seed and the result — with no access
/// to anything else: what a third party runs on a record published to them.
pub fn verify_record(d: &DrawRecord) -> DrawVerification {
    verify(Some(d))
}

/// Reproduce a recorded draw from the record alone (or say that nothing was drawn yet).
pub(crate) fn verify(d: Option<&DrawRecord>) -> DrawVerification {
    let Some(d) = d else {
        return DrawVerification {
            seed_source: String::new(),
            fingerprint_matches: false,
            commitment_matches: false,
            recomputed: vec![],
            draw_matches: false,
            ok: false,
            problems: vec![problem("draw", "尚未抽签")],
            fingerprint: String::new(),
        };
    };
    d.verify(&sm3_hex)
}

#[cfg(test)]
pub(crate) mod tests {
    use liaison_core::activity::{Candidate, Selection, strata};
    use liaison_core::ids::DeputyId;
    use liaison_core::registry::DeputyLevel;
    use proptest::prelude::*;

    use super::*;

    /// A drawn record of a proportional lottery over a pool with small levels, with a committed seed.
    pub(crate) fn record(sizes: &[usize], seats: usize, seed: [u8; 32]) -> DrawRecord {
        let mut c = Vec::new();
        for (l, n) in sizes.iter().enumerate() {
            for _ in 0..*n {
                let id = DeputyId(uuid::Uuid::from_u128(c.len() as u128 + 1));
                c.push(Candidate {
                    deputy: id,
                    level: DeputyLevel::ALL[l],
                    times_chosen: 0,
                    last_chosen: None,
                });
            }
        }
        let pool = strata(&c, seats, Selection::Lottery { proportional: true });
        let hex = lottery::seed_hex(&seed);
        let promise = SeedPromise::Committed { commitment: commitment(&hex), reason: Some("测试".into()) };
        let fingerprint = sm3_hex(lottery::canonical_v2(&pool, &promise).as_bytes());
        let mut d = DrawRecord::committed(pool, fingerprint, promise);
        d.drawn = d.recompute(&seed).unwrap_or_default();
        d.seed = Some(hex);
        d
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 64, ..ProptestConfig::default() })]
        /// Issue 11, item 2: the whole published record is bound — an activity as published (seats,
        /// participants, the draw) verifies, and changing any one of its fields fails and names a field.
        #[test]
        fn any_edit_of_a_published_record_fails_verification(
            sizes in proptest::collection::vec(1usize..6, 5),
            seats in 1usize..8,
            seed in any::<[u8; 32]>(),
            which in 0usize..10,
            pick in any::<prop::sample::Index>(),
        ) {
            let d = record(&sizes, seats, seed);
            let published = serde_json::json!({
                "activity": { "seats": seats, "participants": d.participants(), "draw": d },
            });
            let ok = verify_published(&published.to_string()).unwrap();
            prop_assert!(ok.ok, "{:?}", ok.problems);
            let mut v = published.clone();
            let a = &mut v["activity"];
            let n = d.strata.len();
            match which {
                // Seats bind the draw while the pool has more candidates than seats; when every eligible
                // deputy was drawn, any larger number of seats is consistent with the record.
                0 if d.seats() < sizes.iter().sum::<usize>() => a["seats"] = (seats + 1 + pick.index(3)).into(),
                0 => a["seats"] = (d.seats() - 1).into(),
                1 => { let i = pick.index(d.drawn.len()); a["participants"][i] = "someone-else".into(); }
                2 => { let i = pick.index(n); a["draw"]["strata"][i]["quota"] = (d.strata[i].quota + 1).into(); }
                3 => { let i = pick.index(n); a["draw"]["strata"][i]["candidates"][0] = "00000000-0000-0000-0000-000000000000".into(); }
                4 => a["draw"]["commitment"] = "0".repeat(64).into(),
                5 => a["draw"]["reason"] = "另一个理由".into(),
                6 => a["draw"]["seed"] = "1".repeat(64).into(),
                7 => { let i = pick.index(d.drawn.len()); a["draw"]["drawn"][i] = "someone-else".into(); }
                8 => a["draw"]["format"] = 1.into(),
                _ => a["draw"]["fingerprint"] = "f".repeat(64).into(),
            }
            let r = verify_published(&v.to_string()).unwrap();
            prop_assert!(!r.ok && !r.problems.is_empty(), "edit {} still verifies", which);
        }
    }
}
