//! Keys and cryptography: personal data sealed with SM4-GCM, lookup values matched by a keyed hash
//! (HMAC-SM3), and the audit chain's keyed hash. All keys are derived from one 32-byte master key that
//! lives outside the database (configuration or a key file with mode 0600). Key material is wiped from
//! memory when it is dropped (`zeroize`): the master key as read, every derived key, the SM4 round keys.

use std::io::Write;
use std::path::Path;

use aes_gcm::aead::consts::U12;
use aes_gcm::aead::{Aead, KeyInit, Payload};
use aes_gcm::{AesGcm, Nonce};
use hmac::{Hmac, Mac};
use sm3::{Digest, Sm3};
use sm4::Sm4;
use zeroize::{Zeroize, ZeroizeOnDrop, Zeroizing};

use crate::StoreError;

type Sm4Gcm = AesGcm<Sm4, U12>;
type HmacSm3 = Hmac<Sm3>;

/// The master key and the keys derived from it.
#[derive(Clone)]
pub struct Keys {
    seal: Sm4Gcm,
    index: [u8; 32],
    audit: [u8; 32],
    checkpoint: [u8; 32],
}

impl Drop for Keys {
    fn drop(&mut self) {
        // `seal` wipes its own round keys (sm4 and aes-gcm with their `zeroize` features).
        self.index.zeroize();
        self.audit.zeroize();
        self.checkpoint.zeroize();
    }
}

impl ZeroizeOnDrop for Keys {}

impl std::fmt::Debug for Keys {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Keys(…)")
    }
}

fn derive(master: &[u8; 32], label: &str) -> [u8; 32] {
    let mut mac = <HmacSm3 as Mac>::new_from_slice(master).unwrap_or_else(|_| unreachable_hmac());
    mac.update(label.as_bytes());
    mac.finalize().into_bytes().into()
}

// HMAC accepts keys of any length, so `new_from_slice` cannot fail; this keeps the library panic-free.
fn unreachable_hmac() -> HmacSm3 {
    <HmacSm3 as KeyInit>::new(&Default::default())
}

impl Keys {
    /// Derive the working keys from the master key.
    pub fn from_master(master: &[u8; 32]) -> Self {
        let seal_key = Zeroizing::new(derive(master, "liaison/seal/sm4-gcm/v1"));
        let seal =
            Sm4Gcm::new_from_slice(&seal_key[..16]).unwrap_or_else(|_| Sm4Gcm::new(&Default::default()));
        Self {
            seal,
            index: derive(master, "liaison/index/hmac-sm3/v1"),
            audit: derive(master, "liaison/audit/hmac-sm3/v1"),
            checkpoint: derive(master, "liaison/checkpoint/hmac-sm3/v1"),
        }
    }

    /// Parse a master key written as 64 hex digits.
    pub fn from_hex(hex_key: &str) -> Result<Self, StoreError> {
        let bytes = Zeroizing::new(hex::decode(hex_key.trim()).map_err(|_| StoreError::KeyMalformed)?);
        let mut master = Zeroizing::new([0u8; 32]);
        if bytes.len() != master.len() {
            return Err(StoreError::KeyMalformed);
        }
        master.copy_from_slice(&bytes);
        Ok(Self::from_master(&master))
    }

    /// Read the key file, or create it (mode 0600, 32 random bytes as hex) when it does not exist.
    /// Returns the keys and whether the file was created now.
    pub fn load_or_create(path: &Path) -> Result<(Self, bool), StoreError> {
        match std::fs::read_to_string(path).map(Zeroizing::new) {
            Ok(text) => {
                check_permissions(path)?;
                Ok((Self::from_hex(&text)?, false))
            }
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                let mut master = Zeroizing::new([0u8; 32]);
                getrandom::fill(master.as_mut())
                    .map_err(|e| StoreError::Key(format!("no randomness: {e}")))?;
                let mut opts = std::fs::OpenOptions::new();
                opts.write(true).create_new(true);
                #[cfg(unix)]
                std::os::unix::fs::OpenOptionsExt::mode(&mut opts, 0o600);
                let mut f = opts.open(path)?;
                f.write_all(Zeroizing::new(hex::encode(master.as_ref())).as_bytes())?;
                f.sync_all()?;
                Ok((Self::from_master(&master), true))
            }
            Err(e) => Err(e.into()),
        }
    }

    /// Encrypt `plain`, bound to `aad` (who it belongs to). Output: 12-byte nonce ‖ ciphertext ‖ tag.
    pub fn seal(&self, aad: &[u8], plain: &[u8]) -> Result<Vec<u8>, StoreError> {
        let mut nonce = [0u8; 12];
        getrandom::fill(&mut nonce).map_err(|e| StoreError::Key(format!("no randomness: {e}")))?;
        let ct = self
            .seal
            .encrypt(Nonce::<U12>::from_slice(&nonce), Payload { msg: plain, aad })
            .map_err(|_| StoreError::Crypto("encryption failed"))?;
        let mut out = Vec::with_capacity(12 + ct.len());
        out.extend_from_slice(&nonce);
        out.extend_from_slice(&ct);
        Ok(out)
    }

    /// Decrypt what `seal` made with the same `aad`; fails if anything was altered or moved.
    pub fn open(&self, aad: &[u8], sealed: &[u8]) -> Result<Vec<u8>, StoreError> {
        if sealed.len() < 12 + 16 {
            return Err(StoreError::Crypto("sealed value too short"));
        }
        let (nonce, ct) = sealed.split_at(12);
        self.seal
            .decrypt(Nonce::<U12>::from_slice(nonce), Payload { msg: ct, aad })
            .map_err(|_| StoreError::Crypto("personal data failed authentication (wrong key or altered row)"))
    }

    /// A keyed hash for matching a personal value without storing it (`domain` separates uses).
    pub fn lookup_hash(&self, domain: &str, value: &str) -> String {
        let mut mac = <HmacSm3 as Mac>::new_from_slice(&self.index).unwrap_or_else(|_| unreachable_hmac());
        mac.update(domain.as_bytes());
        mac.update(&[0]);
        mac.update(value.as_bytes());
        hex::encode(mac.finalize().into_bytes())
    }

    /// The audit chain's keyed hash of one record's canonical bytes.
    pub fn audit_mac(&self, canonical: &[u8]) -> String {
        let mut mac = <HmacSm3 as Mac>::new_from_slice(&self.audit).unwrap_or_else(|_| unreachable_hmac());
        mac.update(canonical);
        hex::encode(mac.finalize().into_bytes())
    }
}

impl Keys {
    /// The signature of an audit checkpoint's canonical bytes (HMAC-SM3 under a key derived apart from the
    /// chain's own, so a checkpoint is never a valid chain hash and the reverse).
    pub fn checkpoint_mac(&self, canonical: &[u8]) -> String {
        let mut mac =
            <HmacSm3 as Mac>::new_from_slice(&self.checkpoint).unwrap_or_else(|_| unreachable_hmac());
        mac.update(canonical);
        hex::encode(mac.finalize().into_bytes())
    }

    /// Which key signs checkpoints, without revealing it: the first 16 hex digits of its MAC of a fixed text.
    pub fn checkpoint_key_id(&self) -> String {
        self.checkpoint_mac(b"liaison/checkpoint/key-id").chars().take(16).collect()
    }
}

/// SM3 of an API token (tokens are 256-bit random: an unkeyed hash suffices and survives key rotation).
pub fn token_hash(token: &str) -> String {
    sm3_hex(token.as_bytes())
}

/// SM3 of bytes, as lowercase hex (fingerprints of requests and files).
pub fn sm3_hex(bytes: &[u8]) -> String {
    hex::encode(Sm3::digest(bytes))
}

/// Fresh random bytes as lowercase hex.
pub fn random_hex(bytes: usize) -> Result<String, StoreError> {
    let mut buf = vec![0u8; bytes];
    getrandom::fill(&mut buf).map_err(|e| StoreError::Key(format!("no randomness: {e}")))?;
    Ok(hex::encode(buf))
}

#[cfg(unix)]
fn check_permissions(path: &Path) -> Result<(), StoreError> {
    use std::os::unix::fs::PermissionsExt;
    let mode = std::fs::metadata(path)?.permissions().mode();
    if mode & 0o077 != 0 {
        return Err(StoreError::KeyExposed { path: path.display().to_string(), mode: mode & 0o777 });
    }
    Ok(())
}

#[cfg(not(unix))]
fn check_permissions(_: &Path) -> Result<(), StoreError> {
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn seal_round_trips_and_is_bound_to_its_owner() {
        let k = Keys::from_master(&[7; 32]);
        let s = k.seal(b"t1/d1", b"13800138000").unwrap();
        assert_eq!(k.open(b"t1/d1", &s).unwrap(), b"13800138000");
        assert!(k.open(b"t1/d2", &s).is_err(), "moved to another row");
        let mut bad = s.clone();
        bad[14] ^= 1;
        assert!(k.open(b"t1/d1", &bad).is_err(), "altered");
        assert!(Keys::from_master(&[8; 32]).open(b"t1/d1", &s).is_err(), "wrong key");
    }

    #[test]
    fn lookup_hash_is_keyed_and_stable() {
        let k = Keys::from_master(&[7; 32]);
        assert_eq!(k.lookup_hash("id", "x"), k.lookup_hash("id", "x"));
        assert_ne!(k.lookup_hash("id", "x"), Keys::from_master(&[9; 32]).lookup_hash("id", "x"));
        assert_ne!(k.lookup_hash("id", "x"), k.lookup_hash("mobile", "x"));
    }

    #[test]
    fn key_file_is_created_private_and_reloaded() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("k");
        let (k1, created) = Keys::load_or_create(&p).unwrap();
        assert!(created);
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            assert_eq!(std::fs::metadata(&p).unwrap().permissions().mode() & 0o777, 0o600);
        }
        let (k2, created) = Keys::load_or_create(&p).unwrap();
        assert!(!created);
        assert_eq!(k1.lookup_hash("a", "b"), k2.lookup_hash("a", "b"));
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            std::fs::set_permissions(&p, std::fs::Permissions::from_mode(0o644)).unwrap();
            assert!(matches!(Keys::load_or_create(&p), Err(StoreError::KeyExposed { mode: 0o644, .. })));
        }
    }
}

#[cfg(test)]
mod zeroize_tests {
    use super::*;

    fn zeroized_on_drop<T: zeroize::ZeroizeOnDrop>() {}

    /// Issue 12, item 17: the keys, and the cipher holding the SM4 round keys, are wiped when dropped.
    #[test]
    fn key_material_is_zeroized_when_dropped() {
        zeroized_on_drop::<Keys>();
        zeroized_on_drop::<Sm4>();
    }
}
