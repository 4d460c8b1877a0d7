//! Tests of `activity`: given/when/then, golden values and property tests.

use proptest::prelude::*;
use uuid::Uuid;

use super::*;

fn dep(n: u128) -> DeputyId {
    DeputyId(Uuid::from_u128(n))
}
fn cand(n: u128, l: usize, times: u32) -> Candidate {
    Candidate { deputy: dep(n), level: DeputyLevel::ALL[l], times_chosen: times, last_chosen: None }
}

#[test]
fn strata_split_seats_by_level_and_prefer_the_least_chosen() {
    let c: Vec<Candidate> = (0..20).map(|i| cand(i, (i % 2) as usize * 3, (i % 4) as u32 / 2)).collect();
    let pool = strata(&c, 6, Selection::Lottery { proportional: true });
    let s = &pool.strata;
    let per_level: BTreeMap<&str, usize> = s.iter().fold(BTreeMap::new(), |mut m, x| {
        *m.entry(x.name.split('/').next().unwrap()).or_default() += x.quota;
        m
    });
    assert_eq!(per_level.values().copied().collect::<Vec<_>>(), vec![3, 3]);
    assert_eq!(pool.shares, None, "3 + 3 of 10 + 10: nothing left to round");
    assert!(
        s.iter().all(|x| x.name.ends_with("chosen0")),
        "{s:?}: never-chosen deputies fill the seats first"
    );
    let rot = strata(
        &[
            Candidate { last_chosen: Some(NaiveDate::from_ymd_opt(2026, 1, 1).unwrap()), ..cand(1, 0, 1) },
            cand(2, 0, 0),
            cand(3, 0, 0),
        ],
        2,
        Selection::Rotation,
    );
    assert_eq!((rot.strata.len(), rot.strata[0].name.as_str(), rot.strata[0].quota), (1, "last/never", 2));
    assert_eq!(rot.shares, None);
}

/// A level that may get a shared seat lists its least-chosen tier and stops there when that tier has a
/// candidate left for it: one seat over 5 city and 5 county deputies, three of the city's never chosen.
#[test]
fn a_shared_seat_stays_with_the_least_chosen_tier() {
    let mut c: Vec<Candidate> = (1..=5).map(|i| cand(i, 2, u32::from(i > 3))).collect();
    c.extend((6..=10).map(|i| cand(i, 3, 0)));
    let pool = strata(&c, 1, Selection::Lottery { proportional: true });
    let s: Vec<(&str, usize, usize)> =
        pool.strata.iter().map(|x| (x.name.as_str(), x.candidates.len(), x.quota)).collect();
    assert_eq!(
        s,
        [("city/chosen0", 3, 0), ("county/chosen0", 5, 0)],
        "the city's chosen-once tier is not in the pool"
    );
    let group = |name: &str, i| ShareGroup { name: name.into(), length: 5, strata: vec![i] };
    assert_eq!(
        pool.shares,
        Some(Apportionment { step: 10, groups: vec![group("city", 0), group("county", 1)] })
    );
    let inc: Vec<(u64, u64)> = pool.inclusion().iter().map(|i| (i.numerator, i.denominator)).collect();
    assert_eq!(inc, [(1, 6), (1, 10)], "the city's half seat among its three never chosen");
}

/// Issue 11, item 1: an open day of 20 seats over 404 deputies (2 national, 10 provincial, 100 city,
/// 120 county, 172 township) gave city 1 / county 5 / township 14 and shut the national and provincial
/// deputies out. Now every deputy's chance is exactly 20/404 = 5/101, and every level can be drawn.
#[test]
fn proportional_quotas_give_every_deputy_of_the_pool_the_same_chance() {
    let sizes = [2usize, 10, 100, 120, 172];
    let mut c = Vec::new();
    for (l, n) in sizes.iter().enumerate() {
        for _ in 0..*n {
            c.push(cand(c.len() as u128 + 1, l, 0));
        }
    }
    let pool = strata(&c, 20, Selection::Lottery { proportional: true });
    for inc in pool.inclusion() {
        assert_eq!((inc.numerator, inc.denominator), (5, 101), "{inc:?}");
    }
    assert_eq!(pool.seats(), 20);
    let mut by_level = [0u32; 5];
    for k in 0..400u32 {
        let mut seed = [0u8; 32];
        seed[..4].copy_from_slice(&k.to_le_bytes());
        let drawn = lottery::draw_pool(&pool, &seed).unwrap();
        assert_eq!(drawn.len(), 20);
        for d in drawn {
            let i = c.iter().position(|x| x.deputy.to_string() == d).unwrap();
            by_level[DeputyLevel::ALL.iter().position(|l| *l == c[i].level).unwrap()] += 1;
        }
    }
    assert!(by_level[0] > 0 && by_level[1] > 0, "national and provincial deputies are drawn: {by_level:?}");
}

/// Equal quotas: every level the same share; a level smaller than its share sends all its deputies,
/// and what does not divide evenly goes to each of the other levels with the same chance.
#[test]
fn equal_quotas_share_the_remainder_by_chance() {
    let sp = lottery::split(&[1, 0, 5, 5, 5], 8, false);
    assert_eq!(
        (sp.fixed.clone(), sp.lengths.clone(), sp.step, sp.extra()),
        (vec![1, 0, 2, 2, 2], vec![0, 0, 1, 1, 1], 3, 1)
    );
    let sp = lottery::split(&[6, 3], 2, true);
    assert_eq!(
        (sp.fixed, sp.lengths, sp.step),
        (vec![1, 0], vec![3, 6], 9),
        "1⅓ and ⅔ seats: 1 + ⅓ chance, ⅔ chance"
    );
    let sp = lottery::split(&[6, 3], 12, true);
    assert_eq!((sp.fixed, sp.lengths, sp.step), (vec![6, 3], vec![0, 0], 9), "never more than a level has");
    let sp = lottery::split(&[4, 4], 3, false);
    assert_eq!((sp.fixed, sp.lengths, sp.step), (vec![1, 1], vec![1, 1], 2));
}

#[test]
fn fairness_counts_levels_and_the_spread() {
    let ds: Vec<(DeputyId, DeputyLevel)> = (0..4).map(|i| (dep(i), DeputyLevel::County)).collect();
    let even: BTreeMap<DeputyId, u32> = (0..4).map(|i| (dep(i), 1)).collect();
    assert_eq!(fairness(&ds, &even, &even).gini_permille, 0);
    let one: BTreeMap<DeputyId, u32> = [(dep(0), 4)].into();
    let f = fairness(&ds, &one, &one);
    assert_eq!((f.gini_permille, f.by_level[3].attended, f.by_level[3].permille), (750, 1, 250));
    // Per mille to the nearest: two of three is 667, not 666.
    let three: Vec<(DeputyId, DeputyLevel)> = (0..3).map(|i| (dep(i), DeputyLevel::City)).collect();
    let two: BTreeMap<DeputyId, u32> = [(dep(0), 1), (dep(1), 1)].into();
    let f = fairness(&three, &two, &two);
    assert_eq!((f.by_level[2].permille, f.gini_permille), (667, 333));
    // Attended once and twice: Gini 1/6 = 166.7‰, rounded up to 167.
    let pair: Vec<(DeputyId, DeputyLevel)> = (0..2).map(|i| (dep(i), DeputyLevel::Township)).collect();
    let times: BTreeMap<DeputyId, u32> = [(dep(0), 1), (dep(1), 2)].into();
    let f = fairness(&pair, &times, &times);
    assert_eq!((f.gini_permille, f.participations, f.seats_drawn), (167, 3, 3));
}

/// Issue 11, item 3: after 18 of 20 drawn attended, participation is 18, the seats drawn 20.
#[test]
fn fairness_counts_attendance_and_reports_seats_drawn_apart() {
    let ds: Vec<(DeputyId, DeputyLevel)> = (0..20).map(|i| (dep(i), DeputyLevel::Township)).collect();
    let drawn: BTreeMap<DeputyId, u32> = (0..20).map(|i| (dep(i), 1)).collect();
    let attended: BTreeMap<DeputyId, u32> = (0..18).map(|i| (dep(i), 1)).collect();
    let f = fairness(&ds, &drawn, &attended);
    assert_eq!((f.participations, f.seats_drawn), (18, 20));
    let t = &f.by_level[4];
    assert_eq!((t.deputies, t.drawn, t.attended, t.permille), (20, 20, 18, 900));
    assert_eq!(f.by_level.len(), 5, "every level has a row");
}

proptest! {
    /// A draw from the strata never picks an ineligible or absent candidate, never one twice, fills
    /// every level's quota, and (lottery) picks within a level only once everyone chosen fewer times is in.
    #[test]
    fn lottery_respects_quotas_and_history(spec in proptest::collection::vec((0usize..5, 0u32..3), 1..60), seats in 1usize..20, prop in any::<bool>(), seed in any::<[u8; 32]>()) {
        let c: Vec<Candidate> = spec.iter().enumerate().map(|(i, (l, t))| cand(i as u128 + 1, *l, *t)).collect();
        let s = strata(&c, seats, Selection::Lottery { proportional: prop });
        let drawn = lottery::draw_pool(&s, &seed).unwrap();
        prop_assert_eq!(drawn.len(), seats.min(c.len()));
        let mut uniq = drawn.clone();
        uniq.sort();
        uniq.dedup();
        prop_assert_eq!(uniq.len(), drawn.len());
        for l in DeputyLevel::ALL {
            let picked: Vec<&Candidate> = c.iter().filter(|x| x.level == *l && drawn.contains(&x.deputy.to_string())).collect();
            let left: Vec<&Candidate> = c.iter().filter(|x| x.level == *l && !drawn.contains(&x.deputy.to_string())).collect();
            if let (Some(maxp), Some(minl)) = (picked.iter().map(|x| x.times_chosen).max(), left.iter().map(|x| x.times_chosen).min()) {
                prop_assert!(maxp <= minl, "someone chosen more often went before someone chosen less");
            }
        }
    }
}

proptest! {
    /// Issue 11, item 3: participation is attendance, never more than the seats drawn, level by level.
    #[test]
    fn participation_counts_attendance_never_draws(spec in proptest::collection::vec((0usize..5, 0u32..4, 0u32..4), 1..40)) {
        let ds: Vec<(DeputyId, DeputyLevel)> =
            spec.iter().enumerate().map(|(i, (l, _, _))| (dep(i as u128 + 1), DeputyLevel::ALL[*l])).collect();
        let drawn: BTreeMap<DeputyId, u32> =
            spec.iter().enumerate().map(|(i, (_, k, _))| (dep(i as u128 + 1), *k)).collect();
        let attended: BTreeMap<DeputyId, u32> =
            spec.iter().enumerate().map(|(i, (_, k, a))| (dep(i as u128 + 1), (*a).min(*k))).collect();
        let f = fairness(&ds, &drawn, &attended);
        prop_assert_eq!(f.participations, attended.values().sum::<u32>());
        prop_assert_eq!(f.seats_drawn, drawn.values().sum::<u32>());
        prop_assert!(f.participations <= f.seats_drawn);
        for l in &f.by_level {
            prop_assert!(l.attended <= l.drawn && l.drawn <= l.deputies);
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 12, ..ProptestConfig::default() })]
    /// Issue 11, item 1: over many seeds, how often each level's deputies are drawn matches the exact
    /// inclusion probability the pool states, for pools with tiny strata (one or two deputies of a
    /// level among dozens); with proportional quotas and nobody chosen before, that is seats / pool for all.
    #[test]
    fn empirical_frequencies_match_the_stated_inclusion(sizes in proptest::collection::vec(0usize..40, 5), tiny in 1usize..3, seats in 1usize..12, prop in any::<bool>()) {
        let mut sizes = sizes;
        sizes[0] = tiny;
        let mut c = Vec::new();
        for (l, n) in sizes.iter().enumerate() {
            for _ in 0..*n { c.push(cand(c.len() as u128 + 1, l, 0)); }
        }
        let pool = strata(&c, seats, Selection::Lottery { proportional: prop });
        let rounds = 4000u32;
        let mut hits: BTreeMap<String, u32> = BTreeMap::new();
        for k in 0..rounds {
            let mut seed = [0u8; 32];
            seed[..4].copy_from_slice(&k.to_le_bytes());
            seed[4] = 0x5a;
            for d in lottery::draw_pool(&pool, &seed).unwrap() { *hits.entry(d).or_default() += 1; }
        }
        let total = c.len() as u64;
        let seats_now = seats.min(c.len()) as u64;
        for (st, inc) in pool.strata.iter().zip(pool.inclusion()) {
            let p = inc.numerator as f64 / inc.denominator as f64;
            if prop { prop_assert_eq!(inc.numerator * total, seats_now * inc.denominator, "{:?}", inc); }
            let n = st.candidates.len() as f64 * f64::from(rounds);
            let seen: u32 = st.candidates.iter().map(|d| hits.get(d).copied().unwrap_or(0)).sum();
            let sd = (n * p * (1.0 - p)).sqrt();
            prop_assert!((f64::from(seen) - n * p).abs() <= 5.0 * sd + 1.0, "stratum {} seen {} expected {}", st.name, seen, n * p);
        }
        let drawn_in_pool: u64 = pool.inclusion().iter().zip(&pool.strata)
            .map(|(i, s)| s.candidates.len() as u64 * i.numerator * 1_000_000 / i.denominator).sum();
        prop_assert!(drawn_in_pool.abs_diff(seats_now * 1_000_000) <= pool.strata.len() as u64, "expected seats add up");
    }
}

proptest! {
    /// Issue 17 item 7: whatever answers arrive on whatever days, an answer is kept only for a participant,
    /// given by the day before, and is the last one accepted; a refusal changes nothing; the participants
    /// (the published draw) never change; the free seats are the declines; a decliner is never attending.
    #[test]
    fn answers_keep_to_participants_and_the_day_before(
        steps in proptest::collection::vec((1u128..6, any::<bool>(), 0i64..12), 0..30),
        seed in any::<[u8; 32]>(),
    ) {
        let on = NaiveDate::from_ymd_opt(2026, 4, 20).unwrap();
        let first = NaiveDate::from_ymd_opt(2026, 4, 10).unwrap();
        let title = crate::registry::ShortText::parse("开放日").unwrap();
        let (mut a, _) = Activity::plan(
            crate::ids::ActivityId(Uuid::from_u128(1)), ActivityKind::OpenDay, title.clone(), on, title, 2,
            BTreeSet::new(), Selection::Lottery { proportional: true },
        ).unwrap();
        let cands: Vec<Candidate> = (1..=4).map(|n| cand(n, 2, 0)).collect();
        let pool = strata(&cands, 2, Selection::Lottery { proportional: true });
        let promise = lottery::SeedPromise::Committed { commitment: "c".into(), reason: None };
        for c in [
            ActivityCommand::Commit { pool, earlier: None, fingerprint: "fp".into(), promise },
            ActivityCommand::Draw { seed, reveal: lottery::Reveal::Seed { seed_hash: "c".into() }, earlier: None },
        ] {
            let es = a.decide(c, first).unwrap();
            for e in &es { a.apply(e); }
        }
        let drawn = a.participants.clone();
        let mut last: BTreeMap<DeputyId, bool> = BTreeMap::new();
        for (who, yes, day) in steps {
            let today = first + chrono::Duration::days(day);
            let answer = if yes {
                ActivityAnswer::Confirmed
            } else {
                ActivityAnswer::Declined { reason: LongText::parse("有事").unwrap() }
            };
            let before = a.clone();
            match a.decide(ActivityCommand::Answer { deputy: dep(who), answer, recorded_by: None }, today) {
                Ok(es) => {
                    prop_assert!(drawn.contains(&dep(who)) && today < on);
                    prop_assert_ne!(last.get(&dep(who)), Some(&yes));
                    for e in &es { a.apply(e); }
                    last.insert(dep(who), yes);
                }
                Err(_) => prop_assert_eq!(&a, &before),
            }
            prop_assert_eq!(&a.participants, &drawn);
            prop_assert!(a.responses.keys().all(|d| drawn.contains(d)));
            prop_assert_eq!(a.free_seats(), last.values().filter(|y| !**y).count());
        }
        let decliners: BTreeSet<DeputyId> = last.iter().filter(|(_, y)| !**y).map(|(d, _)| *d).collect();
        let hold = ActivityCommand::Hold { attended: drawn.iter().copied().collect() };
        match a.decide(hold, on) {
            Ok(_) => prop_assert!(decliners.is_empty()),
            Err(e) => prop_assert!(matches!(e, ActivityError::DeclinedSeat(d) if decliners.contains(&d))),
        }
    }
}
