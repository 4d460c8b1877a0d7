//! The C boundary: four functions, each a thin wrapper that reads the request, calls the safe function in
//! `lib.rs` inside `catch_unwind`, and hands back a new NUL-terminated JSON text the caller frees with
//! `liaison_free`. The only `unsafe` of the crate is here: reading the caller's string and taking back the
//! ones this library gave out. `include/liaison_core.h` declares these functions; a test checks that it
//! names exactly them.
#![allow(unsafe_code, reason = "the C ABI: raw pointers from and to the caller, exported unmangled names")]

use std::ffi::{CStr, CString, c_char};
use std::panic::{AssertUnwindSafe, catch_unwind};

use crate::Problem;

/// The answer when not even a problem can be written (a serialiser failure: not expected).
const LAST_RESORT: &CStr = c"{\"type\":\"urn:liaison:problem:internal\",\"title\":\"internal error\",\"detail\":\"the answer could not be written\"}";

fn problem_text(p: &Problem) -> Option<String> {
    serde_json::to_string(p).ok()
}

/// Run `f` on the caller's request; every failure, a panic included, becomes a problem.
///
/// # Safety
/// `request` is null or points to a NUL-terminated string that stays valid for the call.
unsafe fn call(request: *const c_char, f: fn(&str) -> Result<String, Problem>) -> *mut c_char {
    let outcome = catch_unwind(AssertUnwindSafe(|| {
        if request.is_null() {
            return Err(Problem::new("null_request", "no request", "the request pointer is null"));
        }
        // SAFETY: not null, and NUL-terminated and valid for this call by the function's contract.
        let text = unsafe { CStr::from_ptr(request) }
            .to_str()
            .map_err(|e| Problem::new("invalid_utf8", "the request is not UTF-8", e.to_string()))?;
        f(text)
    }));
    let text = match outcome {
        Ok(Ok(json)) => Some(json),
        Ok(Err(p)) => problem_text(&p),
        Err(_) => problem_text(&Problem::new(
            "internal",
            "internal error",
            "the library failed on this request (a panic, caught at the boundary)",
        )),
    };
    text.and_then(|t| CString::new(t).ok()).unwrap_or_else(|| LAST_RESORT.to_owned()).into_raw()
}

/// A deadline on the working-day calendar and its explanation. Request: `{"start": "2026-04-10",
/// "period": {"unit": "working_days", "count": 20}}` (`unit` `months` for months), optionally with
/// `"schedule"`, a holiday schedule in the shape of `data/cn-holidays.toml` as JSON.
///
/// # Safety
/// `request` is null or a NUL-terminated string valid for the call. Free the result with [`liaison_free`].
#[unsafe(no_mangle)]
pub unsafe extern "C" fn liaison_deadline(request: *const c_char) -> *mut c_char {
    // SAFETY: the caller's contract, passed on.
    unsafe { call(request, crate::deadline) }
}

/// The verification of a published draw record (a draw record, `{"draw": …}`, or an activity or a review
/// that holds one).
///
/// # Safety
/// `record` is null or a NUL-terminated string valid for the call. Free the result with [`liaison_free`].
#[unsafe(no_mangle)]
pub unsafe extern "C" fn liaison_verify_draw(record: *const c_char) -> *mut c_char {
    // SAFETY: the caller's contract, passed on.
    unsafe { call(record, crate::verify_draw) }
}

/// What the Law on Deputies (art. 32) requires before a deputy of a level is arrested or tried. Request:
/// `{"level": "county"}` (or `"县"`).
///
/// # Safety
/// `request` is null or a NUL-terminated string valid for the call. Free the result with [`liaison_free`].
#[unsafe(no_mangle)]
pub unsafe extern "C" fn liaison_protection(request: *const c_char) -> *mut c_char {
    // SAFETY: the caller's contract, passed on.
    unsafe { call(request, crate::rights) }
}

/// Free a text this library returned. Null is ignored.
///
/// # Safety
/// `text` is null or a pointer returned by a `liaison_*` function of this library, not freed before.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn liaison_free(text: *mut c_char) {
    if !text.is_null() {
        // SAFETY: made by `CString::into_raw` in `call` and not freed before, by the function's contract.
        drop(unsafe { CString::from_raw(text) });
    }
}
