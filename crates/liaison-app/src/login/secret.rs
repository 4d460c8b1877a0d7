//! Passwords hashed with argon2id (RustCrypto `argon2`, its default cost: 19 MiB, two passes, one lane —
//! OWASP's minimum for argon2id), recovery codes, and the random values of a session.

use std::sync::OnceLock;

use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::{Algorithm, Argon2, Params, Version};
use liaison_store::crypto::random_hex;

use crate::AppError;

/// How many recovery codes an enrolment gives.
pub const RECOVERY_CODES: usize = 10;

fn argon2() -> Argon2<'static> {
    Argon2::new(Algorithm::Argon2id, Version::V0x13, Params::default())
}

fn internal(what: &str) -> AppError {
    AppError::Store(liaison_store::StoreError::Key(format!("password hashing: {what}")))
}

/// The PHC string of `password` (`$argon2id$v=19$m=19456,t=2,p=1$…`) with a fresh 16-byte salt.
pub fn hash_password(password: &str) -> Result<String, AppError> {
    let salt = hex::decode(random_hex(16)?).map_err(|_| internal("salt"))?;
    let salt = SaltString::encode_b64(&salt).map_err(|_| internal("salt"))?;
    argon2().hash_password(password.as_bytes(), &salt).map(|h| h.to_string()).map_err(|_| internal("argon2"))
}

/// Whether `password` matches the stored PHC string (parameters read from it). A malformed hash matches
/// nothing.
pub fn verify_password(password: &str, stored: &str) -> bool {
    PasswordHash::new(stored).is_ok_and(|h| argon2().verify_password(password.as_bytes(), &h).is_ok())
}

/// Spend the same work as a real check when the login is unknown (or has no password), so that the
/// answer's timing does not tell whether a login exists.
pub(super) fn verify_dummy(password: &str) {
    static DUMMY: OnceLock<Option<String>> = OnceLock::new();
    if let Some(h) = DUMMY.get_or_init(|| hash_password("liaison-dummy-password-for-timing").ok()) {
        let _ = verify_password(password, h);
    }
}

/// A new recovery code: ten characters of an alphabet without look-alikes, as `xxxxx-xxxxx` (about 50
/// bits).
pub(super) fn new_recovery_code() -> Result<String, AppError> {
    const ALPHABET: &[u8; 32] = b"abcdefghjkmnpqrstuvwxyz234567890";
    let bytes = hex::decode(random_hex(10)?).map_err(|_| internal("random"))?;
    let chars: String = bytes.iter().map(|b| char::from(ALPHABET[usize::from(b & 31)])).collect();
    Ok(format!("{}-{}", &chars[..5], &chars[5..]))
}

/// A recovery code as typed, normalised (case, spaces and dashes ignored), or `None` when it cannot be
/// one.
pub(super) fn normalise_recovery(code: &str) -> Option<String> {
    let c: String =
        code.chars().filter(|c| !c.is_whitespace() && *c != '-').flat_map(char::to_lowercase).collect();
    (c.len() == 10 && c.bytes().all(|b| b.is_ascii_alphanumeric())).then_some(c)
}

/// Random bytes from the operating system.
pub(super) fn random_bytes(n: usize) -> Result<Vec<u8>, AppError> {
    hex::decode(random_hex(n)?).map_err(|_| internal("random"))
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn a_password_hash_is_argon2id_salted_and_verifies_only_its_password() {
        let a = hash_password("秋天的检察院联络站2026").unwrap();
        let b = hash_password("秋天的检察院联络站2026").unwrap();
        assert!(a.starts_with("$argon2id$v=19$m=19456,t=2,p=1$"), "{a}");
        assert_ne!(a, b, "salted");
        assert!(verify_password("秋天的检察院联络站2026", &a));
        assert!(!verify_password("秋天的检察院联络站2027", &a));
        assert!(!verify_password("x", "not a hash"));
    }

    #[test]
    fn recovery_codes_are_ten_characters_and_read_back_however_typed() {
        let c = new_recovery_code().unwrap();
        assert_eq!(c.len(), 11);
        let n = normalise_recovery(&c.to_uppercase().replace('-', " ")).unwrap();
        assert_eq!(n, c.replace('-', ""));
        assert_eq!(normalise_recovery("123456"), None);
    }
}
