//! Tests of the staff pages.
