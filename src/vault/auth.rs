//! Authentication: API keys (looked up by keyed digest), passwords (PBKDF2), and the
//! first admin of a new installation.

use std::collections::HashMap;
use std::io::Write;
use std::os::unix::fs::OpenOptionsExt;
use std::path::PathBuf;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use super::model::Role;
use super::rights::Caller;
use super::{Vault, VaultError};
use crate::crypto::{self, Purpose};
use crate::db;

/// Name of the admin created on first start.
pub const INITIAL_ADMIN: &str = "admin";

impl Vault {
    /// The caller an API key belongs to: 401 for an unknown key, 403 for a blocked user.
    pub fn authenticate_key(&self, key: &str) -> Result<Caller, VaultError> {
        let unknown = || VaultError::Unauthorized("invalid API key".into());
        if !crypto::is_secret_key_shaped(key) {
            return Err(unknown());
        }
        let digest = self.keys.secret_digest(Purpose::ApiKey, key);
        let caller = self.caller_by_key_digest(&digest)?;
        self.auth_cache.remember(digest, &caller);
        Ok(caller)
    }

    /// The caller of a key seen moments ago, without touching the database: tools send
    /// many requests in a row with one key, and each would otherwise cost a query.
    pub fn recently_authenticated(&self, key: &str) -> Option<Caller> {
        if !crypto::is_secret_key_shaped(key) {
            return None;
        }
        self.auth_cache
            .recall(&self.keys.secret_digest(Purpose::ApiKey, key))
    }

    fn caller_by_key_digest(&self, digest: &[u8; 32]) -> Result<Caller, VaultError> {
        let unknown = || VaultError::Unauthorized("invalid API key".into());
        let found = self
            .db
            .read(|c| db::apikeys::owner_by_digest(c, digest).map_err(VaultError::from))?;
        let Some((user_id, stored)) = found else {
            return Err(unknown());
        };
        // The lookup matched on the digest already; compare once more in constant time
        // so that no code path compares secrets byte by byte.
        if !crypto::constant_time_eq(digest, &stored) {
            return Err(unknown());
        }
        self.caller_by_id(user_id)
    }

    /// Checks a user's password; the same error for an unknown user and a wrong password.
    pub fn authenticate_password(&self, name: &str, password: &str) -> Result<Caller, VaultError> {
        let wrong = || VaultError::Unauthorized("wrong user name or password".into());
        let user = self
            .db
            .read(|c| db::users::by_name(c, name).map_err(VaultError::from))?;
        let Some(user) = user else {
            // Spend the same time as a real check, so that timing does not reveal names.
            crypto::verify_password(
                password,
                &crypto::hash_password("", self.settings.pbkdf2_iterations),
            );
            return Err(wrong());
        };
        let hash = self
            .db
            .read(|c| db::users::password_hash(c, user.id).map_err(VaultError::from))?;
        match hash {
            Some(hash) if crypto::verify_password(password, &hash) => self.caller_by_id(user.id),
            _ => Err(wrong()),
        }
    }

    /// The caller a user id stands for: 401 if the user is gone, 403 if blocked.
    pub fn caller_by_id(&self, user_id: i64) -> Result<Caller, VaultError> {
        let user = self
            .db
            .read(|c| db::users::get(c, user_id).map_err(VaultError::from))?
            .ok_or_else(|| VaultError::Unauthorized("invalid API key".into()))?;
        if user.blocked {
            return Err(VaultError::Forbidden(format!("user {} is blocked", user.name)));
        }
        Ok(Caller {
            user_id: user.id,
            name: user.name,
            role: user.role,
        })
    }

    /// Creates an API key for user `user_name`; the key is returned once and stored only
    /// as a digest.
    pub fn create_api_key(&self, user_name: &str, key_name: &str) -> Result<String, VaultError> {
        self.db.write(|tx| {
            let user = db::users::by_name(tx, user_name)?
                .ok_or_else(|| VaultError::NotFound(format!("user {user_name} not found")))?;
            self.insert_api_key(tx, user.id, key_name)
        })
    }

    fn insert_api_key(
        &self,
        conn: &rusqlite::Connection,
        user_id: i64,
        key_name: &str,
    ) -> Result<String, VaultError> {
        let key = crypto::new_secret_key();
        let digest = self.keys.secret_digest(Purpose::ApiKey, &key);
        db::apikeys::insert(conn, user_id, key_name, &digest)?;
        Ok(key)
    }

    /// On the first start of a data folder, creates the `admin` user with a random
    /// password and API key and writes them to `initial-admin.txt` (mode 0600). Returns
    /// the file's path when it was written.
    pub fn ensure_initial_admin(&self) -> Result<Option<PathBuf>, VaultError> {
        self.db.write(|tx| {
            if db::meta::get(tx, "initialized")?.is_some() {
                return Ok(None);
            }
            let password = crypto::new_password();
            let hash = crypto::hash_password(&password, self.settings.pbkdf2_iterations);
            let admin = match db::users::by_name(tx, INITIAL_ADMIN)? {
                Some(user) => {
                    db::users::set_password_hash(tx, user.id, &hash)?;
                    user
                }
                None => db::users::insert(tx, INITIAL_ADMIN, Role::Admin, Some(&hash))?,
            };
            let key = self.insert_api_key(tx, admin.id, "initial")?;
            let text = format!("username: {INITIAL_ADMIN}\npassword: {password}\napi_key: {key}\n");
            write_replacing_private(&self.paths.initial_admin, text.as_bytes())?;
            db::meta::set(tx, "initialized", "1")?;
            Ok(Some(self.paths.initial_admin.clone()))
        })
    }
}

/// Callers of recently used API keys, by key digest, for a few seconds: a blocked user
/// or a deleted key stops working within `AUTH_CACHE_SECONDS`.
#[derive(Default)]
pub struct AuthCache {
    entries: Mutex<HashMap<[u8; 32], (Caller, Instant)>>,
}

const AUTH_CACHE_SECONDS: u64 = 5;
const AUTH_CACHE_ENTRIES: usize = 4096;

impl AuthCache {
    fn remember(&self, digest: [u8; 32], caller: &Caller) {
        let mut entries = self.entries.lock().unwrap_or_else(|e| e.into_inner());
        if entries.len() >= AUTH_CACHE_ENTRIES {
            entries.clear();
        }
        entries.insert(digest, (caller.clone(), Instant::now()));
    }

    fn recall(&self, digest: &[u8; 32]) -> Option<Caller> {
        let entries = self.entries.lock().unwrap_or_else(|e| e.into_inner());
        let (caller, at) = entries.get(digest)?;
        (at.elapsed() < Duration::from_secs(AUTH_CACHE_SECONDS)).then(|| caller.clone())
    }

    /// Forgets everything, when users or keys change.
    pub fn clear(&self) {
        self.entries.lock().unwrap_or_else(|e| e.into_inner()).clear();
    }
}

/// Writes `contents` to `path` (mode 0600) through a temporary file, so that a crash
/// leaves either the old file or the new one.
fn write_replacing_private(path: &std::path::Path, contents: &[u8]) -> std::io::Result<()> {
    let tmp = path.with_extension("tmp");
    let _ = std::fs::remove_file(&tmp);
    let mut file = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .mode(0o600)
        .open(&tmp)?;
    file.write_all(contents)?;
    file.sync_all()?;
    std::fs::rename(&tmp, path)?;
    if let Some(dir) = path.parent() {
        std::fs::File::open(dir)?.sync_all()?;
    }
    Ok(())
}

#[cfg(test)]
mod tests;
