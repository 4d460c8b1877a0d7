//! The sample inputs of `examples/` are kept true: the published draw verifies (and an edited one does
//! not), and the event file replays to the closed suggestion the replay example describes.

use sm3::{Digest, Sm3};

use crate::ids::SuggestionId;
use crate::lottery::DrawRecord;
use crate::suggestion::{ClosureBasis, Suggestion, SuggestionEvent, SuggestionStatus, Verdict};

fn sm3_hex(bytes: &[u8]) -> String {
    Sm3::digest(bytes).iter().map(|b| format!("{b:02x}")).collect()
}

#[test]
fn the_sample_draw_verifies_and_an_edited_one_does_not() {
    let v: serde_json::Value = serde_json::from_str(include_str!("../examples/data/draw.json")).unwrap();
    let mut d: DrawRecord = serde_json::from_value(v["draw"].clone()).unwrap();
    let ok = d.verify(&sm3_hex);
    assert!(ok.ok, "{:?}", ok.problems);
    assert_eq!(ok.seed_source, "public");
    d.drawn.swap(0, 1);
    assert!(!d.verify(&sm3_hex).draw_matches);
    d.drawn.swap(0, 1);
    d.public_value = Some("另一期开奖号码".into());
    let forged = d.verify(&sm3_hex);
    assert_eq!((forged.commitment_matches, forged.ok), (false, false));
}

#[test]
fn the_sample_events_replay_to_a_closed_suggestion_after_a_second_round() {
    #[derive(serde::Deserialize)]
    struct File {
        id: SuggestionId,
        events: Vec<SuggestionEvent>,
    }
    let f: File = serde_json::from_str(include_str!("../examples/data/suggestion-events.json")).unwrap();
    let s = Suggestion::replay(f.id, &f.events).unwrap();
    assert_eq!(s.status, SuggestionStatus::Closed);
    assert_eq!(s.version, f.events.len() as u64);
    let verdicts: Vec<Verdict> =
        s.rounds.iter().filter_map(|r| r.outcome.as_ref().map(|o| o.verdict)).collect();
    assert_eq!(verdicts, [Verdict::Dissatisfied, Verdict::Satisfied]);
    assert_eq!(s.closure.map(|c| c.basis), Some(ClosureBasis::Satisfied));
}
