//! The password policy of staff accounts (MLPS level 3): at least ten characters, not the login and not
//! containing it, not one of the most common passwords of published breach lists (shipped as data,
//! compared case-insensitively). A pure check: hashing is the app's.

use super::PasswordError;

/// The fewest characters a password may have.
pub const MIN_CHARS: usize = 10;
/// The most characters a password may have (a bound on the work a hash does for one request).
pub const MAX_CHARS: usize = 128;

/// The known-breached list: one password a line, `#` lines are comments.
const COMMON: &str = include_str!("../../data/common-passwords.txt");

/// Whether `password` is on the shipped list of common passwords (case-insensitively).
pub(crate) fn is_common(password: &str) -> bool {
    COMMON.lines().filter(|l| !l.starts_with('#')).any(|l| l.eq_ignore_ascii_case(password))
}

/// Check a new password for the account `login`: the first rule it breaks, or `Ok`. Every refusal names
/// the field `password` and its reason (zh/en).
pub fn check_password(login: &str, password: &str) -> Result<(), PasswordError> {
    let chars = password.chars().count();
    if chars < MIN_CHARS {
        return Err(PasswordError::TooShort { min: MIN_CHARS });
    }
    if chars > MAX_CHARS {
        return Err(PasswordError::TooLong { max: MAX_CHARS });
    }
    if password.trim().is_empty() || password.chars().any(char::is_control) {
        return Err(PasswordError::Unprintable);
    }
    let (login, lower) = (login.trim().to_lowercase(), password.to_lowercase());
    if !login.is_empty() {
        if lower == login {
            return Err(PasswordError::IsLogin);
        }
        if lower.contains(&login) {
            return Err(PasswordError::ContainsLogin);
        }
    }
    if is_common(password) {
        return Err(PasswordError::Common);
    }
    Ok(())
}
