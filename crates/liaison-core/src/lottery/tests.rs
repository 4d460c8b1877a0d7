//! Tests of `lottery`: given/when/then, golden values and property tests.

use proptest::prelude::*;
use rand_core::RngCore;

use super::*;

fn pool(n: usize) -> Vec<String> {
    (0..n).map(|i| format!("d{i:02}")).collect()
}

/// Golden vectors: these exact outputs are the contract with every past draw. If a dependency update
/// changes them, past draws could no longer be verified: do not update the vectors, pin the crate.
#[test]
fn golden_vectors() {
    let mut rng = ChaCha20Rng::from_seed([0u8; 32]);
    // RFC 7539 / the original ChaCha20 test vector: the zero key and nonce give 76 b8 e0 ad a0 f1 3d 90 …
    assert_eq!(rng.next_u64(), 0x903d_f1a0_ade0_b876, "ChaCha20 keystream for the zero seed");
    let one = Stratum { name: "all".into(), candidates: pool(10), quota: 10 };
    let got = draw(std::slice::from_ref(&one), &[0u8; 32]).unwrap();
    assert_eq!(got, GOLDEN_ZERO_SEED.iter().map(|s| s.to_string()).collect::<Vec<_>>());
    let seed = parse_seed("000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f").unwrap();
    let strata = vec![
        Stratum { name: "county".into(), candidates: pool(6), quota: 2 },
        Stratum { name: "township".into(), candidates: (0..5).map(|i| format!("t{i}")).collect(), quota: 1 },
    ];
    assert_eq!(
        draw(&strata, &seed).unwrap(),
        GOLDEN_STRATIFIED.iter().map(|s| s.to_string()).collect::<Vec<_>>()
    );
    assert_eq!(canonical(&strata), "county:2:d00,d01,d02,d03,d04,d05\ntownship:1:t0,t1,t2,t3,t4");
}

/// The shares: the first number of the stream places the rounding's point, the group whose interval
/// holds it gets the seat (its first stratum with a candidate left); pinned, and every part of the pool
/// and promise is in the canonical text (format 2).
#[test]
fn shared_seats_are_placed_by_the_stream_and_pinned() {
    let strata = vec![
        Stratum { name: "national/chosen0".into(), candidates: pool(1), quota: 0 },
        Stratum {
            name: "county/chosen0".into(),
            candidates: (0..2).map(|i| format!("c{i}")).collect(),
            quota: 1,
        },
        Stratum { name: "county/chosen1".into(), candidates: vec!["c9".into()], quota: 0 },
    ];
    let shares = Apportionment {
        step: 4,
        groups: vec![
            ShareGroup { name: "national".into(), length: 1, strata: vec![0] },
            ShareGroup { name: "county".into(), length: 3, strata: vec![1, 2] },
        ],
    };
    assert_eq!(shares.extra(), 1);
    assert_eq!(shares.quotas(&strata, 0), vec![1, 1, 0], "u = 0 falls in national's [0, 1)");
    assert_eq!(shares.quotas(&strata, 1), vec![0, 2, 0], "u = 1 falls in county's [1, 4): its first tier");
    assert_eq!(shares.quotas(&strata, 3), vec![0, 2, 0]);
    let p = Pool { strata: strata.clone(), shares: Some(shares.clone()), matter: None };
    assert_eq!(p.seats(), 2);
    let inc: Vec<(u64, u64)> = p.inclusion().iter().map(|i| (i.numerator, i.denominator)).collect();
    assert_eq!(
        inc,
        vec![(1, 4), (7, 8), (0, 1)],
        "national 1/4; county first tier (1 + 3/4)/2; second tier none"
    );
    let seed = [3u8; 32];
    assert_eq!(
        draw_pool(&p, &seed).unwrap(),
        vec!["d00".to_string(), "c0".to_string()],
        "golden: u lands in national"
    );
    assert_eq!(draw_pool(&Pool::plain(strata.clone()), &seed), draw(&strata, &seed), "no shares: as before");
    let promise = SeedPromise::Committed { commitment: "ab".into(), reason: None };
    assert_eq!(
        canonical_v2(&p, &promise),
        "national/chosen0:0:d00\ncounty/chosen0:1:c0,c1\ncounty/chosen1:0:c9\nshare:national:1/4:0\nshare:county:3/4:1,2\npromise:committed:ab"
    );
    let bad =
        Apportionment { step: 2, groups: vec![ShareGroup { name: "x".into(), length: 3, strata: vec![0] }] };
    assert_eq!(bad.check(&strata), Err(LotteryError::BadShares), "a length over the step");
    let bad =
        Apportionment { step: 4, groups: vec![ShareGroup { name: "x".into(), length: 3, strata: vec![0] }] };
    assert_eq!(bad.check(&strata), Err(LotteryError::BadShares), "not a whole number of seats");
    let bad =
        Apportionment { step: 1, groups: vec![ShareGroup { name: "x".into(), length: 1, strata: vec![7] }] };
    assert!(
        draw_pool(&Pool { strata, shares: Some(bad), matter: None }, &seed).is_err(),
        "an index outside the strata"
    );
}

/// Proportional: 2 seats among 6 + 3 deputies: ⌊2·6/9⌋ = 1 and ⌊2·3/9⌋ = 0 fixed, the remainders 12 mod 9
/// and 6 mod 9 the intervals on a line of step 9, one seat shared.
#[test]
fn split_proportional_known_answers() {
    let s = split(&[6, 3], 2, true);
    assert_eq!((s.fixed, s.lengths.clone(), s.step), (vec![1, 0], vec![3, 6], 9));
    assert_eq!(split(&[6, 3], 2, true).extra(), 1);
    // A level of 2 in a pool of 400 keeps its chance: 10·2/400 = 0 fixed, 20/400 of one more seat.
    let s = split(&[2, 398], 10, true);
    assert_eq!((s.fixed.clone(), s.lengths.clone(), s.step, s.extra()), (vec![0, 9], vec![20, 380], 400, 1));
    // Exact division: nothing left to share.
    let s = split(&[4, 8], 3, true);
    assert_eq!((s.fixed.clone(), s.lengths.clone(), s.step, s.extra()), (vec![1, 2], vec![0, 0], 12, 0));
    // More seats than candidates: every candidate.
    let s = split(&[2, 1], 5, true);
    assert_eq!((s.fixed.clone(), s.lengths.clone(), s.extra()), (vec![2, 1], vec![0, 0], 0));
    let s = split(&[2, 2], 0, true);
    assert_eq!((s.fixed, s.lengths, s.step), (vec![0, 0], vec![0, 0], 1));
    let s = split(&[], 3, true);
    assert_eq!((s.fixed, s.lengths, s.step), (vec![], vec![], 1));
}

#[test]
fn split_equal_known_answers() {
    let eq = |sizes: &[usize], seats| {
        let s = split(sizes, seats, false);
        (s.fixed.clone(), s.lengths.clone(), s.step, s.extra())
    };
    // 7 seats, three groups of 5: 2 each, the seventh to one of the three with chance 1/3.
    assert_eq!(eq(&[5, 5, 5], 7), (vec![2, 2, 2], vec![1, 1, 1], 3, 1));
    // 3 seats, two groups: 1 each, the third to either with chance 1/2.
    assert_eq!(eq(&[4, 6], 3), (vec![1, 1], vec![1, 1], 2, 1));
    // A group smaller than its share takes all it has; the rest shared among the others.
    assert_eq!(eq(&[1, 5, 5], 7), (vec![1, 3, 3], vec![0, 0, 0], 2, 0));
    // Exactly the share: taken whole (≤, not <), and the others share the rest.
    assert_eq!(eq(&[0, 4, 2], 5), (vec![0, 3, 2], vec![0, 0, 0], 1, 0));
    assert_eq!(eq(&[2, 9, 9], 7), (vec![2, 2, 2], vec![0, 1, 1], 2, 1));
    // Every group small: every candidate, nothing shared.
    assert_eq!(eq(&[3, 3], 10), (vec![3, 3], vec![0, 0], 1, 0));
    assert_eq!(eq(&[3, 0, 3], 4), (vec![2, 0, 2], vec![0, 0, 0], 2, 0));
    assert_eq!(eq(&[0, 0], 4), (vec![0, 0], vec![0, 0], 1, 0));
}

fn stratum(name: &str, candidates: usize, quota: usize) -> Stratum {
    Stratum { name: name.into(), candidates: (0..candidates).map(|i| format!("{name}{i}")).collect(), quota }
}

/// Three intervals of length 2 on a line of step 3, two seats: `u` and `u + 3`. Each interval `[a, b)`
/// holds a point at `a` and at `b − 1` and none at `b`.
#[test]
fn quotas_at_each_intervals_edges() {
    let strata = vec![stratum("a", 5, 0), stratum("b", 5, 1), stratum("c", 5, 0)];
    let g = |name: &str, i| ShareGroup { name: name.into(), length: 2, strata: vec![i] };
    let sh = Apportionment { step: 3, groups: vec![g("a", 0), g("b", 1), g("c", 2)] };
    assert_eq!(sh.check(&strata), Ok(()));
    assert_eq!(sh.extra(), 2);
    // u = 0: points 0 (a's start) and 3 (b's last); 6 would be c's end.
    assert_eq!(sh.quotas(&strata, 0), vec![1, 2, 0]);
    // u = 1: points 1 (a's last) and 4 (c's start); 2 is a's end.
    assert_eq!(sh.quotas(&strata, 1), vec![1, 1, 1]);
    // u = 2: points 2 (a's end = b's start) and 5 (c's last).
    assert_eq!(sh.quotas(&strata, 2), vec![0, 2, 1]);
    let p = Pool { strata: strata.clone(), shares: Some(sh), matter: None };
    assert_eq!(p.seats(), 3);
    let inc: Vec<(u64, u64)> = p.inclusion().iter().map(|i| (i.numerator, i.denominator)).collect();
    // a: (0 + 2/3)/5 = 2/15; b: (1 + 2/3)/5 = 1/3; c: 2/15.
    assert_eq!(inc, vec![(2, 15), (1, 3), (2, 15)]);
}

/// A group's seat goes to its first stratum with a candidate left, one seat only, never beyond a
/// stratum's candidates; a stratum without candidates has chance 0/1.
#[test]
fn a_full_first_stratum_passes_the_seat_and_inclusion_is_exact() {
    let strata = vec![stratum("a", 1, 1), stratum("b", 3, 0), stratum("c", 4, 1), stratum("d", 0, 0)];
    let sh = Apportionment {
        step: 5,
        groups: vec![
            ShareGroup { name: "ab".into(), length: 2, strata: vec![0, 1] },
            ShareGroup { name: "cd".into(), length: 3, strata: vec![2, 3] },
        ],
    };
    assert_eq!(sh.check(&strata), Ok(()));
    assert_eq!(sh.extra(), 1);
    assert_eq!(sh.quotas(&strata, 0), vec![1, 1, 1, 0], "a is full: b takes the seat");
    assert_eq!(sh.quotas(&strata, 1), vec![1, 1, 1, 0]);
    assert_eq!(sh.quotas(&strata, 2), vec![1, 0, 2, 0]);
    assert_eq!(sh.quotas(&strata, 4), vec![1, 0, 2, 0]);
    let p = Pool { strata: strata.clone(), shares: Some(sh), matter: None };
    assert_eq!(p.seats(), 3);
    let inc: Vec<(String, usize, u64, u64)> =
        p.inclusion().into_iter().map(|i| (i.stratum, i.candidates, i.numerator, i.denominator)).collect();
    assert_eq!(
        inc,
        vec![("a".into(), 1, 1, 1), ("b".into(), 3, 2, 15), ("c".into(), 4, 2, 5), ("d".into(), 0, 0, 1),]
    );
    // Without shares: quota over size, reduced.
    let plain = Pool::plain(vec![stratum("x", 6, 4), stratum("y", 9, 3)]);
    let inc: Vec<(u64, u64)> = plain.inclusion().iter().map(|i| (i.numerator, i.denominator)).collect();
    assert_eq!(inc, vec![(2, 3), (1, 3)]);
    assert_eq!(plain.seats(), 7);
    assert_eq!(Apportionment { step: 0, groups: vec![] }.extra(), 0);
}

/// The proportional split's pool gives every deputy the same chance, seats / N, whatever the level.
#[test]
fn a_proportional_split_gives_everyone_seats_over_n() {
    let s = split(&[6, 3], 2, true);
    let strata = vec![stratum("county", 6, s.fixed[0]), stratum("township", 3, s.fixed[1])];
    let groups = (0..2)
        .map(|i| ShareGroup { name: strata[i].name.clone(), length: s.lengths[i], strata: vec![i] })
        .collect();
    let p = Pool { strata, shares: Some(Apportionment { step: s.step, groups }), matter: None };
    assert_eq!(p.seats(), 2);
    let inc: Vec<(u64, u64)> = p.inclusion().iter().map(|i| (i.numerator, i.denominator)).collect();
    assert_eq!(inc, vec![(2, 9), (2, 9)]);
    // Which stratum gets the shared seat (issue 22: the old largest-remainder quotas gave [1, 1] always):
    // county's interval is [0, 3), township's [3, 9), so the point u gives the county its second seat for
    // u < 3 and the township its seat for the six others.
    // The committed record states the same chances and seats.
    let promise = SeedPromise::Committed { commitment: "ab".into(), reason: None };
    let rec = DrawRecord::committed(p.clone(), "fp".into(), promise);
    let inc: Vec<(String, u64, u64)> =
        rec.inclusion().into_iter().map(|i| (i.stratum, i.numerator, i.denominator)).collect();
    assert_eq!(inc, vec![("county".into(), 2, 9), ("township".into(), 2, 9)]);
    assert_eq!(rec.seats(), 2);
    let sh = p.shares.as_ref().unwrap();
    let by_u: Vec<Vec<usize>> = (0..9).map(|u| sh.quotas(&p.strata, u)).collect();
    let (two_none, one_each) = (vec![2, 0], vec![1, 1]);
    assert_eq!(by_u[..3], [two_none.clone(), two_none.clone(), two_none]);
    assert!(by_u[3..].iter().all(|q| *q == one_each), "{by_u:?}");
}

/// A record's canonical text by its format, a record without a format read as format 1, and the
/// replacement drawn up to the last candidate of the last stratum and no further.
#[test]
fn records_keep_their_format_and_replacements_stop_at_the_last_candidate() {
    let strata = vec![stratum("county", 3, 2)];
    let promise = SeedPromise::Committed { commitment: "ab".into(), reason: None };
    let mut r = DrawRecord::committed(Pool::plain(strata.clone()), "fp".into(), promise.clone());
    assert_eq!(r.format, FORMAT);
    assert_eq!(r.seats(), 2);
    let m = Pool::plain(strata.clone()).for_matter("activity:2026-06-01".into());
    assert_eq!((m.strata.clone(), m.matter.as_deref()), (strata.clone(), Some("activity:2026-06-01")));
    assert_eq!(r.canonical(), canonical_v2(&Pool::plain(strata.clone()), &promise));
    assert_eq!(r.canonical(), "county:2:county0,county1,county2\npromise:committed:ab");
    let mut json = serde_json::to_value(&r).unwrap();
    json.as_object_mut().unwrap().remove("format");
    let old: DrawRecord = serde_json::from_value(json).unwrap();
    assert_eq!(old.format, 1, "records made before format 2 carry no format");
    assert_eq!(old.canonical(), "county:2:county0,county1,county2");
    assert_eq!(r.next_replacement(), None, "nothing drawn yet");
    let seed = [5u8; 32];
    r.seed = Some(seed_hex(&seed));
    r.drawn = r.recompute(&seed).unwrap();
    assert_eq!(r.drawn.len(), 2);
    // Quota 2 + 1 = 3 candidates: the third is the replacement.
    let third = r.next_replacement().unwrap();
    assert!(!r.drawn.contains(&third) && r.strata[0].candidates.contains(&third));
    r.replacements.push(Replacement {
        out: r.drawn[0].clone(),
        reason: "近亲属".into(),
        on: NaiveDate::from_ymd_opt(2026, 6, 1).unwrap(),
        replacement: third.clone(),
    });
    assert_eq!(r.recompute(&seed).unwrap()[2], third);
    assert_eq!(r.participants(), vec![r.drawn[1].clone()]);
    assert_eq!(r.next_replacement(), None, "the pool is exhausted");
}

const GOLDEN_ZERO_SEED: [&str; 10] = ["d00", "d03", "d07", "d05", "d08", "d06", "d04", "d09", "d02", "d01"];
const GOLDEN_STRATIFIED: [&str; 3] = ["d03", "d04", "t3"];

#[test]
fn seeds_parse_and_too_small_strata_are_refused() {
    assert!(parse_seed("00").is_none());
    assert!(parse_seed(&"g".repeat(64)).is_none());
    let s = [7u8; 32];
    assert_eq!(parse_seed(&seed_hex(&s)), Some(s));
    let bad = vec![Stratum { name: "x".into(), candidates: pool(2), quota: 3 }];
    assert!(matches!(draw(&bad, &s), Err(LotteryError::TooFew { .. })));
    let dup = vec![
        Stratum { name: "a".into(), candidates: vec!["x".into()], quota: 1 },
        Stratum { name: "b".into(), candidates: vec!["x".into()], quota: 1 },
    ];
    assert_eq!(draw(&dup, &s), Err(LotteryError::Duplicate("x".into())));
}

/// Every candidate is equally likely: over 8,000 fixed seeds, each of 8 candidates is drawn first
/// about 1,000 times (a fixed, repeatable sample: the bound is 5 standard deviations).
#[test]
fn draws_are_uniform_over_many_seeds() {
    let one = [Stratum { name: "all".into(), candidates: pool(8), quota: 2 }];
    let mut first = [0u32; 8];
    let mut second = [0u32; 8];
    for k in 0..8000u32 {
        let mut seed = [0u8; 32];
        seed[..4].copy_from_slice(&k.to_le_bytes());
        let d = draw(&one, &seed).unwrap();
        first[d[0][1..].parse::<usize>().unwrap()] += 1;
        second[d[1][1..].parse::<usize>().unwrap()] += 1;
    }
    for c in first.iter().chain(&second) {
        assert!((850..=1150).contains(c), "{first:?} {second:?}");
    }
}

proptest! {
    /// A draw never picks anyone twice, never picks outside its stratum, fills every quota, and the
    /// same pool and seed always give the same draw (whatever order the candidates were listed in).
    #[test]
    fn draws_are_fair_shaped_and_reproducible(seed in any::<[u8; 32]>(), sizes in proptest::collection::vec((1usize..30, 0usize..5), 1..5)) {
        let strata: Vec<Stratum> = sizes.iter().enumerate().map(|(k, (n, q))| Stratum {
            name: format!("s{k}"),
            candidates: (0..*n).map(|i| format!("s{k}-{i:03}")).collect(),
            quota: (*q).min(*n),
        }).collect();
        let a = draw(&strata, &seed).unwrap();
        let mut reversed = strata.clone();
        for s in &mut reversed { s.candidates.reverse(); }
        prop_assert_eq!(&a, &draw(&reversed, &seed).unwrap());
        let mut uniq = a.clone();
        uniq.sort();
        uniq.dedup();
        prop_assert_eq!(uniq.len(), a.len());
        let mut at = 0;
        for s in &strata {
            for x in &a[at..at + s.quota] { prop_assert!(s.candidates.contains(x)); }
            at += s.quota;
        }
        prop_assert_eq!(at, a.len());
    }
}

/// Issue 13 item 11 (found by fuzzing `lottery verify --file`): a record from outside stating absurd quotas
/// or share lengths (overflowing when added) is refused — a wrong fingerprint, too few candidates, bad
/// shares — never a panic on an overflow.
#[test]
fn issue13_absurd_quotas_and_lengths_are_refused_not_a_panic() {
    let strata = vec![stratum("national/chosen0", 1, usize::MAX), stratum("county/chosen0", 2, 1)];
    let shares = Apportionment {
        step: 8,
        groups: vec![
            ShareGroup { name: "national".into(), length: u64::MAX, strata: vec![0] },
            ShareGroup { name: "county".into(), length: 8, strata: vec![1] },
        ],
    };
    let promise = SeedPromise::Committed { commitment: "0".repeat(64), reason: None };
    let mut d = DrawRecord::committed(
        Pool { strata, shares: Some(shares.clone()), matter: None },
        String::new(),
        promise,
    );
    assert_eq!(d.seats(), usize::MAX, "saturates");
    assert!(shares.check(&d.strata).is_err(), "lengths that overflow are bad shares");
    assert!(d.recompute(&[0; 32]).is_err());
    d.shares = None;
    assert!(matches!(d.recompute(&[0; 32]), Err(LotteryError::TooFew { .. })));
    assert!(d.pool().inclusion().iter().all(|i| i.denominator > 0));
}
