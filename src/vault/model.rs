//! The vocabulary of the domain: roles, protocols, formats. Plain enums with their text
//! forms, shared by every layer.

use std::fmt;
use std::str::FromStr;

macro_rules! text_enum {
    ($(#[$meta:meta])* $name:ident { $($variant:ident = $text:literal),* $(,)? }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        pub enum $name { $($variant),* }

        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$variant),*];
            pub const NAMES: &'static [&'static str] = &[$($text),*];

            pub fn as_str(self) -> &'static str {
                match self { $($name::$variant => $text),* }
            }
        }

        impl FromStr for $name {
            type Err = String;
            fn from_str(s: &str) -> Result<Self, String> {
                match s {
                    $($text => Ok($name::$variant),)*
                    _ => Err(format!("`{s}` is not one of {}", $name::NAMES.join(", "))),
                }
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl serde::Serialize for $name {
            fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.serialize_str(self.as_str())
            }
        }
    };
}
pub(crate) use text_enum;

text_enum!(
    /// What a person may do; see [`crate::vault::rights`].
    Role { Admin = "admin", Operator = "operator", Auditor = "auditor", User = "user" }
);

text_enum!(
    /// How the recorded connection was made.
    Protocol { Ssh = "ssh", Sftp = "sftp", Rdp = "rdp", Vnc = "vnc", Telnet = "telnet", Http = "http" }
);

text_enum!(
    /// The kind of a stored recording.
    RecordingFormat { Asciicast = "asciicast", Webm = "webm", Mp4 = "mp4", None = "none" }
);

text_enum!(
    /// Whether a session is still going on.
    SessionStatus { Live = "live", Finished = "finished" }
);

impl Protocol {
    /// Recording formats a session of this protocol may carry.
    pub fn recording_formats(self) -> &'static [RecordingFormat] {
        match self {
            Protocol::Ssh | Protocol::Sftp | Protocol::Telnet => &[RecordingFormat::Asciicast],
            Protocol::Rdp | Protocol::Vnc | Protocol::Http => &[RecordingFormat::Webm, RecordingFormat::Mp4],
        }
    }
}
