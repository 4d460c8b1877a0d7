//! TOTP (RFC 6238 over RFC 4226): HMAC-SHA-1, six digits, thirty-second steps, one step of drift either
//! way; the otpauth:// URI and its QR code drawn on the server as SVG. Written over `hmac` and `sha1`
//! rather than `totp-rs`: replay refusal needs the step a code matched, which `totp-rs` checks but does
//! not return, so the crate would add a dependency tree for the forty lines below.

use hmac::{Hmac, Mac};
use sha1::Sha1;

/// Seconds per step.
pub const STEP_SECONDS: i64 = 30;
/// Digits per code.
pub const DIGITS: u32 = 6;
/// Bytes of a new secret (160 bits, as RFC 4226 recommends).
pub const SECRET_BYTES: usize = 20;

/// The RFC 4226 HOTP value of `counter`, `digits` long.
pub fn hotp(secret: &[u8], counter: u64, digits: u32) -> u32 {
    // HMAC takes a key of any length: `new_from_slice` cannot fail for it.
    let Ok(mut mac) = Hmac::<Sha1>::new_from_slice(secret) else { return u32::MAX };
    mac.update(&counter.to_be_bytes());
    let h = mac.finalize().into_bytes();
    let offset = usize::from(h[19] & 0x0f);
    let bin = (u32::from(h[offset]) & 0x7f) << 24
        | u32::from(h[offset + 1]) << 16
        | u32::from(h[offset + 2]) << 8
        | u32::from(h[offset + 3]);
    bin % 10u32.pow(digits)
}

/// The step of a moment (seconds since the epoch).
pub fn step_of(unix_seconds: i64) -> u64 {
    (unix_seconds.max(0) / STEP_SECONDS) as u64
}

/// The six-digit code of a step.
pub fn code_at_step(secret: &[u8], step: u64) -> String {
    format!("{:0width$}", hotp(secret, step, DIGITS), width = DIGITS as usize)
}

/// The step `code` matches at `unix_seconds`, the step before or the step after (in that order of
/// preference: the current one first), or `None`. Every candidate is compared, in constant time.
pub fn verify(secret: &[u8], code: &str, unix_seconds: i64) -> Option<u64> {
    let code: String = code.chars().filter(|c| !c.is_whitespace()).collect();
    if code.len() != DIGITS as usize || !code.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let now = step_of(unix_seconds);
    let mut found = None;
    for step in [now, now.saturating_sub(1), now + 1] {
        let want = code_at_step(secret, step);
        let same = want.bytes().zip(code.bytes()).fold(0u8, |acc, (a, b)| acc | (a ^ b)) == 0;
        if same && found.is_none() {
            found = Some(step);
        }
    }
    found
}

/// RFC 4648 base32 without padding (what authenticator apps read).
pub fn base32(bytes: &[u8]) -> String {
    const ALPHABET: &[u8; 32] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
    let mut out = String::with_capacity(bytes.len().div_ceil(5) * 8);
    let (mut buffer, mut bits) = (0u32, 0u32);
    for &b in bytes {
        buffer = (buffer << 8) | u32::from(b);
        bits += 8;
        while bits >= 5 {
            out.push(char::from(ALPHABET[((buffer >> (bits - 5)) & 31) as usize]));
            bits -= 5;
        }
    }
    if bits > 0 {
        out.push(char::from(ALPHABET[((buffer << (5 - bits)) & 31) as usize]));
    }
    out
}

fn percent(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' => char::from(b).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}

/// The `otpauth://totp/…` URI an authenticator app enrols from.
pub fn uri(issuer: &str, account: &str, secret: &[u8]) -> String {
    format!(
        "otpauth://totp/{}:{}?secret={}&issuer={}&algorithm=SHA1&digits={DIGITS}&period={STEP_SECONDS}",
        percent(issuer),
        percent(account),
        base32(secret),
        percent(issuer)
    )
}

/// The URI as a QR code, an SVG document drawn on the server (no script, no external image).
pub fn qr_svg(uri: &str) -> Option<String> {
    let code = qrcode::QrCode::with_error_correction_level(uri.as_bytes(), qrcode::EcLevel::M).ok()?;
    Some(code.render::<qrcode::render::svg::Color<'_>>().min_dimensions(200, 200).quiet_zone(true).build())
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    const RFC_SECRET: &[u8] = b"12345678901234567890";

    /// RFC 6238, appendix B (SHA-1): the eight-digit values, and their last six digits as the six-digit
    /// codes (the same truncation modulo 10^6).
    #[test]
    fn rfc_6238_test_vectors() {
        let vectors = [
            (59, 94287082),
            (1111111109, 7081804),
            (1111111111, 14050471),
            (1234567890, 89005924),
            (2000000000, 69279037),
            (20000000000, 65353130),
        ];
        for (t, want) in vectors {
            assert_eq!(hotp(RFC_SECRET, step_of(t), 8), want, "t = {t}");
            assert_eq!(code_at_step(RFC_SECRET, step_of(t)), format!("{:06}", want % 1_000_000), "t = {t}");
        }
    }

    /// RFC 4226, appendix D: HOTP values for counters 0–9.
    #[test]
    fn rfc_4226_test_vectors() {
        let want = [755224, 287082, 359152, 969429, 338314, 254676, 287922, 162583, 399871, 520489];
        for (c, w) in want.iter().enumerate() {
            assert_eq!(hotp(RFC_SECRET, c as u64, 6), *w);
        }
    }

    #[test]
    fn a_code_is_good_one_step_either_way_and_not_two() {
        let t = 1111111111;
        let code = code_at_step(RFC_SECRET, step_of(t));
        assert_eq!(verify(RFC_SECRET, &code, t), Some(step_of(t)));
        assert_eq!(verify(RFC_SECRET, &code, t + 30), Some(step_of(t)));
        assert_eq!(verify(RFC_SECRET, &code, t - 30), Some(step_of(t)));
        assert_eq!(verify(RFC_SECRET, &code, t + 60), None);
        assert_eq!(verify(RFC_SECRET, "050 471", t), Some(step_of(t)), "spaces are ignored");
        assert_eq!(verify(RFC_SECRET, "12345", t), None);
        assert_eq!(verify(RFC_SECRET, "abcdef", t), None);
    }

    #[test]
    fn base32_and_the_uri_follow_rfc_4648_and_the_key_uri_format() {
        assert_eq!(base32(b"foobar"), "MZXW6YTBOI");
        assert_eq!(base32(RFC_SECRET), "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ");
        let u = uri("某检察院", "office", RFC_SECRET);
        assert!(u.starts_with("otpauth://totp/%E6%9F%90"), "{u}");
        assert!(u.contains("secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ&issuer="), "{u}");
        let svg = qr_svg(&u).unwrap();
        assert!(svg.starts_with("<?xml") && svg.contains("<svg") && !svg.contains("<script"), "{svg:.80}");
    }
}
