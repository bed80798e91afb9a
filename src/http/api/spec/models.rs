//! The models of the API and their attributes (Fudo's where reference 000 and 001 name
//! them).

use super::*;
use crate::vault::audit::{AuditAction, AuditOutcome, SharedResource};
use crate::vault::downloads::{VIDEO_FORMATS, VIDEO_RESOLUTIONS};
use crate::vault::model::{Protocol, RecordingFormat, Role, SessionStatus};

const ID: Attr = attr("id", "string", READONLY | UNIQUE);
const CREATED_AT: Attr = attr("created_at", "datetime", READONLY);
const MODIFIED_AT: Attr = attr("modified_at", "datetime", READONLY);

pub static SESSION: ModelSpec = ModelSpec {
    name: "session",
    attrs: &[
        ID,
        attr("user_id", "string", READONLY | IMMUTABLE),
        attr("server_id", "string", READONLY | IMMUTABLE),
        enum_attr("protocol", REQUIRED | IMMUTABLE, Protocol::NAMES),
        attr("started", "datetime", REQUIRED | IMMUTABLE),
        attr("ended", "datetime", 0),
        enum_attr("status", READONLY, SessionStatus::NAMES),
        attr("duration", "number", READONLY),
        enum_attr("recording_format", READONLY, RecordingFormat::NAMES),
        attr("recording_size", "number", READONLY),
        attr("recording_sha256", "string", READONLY),
        attr("transfer_count", "number", READONLY),
        attr("transfer_size", "number", READONLY),
        attr("removed", "boolean", READONLY),
        attr("removed_at", "datetime", READONLY),
        CREATED_AT,
        MODIFIED_AT,
        attr("user_name", "string", READONLY | EXPENSIVE),
        attr("server_name", "string", READONLY | EXPENSIVE),
        attr("match_time", "number", READONLY),
    ],
};

pub static TRANSFER: ModelSpec = ModelSpec {
    name: "transfer",
    attrs: &[
        attr("session_id", "string", READONLY | IMMUTABLE),
        attr("handle", "number", READONLY | IMMUTABLE),
        attr("path", "string", REQUIRED | IMMUTABLE),
        attr("size", "number", READONLY),
        attr("from_server", "boolean", IMMUTABLE),
        attr("delta", "number", IMMUTABLE),
        attr("sha256", "string", READONLY),
        CREATED_AT,
    ],
};

pub static USER: ModelSpec = ModelSpec {
    name: "user",
    attrs: &[
        ID,
        attr("name", "string", REQUIRED | UNIQUE | IMMUTABLE),
        enum_attr("role", REQUIRED, Role::NAMES),
        attr("blocked", "boolean", 0),
        attr("password", "string", PROTECTED),
        CREATED_AT,
        MODIFIED_AT,
    ],
};

pub static SERVER: ModelSpec = ModelSpec {
    name: "server",
    attrs: &[
        ID,
        attr("name", "string", REQUIRED | UNIQUE | IMMUTABLE),
        attr("address", "string", 0),
        attr("port", "number", 0),
        enum_attr("protocol", 0, Protocol::NAMES),
        CREATED_AT,
        MODIFIED_AT,
    ],
};

/// The expensive attributes shared by session_file and session_movie.
const SESSION_FACTS: [Attr; 8] = [
    attr("session_user", "string", READONLY | EXPENSIVE),
    attr("session_user_id", "string", READONLY | EXPENSIVE),
    attr("session_server", "string", READONLY | EXPENSIVE),
    attr("session_server_id", "string", READONLY | EXPENSIVE),
    attr("session_started", "datetime", READONLY | EXPENSIVE),
    attr("is_converted", "boolean", READONLY | EXPENSIVE),
    attr("progress", "number", READONLY | EXPENSIVE),
    attr("encode_on_name", "string", READONLY | EXPENSIVE),
];

pub static SESSION_FILE: ModelSpec = ModelSpec {
    name: "session_file",
    attrs: &[
        ID,
        attr("session_id", "string", REQUIRED | IMMUTABLE),
        attr("encode_on", "string", READONLY),
        attr("handle", "number", REQUIRED | IMMUTABLE),
        attr("delta", "number", READONLY),
        attr("from_server", "boolean", READONLY),
        attr("error", "string", READONLY),
        attr("size", "number", READONLY),
        SESSION_FACTS[0],
        SESSION_FACTS[1],
        SESSION_FACTS[2],
        SESSION_FACTS[3],
        SESSION_FACTS[4],
        SESSION_FACTS[5],
        SESSION_FACTS[6],
        SESSION_FACTS[7],
    ],
};

pub static SESSION_MOVIE: ModelSpec = ModelSpec {
    name: "session_movie",
    attrs: &[
        ID,
        attr("session_id", "string", REQUIRED | IMMUTABLE),
        attr("encode_on", "string", READONLY),
        enum_attr("video_resolution", IMMUTABLE, VIDEO_RESOLUTIONS),
        enum_attr("video_format", REQUIRED | IMMUTABLE, VIDEO_FORMATS),
        attr("size", "number", READONLY),
        attr("error", "string", READONLY),
        SESSION_FACTS[0],
        SESSION_FACTS[1],
        SESSION_FACTS[2],
        SESSION_FACTS[3],
        SESSION_FACTS[4],
        SESSION_FACTS[5],
        SESSION_FACTS[6],
        SESSION_FACTS[7],
        CREATED_AT,
        MODIFIED_AT,
        attr("removed", "boolean", READONLY),
    ],
};

/// Reference 001. `id` is returned although Fudo marks it protected: a client needs
/// it to revoke. `link` is cheap (Fudo: expensive) so that every list carries it.
/// `session_id` comes from the path; a body may repeat it.
pub static SESSION_SHARE: ModelSpec = ModelSpec {
    name: "session_share",
    attrs: &[
        ID,
        attr("session_id", "string", REQUIRED | IMMUTABLE),
        attr("user_id", "string", READONLY | HIDDEN | EXPENSIVE | IMMUTABLE),
        attr("key", "string", READONLY | UNIQUE),
        attr("valid_since", "datetime", REQUIRED | IMMUTABLE),
        attr("valid_to", "datetime", REQUIRED | IMMUTABLE),
        attr("readonly", "boolean", REQUIRED | IMMUTABLE),
        attr("link", "string", READONLY),
        CREATED_AT,
        MODIFIED_AT,
        attr("removed", "boolean", READONLY),
    ],
};

/// The trail of share creations, revocations and link uses (admins only).
pub static AUDIT: ModelSpec = ModelSpec {
    name: "audit",
    attrs: &[
        ID,
        attr("time", "datetime", READONLY),
        enum_attr("action", READONLY, AuditAction::NAMES),
        enum_attr("outcome", READONLY, AuditOutcome::NAMES),
        attr("session_id", "string", READONLY),
        attr("share_id", "string", READONLY),
        attr("user_id", "string", READONLY),
        enum_attr("resource", READONLY, SharedResource::NAMES),
        attr("remote_address", "string", READONLY),
        attr("user_agent", "string", READONLY),
        attr("user_name", "string", READONLY | EXPENSIVE),
    ],
};

/// Every model objspec knows, by name.
pub fn by_name(name: &str) -> Option<&'static ModelSpec> {
    ALL.iter().copied().find(|m| m.name == name)
}

pub static ALL: &[&ModelSpec] = &[
    &SESSION,
    &TRANSFER,
    &USER,
    &SERVER,
    &SESSION_FILE,
    &SESSION_MOVIE,
    &SESSION_SHARE,
    &AUDIT,
];
