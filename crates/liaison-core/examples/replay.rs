//! A suggestion replayed from its event log: every event folded by `apply`, the status after each, and
//! where it ended (the answer, the deputies' ratings and verdict of each round, the closure).
//!
//! ```sh
//! cargo run -p liaison-core --example replay -- crates/liaison-core/examples/data/suggestion-events.json
//! ```
//!
//! The file is `{"id": "<uuid>", "events": [<SuggestionEvent>, …]}`, the events as the audit trail holds them.

mod common;

use std::process::ExitCode;

use liaison_core::ids::SuggestionId;
use liaison_core::suggestion::{Suggestion, SuggestionEvent};
use serde::Deserialize;

#[derive(Deserialize)]
struct EventFile {
    id: SuggestionId,
    events: Vec<SuggestionEvent>,
}

fn main() -> Result<ExitCode, Box<dyn std::error::Error>> {
    let file: EventFile = serde_json::from_str(&common::read_input(std::env::args().nth(1).as_deref())?)?;
    let Some((first, rest)) = file.events.split_first() else {
        eprintln!("the file has no event");
        return Ok(ExitCode::FAILURE);
    };
    let Some(mut s) = Suggestion::from_received(file.id, first) else {
        eprintln!("the first event is not a receipt (received)");
        return Ok(ExitCode::FAILURE);
    };
    println!("{:>3} {:<28} {}", 1, first.kind(), s.status.zh());
    for (i, e) in rest.iter().enumerate() {
        s.apply(e);
        println!("{:>3} {:<28} {}", i + 2, e.kind(), s.status.zh());
    }
    let number = s.number.map_or_else(|| "-".to_owned(), |n| n.to_string());
    println!("\n{number} {}  ({}, version {})", s.title, s.status.code(), s.version);
    for r in &s.rounds {
        let class = r.answer.as_ref().map_or("-", |a| a.class.code());
        let verdict = r.outcome.as_ref().map_or("未评定", |o| o.verdict.zh());
        println!("round {}: answer class {class}, {} rating(s), verdict {verdict}", r.n, r.ratings.len());
    }
    if let Some(c) = &s.closure {
        println!("closed on {}: {}", c.on, c.basis.zh());
    }
    Ok(ExitCode::SUCCESS)
}
