/*
 * liaison_core.h: the C ABI of liaison-core-ffi (the working-day calendar, draw verification, the rights
 * rule of the Law on Deputies). Every function takes a NUL-terminated UTF-8 JSON text and returns a new
 * one, which the caller frees with liaison_free. A refusal is a problem object
 * {"type": "urn:liaison:problem:...", "title": ..., "detail": ...}; a result never has a top-level "type".
 * No call keeps its argument; no call panics or aborts on bad input. Thread-safe.
 *
 * Kept by hand: crates/liaison-core-ffi/tests/ffi.rs fails when it and src/abi.rs disagree, and compiles
 * a C caller against it.
 */
#ifndef LIAISON_CORE_H
#define LIAISON_CORE_H

#ifdef __cplusplus
extern "C" {
#endif

/* {"start": "2026-04-10", "period": {"unit": "working_days", "count": 20}, "schedule": {...}?}
 * -> {"due", "provisional", "assumed_years", "note_zh", "note_en", "basis"} */
char *liaison_deadline(const char *request);

/* a published draw record (or {"draw": ...}, inside {"activity": ...} or {"review": ...})
 * -> {"ok", "fingerprint_matches", "commitment_matches", "draw_matches", "recomputed", "problems", ...} */
char *liaison_verify_draw(const char *record);

/* {"level": "county"} -> {"level", "permission_required", "authority", "requirement_zh", "requirement_en"} */
char *liaison_protection(const char *request);

/* frees a text returned by the functions above; NULL is ignored */
void liaison_free(char *text);

#ifdef __cplusplus
}
#endif

#endif /* LIAISON_CORE_H */
