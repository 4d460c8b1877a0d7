//! The handlers, by resource.

pub(crate) mod admin;
pub(crate) mod deputies;
pub(crate) mod suggestions;
