//! Signed download URLs: a token, sealed with the server's HMAC key, that lets whoever
//! holds the URL fetch one object, as the user who asked for it, until it expires. The
//! token names its path, so it opens nothing else; the user's rights are checked again
//! when it is used.

use serde::{Deserialize, Serialize};

use super::rights::Caller;
use super::{Vault, VaultError};
use crate::crypto::Purpose;
use crate::timestamp::Timestamp;

#[derive(Serialize, Deserialize)]
struct Grant {
    #[serde(rename = "p")]
    path: String,
    #[serde(rename = "u")]
    user_id: i64,
    #[serde(rename = "e")]
    expires: i64,
}

fn refused(why: &str) -> VaultError {
    VaultError::Unauthorized(format!("download link refused: {why}"))
}

impl Vault {
    /// A token for `path`, valid for `signed_url_minutes`, and when it expires.
    pub fn sign_download(&self, caller: &Caller, path: &str) -> Result<(String, Timestamp), VaultError> {
        let seconds = self.settings.signed_url_minutes as i64 * 60;
        let expires = Timestamp::now().micros() / 1_000_000 + seconds;
        let grant = Grant {
            path: path.to_string(),
            user_id: caller.user_id,
            expires,
        };
        let message = serde_json::to_vec(&grant).map_err(|e| VaultError::Internal(e.to_string()))?;
        Ok((
            self.keys.seal_token(Purpose::DownloadUrl, &message),
            Timestamp::from_micros(expires * 1_000_000),
        ))
    }

    /// The caller a token acts for on `path`.
    pub fn authenticate_signed(&self, token: &str, path: &str) -> Result<Caller, VaultError> {
        let message = self
            .keys
            .open_token(Purpose::DownloadUrl, token)
            .ok_or_else(|| refused("the token is not valid"))?;
        let grant: Grant = serde_json::from_slice(&message).map_err(|_| refused("the token is malformed"))?;
        if grant.path != path {
            return Err(refused("the token is for another object"));
        }
        if grant.expires < Timestamp::now().micros() / 1_000_000 {
            return Err(refused("the link has expired"));
        }
        self.caller_by_id(grant.user_id)
    }
}

#[cfg(test)]
mod tests;
