//! The review as an [`Aggregate`].

use chrono::NaiveDate;

use super::{Review, ReviewCommand, ReviewError, ReviewEvent, ReviewKind};
use crate::Aggregate;
use crate::aggregate::{domain_error, domain_event};
use crate::ids::ReviewId;
use crate::registry::{LongText, ShortText};

domain_error!(ReviewError);
domain_event!(ReviewEvent);

/// What registers a review.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RegisterReview {
    /// The case.
    pub case_ref: ShortText,
    /// What kind.
    pub kind: ReviewKind,
    /// Summary.
    pub summary: LongText,
    /// Registered on.
    pub on: NaiveDate,
    /// The earlier review of the case whose draw was committed: this one then waits for a leader's
    /// approval before its draw.
    pub replans: Option<String>,
}

impl Aggregate for Review {
    const KIND: &'static str = "review";
    type Id = ReviewId;
    type Create = RegisterReview;
    type Command = ReviewCommand;
    type Event = ReviewEvent;
    type Error = ReviewError;
    type Context<'a> = NaiveDate;
    type CreateContext<'a> = ();

    fn create(id: &ReviewId, c: RegisterReview, (): ()) -> Result<Vec<ReviewEvent>, ReviewError> {
        let id = *id;
        let (_, e) = match c.replans {
            Some(of) => Self::register_again(id, c.case_ref, c.kind, c.summary, c.on, of),
            None => Self::register(id, c.case_ref, c.kind, c.summary, c.on),
        };
        Ok(vec![e])
    }
    fn created(id: &ReviewId, first: &ReviewEvent) -> Option<Self> {
        let ReviewEvent::Registered { case_ref, kind, summary, on, replans } = first else { return None };
        let (id, (case_ref, summary)) = (*id, (case_ref.clone(), summary.clone()));
        Some(match replans {
            Some(of) => Self::register_again(id, case_ref, *kind, summary, *on, of.clone()).0,
            None => Self::register(id, case_ref, *kind, summary, *on).0,
        })
    }
    fn decide(&self, c: ReviewCommand, today: NaiveDate) -> Result<Vec<ReviewEvent>, ReviewError> {
        Review::decide(self, c, today)
    }
    fn apply(&mut self, e: &ReviewEvent) {
        Review::apply(self, e)
    }
    fn version(&self) -> u64 {
        self.version
    }
}
