//! A draw verifier: reproduces a published draw record from the record alone — the pool's fingerprint, the
//! seed against what was promised before the draw, and the draw recomputed from the pool and the seed.
//!
//! ```sh
//! cargo run -p liaison-core --example verify_draw -- crates/liaison-core/examples/data/draw.json
//! curl -s …/api/v1/activities/ID | cargo run -p liaison-core --example verify_draw      # standard input
//! ```
//!
//! The record is a draw record, or a published activity or review that holds one (`{"draw": …}`, possibly
//! inside `{"activity": …}` or `{"review": …}`). Exit code 0 when it verifies, 1 when it does not.

mod common;

use std::process::ExitCode;

use liaison_core::lottery::DrawRecord;
use serde::Deserialize;
use sm3::{Digest, Sm3};

/// The shapes a published record comes in.
#[derive(Deserialize)]
#[serde(untagged)]
enum Published {
    Activity { activity: Box<Published> },
    Review { review: Box<Published> },
    Wrapped { draw: DrawRecord },
    Bare(DrawRecord),
}

impl Published {
    fn into_record(self) -> DrawRecord {
        match self {
            Self::Activity { activity: inner } | Self::Review { review: inner } => inner.into_record(),
            Self::Wrapped { draw } | Self::Bare(draw) => draw,
        }
    }
}

fn sm3_hex(bytes: &[u8]) -> String {
    Sm3::digest(bytes).iter().map(|b| format!("{b:02x}")).collect()
}

fn main() -> Result<ExitCode, Box<dyn std::error::Error>> {
    let text = common::read_input(std::env::args().nth(1).as_deref())?;
    let record = serde_json::from_str::<Published>(&text)?.into_record();
    let v = record.verify(&sm3_hex);
    let mark = |ok: bool| if ok { "ok  " } else { "FAIL" };
    println!("seed source:  {}", v.seed_source);
    println!("fingerprint:  {} {}", mark(v.fingerprint_matches), v.fingerprint);
    println!("seed promise: {}", mark(v.commitment_matches));
    println!("draw:         {} {}", mark(v.draw_matches), v.recomputed.join(", "));
    for p in &v.problems {
        println!("  {}: {}", p.field, p.reason);
    }
    println!("{}", if v.ok { "verified" } else { "NOT verified" });
    Ok(if v.ok { ExitCode::SUCCESS } else { ExitCode::FAILURE })
}
