//! Keys and secrets: the OS CSPRNG, password hashing, keyed digests for looking up API
//! and share keys, signed tokens, and the per-blob encryption keys. Everything here is
//! ring; nothing is hand-rolled but the framing.

use std::io::Write;
use std::num::NonZeroU32;
use std::os::unix::fs::OpenOptionsExt;
use std::path::Path;

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use ring::rand::{SecureRandom, SystemRandom};
use ring::{aead, digest, hkdf, hmac, pbkdf2};

/// Length of API keys and share keys.
pub const SECRET_KEY_LEN: usize = 64;

const ALNUM: &[u8; 62] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

pub fn random_bytes<const N: usize>() -> [u8; N] {
    let mut out = [0u8; N];
    SystemRandom::new()
        .fill(&mut out)
        .expect("the OS random number generator failed"); // ok: no entropy means no safe way on
    out
}

/// `len` characters of `[A-Za-z0-9]`, uniformly distributed: bytes at or above 248
/// (the largest multiple of 62 that fits) are thrown away instead of folded, which would
/// favour the first characters.
pub fn random_alnum(len: usize) -> String {
    let mut out = String::with_capacity(len);
    while out.len() < len {
        let pool: [u8; 96] = random_bytes();
        for byte in pool {
            if byte < 248 && out.len() < len {
                out.push(ALNUM[(byte % 62) as usize] as char);
            }
        }
    }
    out
}

pub fn new_secret_key() -> String {
    random_alnum(SECRET_KEY_LEN)
}

pub fn is_secret_key_shaped(s: &str) -> bool {
    s.len() == SECRET_KEY_LEN && s.bytes().all(|b| b.is_ascii_alphanumeric())
}

/// A human-typeable password for the first admin.
pub fn new_password() -> String {
    random_alnum(24)
}

const PASSWORD_SCHEME: &str = "pbkdf2-sha256";

/// `pbkdf2-sha256$<iterations>$<salt>$<hash>`, salt and hash in unpadded base64url.
pub fn hash_password(password: &str, iterations: u32) -> String {
    let iterations = NonZeroU32::new(iterations.max(1)).expect("max(1) is non-zero"); // ok: max(1)
    let salt: [u8; 16] = random_bytes();
    let mut hash = [0u8; 32];
    pbkdf2::derive(
        pbkdf2::PBKDF2_HMAC_SHA256,
        iterations,
        &salt,
        password.as_bytes(),
        &mut hash,
    );
    format!(
        "{PASSWORD_SCHEME}${iterations}${}${}",
        URL_SAFE_NO_PAD.encode(salt),
        URL_SAFE_NO_PAD.encode(hash)
    )
}

/// Constant-time check of `password` against a stored hash; a malformed hash never
/// matches.
pub fn verify_password(password: &str, stored: &str) -> bool {
    let mut parts = stored.split('$');
    let (Some(PASSWORD_SCHEME), Some(iterations), Some(salt), Some(hash), None) = (
        parts.next(),
        parts.next(),
        parts.next(),
        parts.next(),
        parts.next(),
    ) else {
        return false;
    };
    let Some(iterations) = iterations.parse().ok().and_then(NonZeroU32::new) else {
        return false;
    };
    let (Ok(salt), Ok(hash)) = (URL_SAFE_NO_PAD.decode(salt), URL_SAFE_NO_PAD.decode(hash)) else {
        return false;
    };
    pbkdf2::verify(
        pbkdf2::PBKDF2_HMAC_SHA256,
        iterations,
        &salt,
        password.as_bytes(),
        &hash,
    )
    .is_ok()
}

/// Equality of two secrets in time that depends only on their lengths.
pub fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    if a.len() != b.len() {
        return false;
    }
    let diff = a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y));
    std::hint::black_box(diff) == 0
}

pub fn sha256_hex(data: &[u8]) -> String {
    hex(digest::digest(&digest::SHA256, data).as_ref())
}

pub fn hex(bytes: &[u8]) -> String {
    use std::fmt::Write;
    let mut s = String::with_capacity(bytes.len() * 2);
    for b in bytes {
        let _ = write!(s, "{b:02x}");
    }
    s
}

/// What a keyed digest or signature is for; part of the signed message so that a value
/// made for one purpose is worthless for another.
#[derive(Debug, Clone, Copy)]
pub enum Purpose {
    ApiKey,
    ShareKey,
    PageToken,
    DownloadUrl,
    Csrf,
}

impl Purpose {
    fn label(self) -> &'static [u8] {
        match self {
            Purpose::ApiKey => b"sessionvault api key\0",
            Purpose::ShareKey => b"sessionvault share key\0",
            Purpose::PageToken => b"sessionvault page token\0",
            Purpose::DownloadUrl => b"sessionvault download url\0",
            Purpose::Csrf => b"sessionvault csrf\0",
        }
    }
}

/// The server's long-lived secrets, kept in `DATA/keys/` (mode 0600).
pub struct Keys {
    blob_master: [u8; 32],
    hmac: hmac::Key,
    /// Seals small secrets the server must show again later (share keys), derived from
    /// the blob master key under its own label so that it never equals a blob key.
    secrets: aead::LessSafeKey,
}

/// Nonce length of [`Keys::seal_secret`]: AES-256-GCM's 96 bits.
const SECRET_NONCE_LEN: usize = 12;

const BLOB_KEY_FILE: &str = "blob.key";
const HMAC_KEY_FILE: &str = "hmac.key";

impl Keys {
    /// Loads the keys from `dir`, creating any that are missing.
    pub fn load_or_create(dir: &Path) -> std::io::Result<Keys> {
        std::fs::create_dir_all(dir)?;
        let blob_master = load_or_create_key(&dir.join(BLOB_KEY_FILE))?;
        let hmac_secret = load_or_create_key(&dir.join(HMAC_KEY_FILE))?;
        Ok(Keys::from_parts(blob_master, &hmac_secret))
    }

    /// Fixed keys for unit tests only.
    pub fn for_tests() -> Keys {
        Keys::from_parts([7u8; 32], &[9u8; 32])
    }

    fn from_parts(blob_master: [u8; 32], hmac_secret: &[u8; 32]) -> Keys {
        let prk = hkdf::Salt::new(hkdf::HKDF_SHA256, b"sessionvault sealed secrets").extract(&blob_master);
        let okm = prk
            .expand(&[b"sessionvault secret key v1"], &aead::AES_256_GCM)
            .expect("32 bytes is a valid HKDF length"); // ok: fixed length
        Keys {
            blob_master,
            hmac: hmac::Key::new(hmac::HMAC_SHA256, hmac_secret),
            secrets: aead::LessSafeKey::new(aead::UnboundKey::from(okm)),
        }
    }

    /// Keyed digest of a secret (API key, share key): stored instead of the secret and
    /// used to look it up. Without the HMAC key a stolen database yields nothing to try
    /// offline, and the lookup compares digests the caller cannot steer, so it is no
    /// timing oracle.
    pub fn secret_digest(&self, purpose: Purpose, secret: &str) -> [u8; 32] {
        self.sign(purpose, secret.as_bytes())
    }

    pub fn sign(&self, purpose: Purpose, message: &[u8]) -> [u8; 32] {
        let mut ctx = hmac::Context::with_key(&self.hmac);
        ctx.update(purpose.label());
        ctx.update(message);
        let tag = ctx.sign();
        let mut out = [0u8; 32];
        out.copy_from_slice(tag.as_ref());
        out
    }

    /// Constant-time check of a signature made by [`Keys::sign`].
    pub fn verify(&self, purpose: Purpose, message: &[u8], tag: &[u8]) -> bool {
        let mut signed = Vec::with_capacity(purpose.label().len() + message.len());
        signed.extend_from_slice(purpose.label());
        signed.extend_from_slice(message);
        hmac::verify(&self.hmac, &signed, tag).is_ok()
    }

    /// `base64url(message || tag)`: an opaque token that cannot be altered unnoticed.
    pub fn seal_token(&self, purpose: Purpose, message: &[u8]) -> String {
        let mut raw = message.to_vec();
        raw.extend_from_slice(&self.sign(purpose, message));
        URL_SAFE_NO_PAD.encode(raw)
    }

    /// The message of a token made by [`Keys::seal_token`], or `None` if it was altered.
    pub fn open_token(&self, purpose: Purpose, token: &str) -> Option<Vec<u8>> {
        let raw = URL_SAFE_NO_PAD.decode(token).ok()?;
        if raw.len() < 32 {
            return None;
        }
        let (message, tag) = raw.split_at(raw.len() - 32);
        self.verify(purpose, message, tag).then(|| message.to_vec())
    }

    /// Encrypts a small secret for storage: `nonce || ciphertext || tag`, AES-256-GCM
    /// with a random 96-bit nonce. `purpose` is bound in as associated data, so a value
    /// sealed for one purpose does not open for another.
    pub fn seal_secret(&self, purpose: Purpose, secret: &[u8]) -> Vec<u8> {
        let nonce_bytes: [u8; SECRET_NONCE_LEN] = random_bytes();
        let mut in_out = secret.to_vec();
        let tag = self
            .secrets
            .seal_in_place_separate_tag(
                aead::Nonce::assume_unique_for_key(nonce_bytes),
                aead::Aad::from(purpose.label()),
                &mut in_out,
            )
            .expect("AES-GCM seals any input of a share key's size"); // ok: only fails past 64 GiB
        let mut sealed = Vec::with_capacity(SECRET_NONCE_LEN + in_out.len() + tag.as_ref().len());
        sealed.extend_from_slice(&nonce_bytes);
        sealed.extend_from_slice(&in_out);
        sealed.extend_from_slice(tag.as_ref());
        sealed
    }

    /// The secret sealed by [`Keys::seal_secret`], or `None` if it was altered, sealed
    /// for another purpose or under another key.
    pub fn open_secret(&self, purpose: Purpose, sealed: &[u8]) -> Option<Vec<u8>> {
        if sealed.len() < SECRET_NONCE_LEN + aead::AES_256_GCM.tag_len() {
            return None;
        }
        let (nonce, ciphertext) = sealed.split_at(SECRET_NONCE_LEN);
        let nonce = aead::Nonce::try_assume_unique_for_key(nonce).ok()?;
        let mut in_out = ciphertext.to_vec();
        let plain = self
            .secrets
            .open_in_place(nonce, aead::Aad::from(purpose.label()), &mut in_out)
            .ok()?;
        Some(plain.to_vec())
    }

    /// The AEAD key of one blob, derived from the master key and the blob's random salt,
    /// so that chunk nonces (the chunk number) never repeat under one key.
    pub fn blob_key(&self, salt: &[u8]) -> aead::LessSafeKey {
        let prk = hkdf::Salt::new(hkdf::HKDF_SHA256, salt).extract(&self.blob_master);
        let okm = prk
            .expand(&[b"sessionvault blob v1"], &aead::AES_256_GCM)
            .expect("32 bytes is a valid HKDF length"); // ok: fixed length
        aead::LessSafeKey::new(aead::UnboundKey::from(okm))
    }
}

fn load_or_create_key(path: &Path) -> std::io::Result<[u8; 32]> {
    match std::fs::read(path) {
        Ok(bytes) => bytes.try_into().map_err(|_| {
            std::io::Error::new(
                std::io::ErrorKind::InvalidData,
                format!("{} is not a 32-byte key", path.display()),
            )
        }),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            let key: [u8; 32] = random_bytes();
            write_private_file(path, &key)?;
            Ok(key)
        }
        Err(e) => Err(e),
    }
}

/// Writes a new file readable by the owner only, durably.
pub fn write_private_file(path: &Path, contents: &[u8]) -> std::io::Result<()> {
    let mut file = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .mode(0o600)
        .open(path)?;
    file.write_all(contents)?;
    file.sync_all()?;
    if let Some(parent) = path.parent() {
        std::fs::File::open(parent)?.sync_all()?;
    }
    Ok(())
}

#[cfg(test)]
mod tests;
