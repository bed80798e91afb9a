//! Points in time: microseconds since the Unix epoch, UTC. Written out as
//! `YYYY-MM-DD HH:MM:SS.ffffff+00:00`, read in as RFC 3339 / ISO 8601 with an offset.

use std::fmt;
use std::time::{SystemTime, UNIX_EPOCH};

use rusqlite::types::{FromSql, FromSqlResult, ToSql, ToSqlOutput, ValueRef};
use time::format_description::well_known::{Iso8601, Rfc3339};
use time::macros::format_description;
use time::{Date, OffsetDateTime, PrimitiveDateTime};

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Timestamp(i64);

const MICROS_PER_SECOND: i64 = 1_000_000;
pub const MICROS_PER_DAY: i64 = 86_400 * MICROS_PER_SECOND;

impl Timestamp {
    pub fn now() -> Timestamp {
        let since = SystemTime::now().duration_since(UNIX_EPOCH).unwrap_or_default();
        Timestamp(since.as_micros() as i64)
    }

    pub const fn from_micros(micros: i64) -> Timestamp {
        Timestamp(micros)
    }

    pub fn from_unix_seconds_f64(seconds: f64) -> Timestamp {
        Timestamp((seconds * MICROS_PER_SECOND as f64).round() as i64)
    }

    pub const fn micros(self) -> i64 {
        self.0
    }

    pub fn plus_micros(self, micros: i64) -> Timestamp {
        Timestamp(self.0.saturating_add(micros))
    }

    pub fn plus_seconds_f64(self, seconds: f64) -> Timestamp {
        self.plus_micros((seconds * MICROS_PER_SECOND as f64).round() as i64)
    }

    /// Whole seconds from `self` to `later`.
    pub fn seconds_until(self, later: Timestamp) -> i64 {
        (later.0 - self.0) / MICROS_PER_SECOND
    }

    fn to_datetime(self) -> OffsetDateTime {
        OffsetDateTime::from_unix_timestamp_nanos(self.0 as i128 * 1000).unwrap_or(OffsetDateTime::UNIX_EPOCH)
    }

    /// Parses an instant: RFC 3339 (`2025-05-15T13:07:00.000Z`), the same with a space
    /// instead of `T` (our own output format), or another ISO 8601 form with an offset.
    /// A time without an offset is refused: it would be ambiguous.
    pub fn parse(input: &str) -> Result<Timestamp, String> {
        let s = input.trim();
        let normalized;
        let s = if s.len() > 10 && s.as_bytes()[10] == b' ' {
            normalized = format!("{}T{}", &s[..10], &s[11..]);
            normalized.as_str()
        } else {
            s
        };
        let parsed =
            OffsetDateTime::parse(s, &Rfc3339).or_else(|_| OffsetDateTime::parse(s, &Iso8601::PARSING));
        match parsed {
            Ok(dt) => Ok(Timestamp((dt.unix_timestamp_nanos() / 1000) as i64)),
            Err(_) if PrimitiveDateTime::parse(s, &Iso8601::PARSING).is_ok() => {
                Err(format!("`{input}` has no UTC offset; add `Z` or `+00:00`"))
            }
            Err(_) => Err(format!(
                "`{input}` is not an ISO 8601 time such as 2025-05-15T13:07:00.000Z"
            )),
        }
    }

    /// Parses `YYYY-MM-DD` as the first instant of that day (UTC).
    pub fn parse_date(input: &str) -> Option<Timestamp> {
        let date = Date::parse(input.trim(), format_description!("[year]-[month]-[day]")).ok()?;
        let dt = date.midnight().assume_utc();
        Some(Timestamp((dt.unix_timestamp_nanos() / 1000) as i64))
    }
}

impl Timestamp {
    /// `YYYY-MM-DD HH:MM:SS.ffffff+00:00` in a stack buffer: lists print thousands of
    /// these, and the formatting machinery would dominate them.
    pub fn text(self) -> [u8; 32] {
        let t = self.to_datetime();
        let mut out = *b"0000-00-00 00:00:00.000000+00:00";
        let mut put = |at: usize, width: usize, mut value: u32| {
            for i in (at..at + width).rev() {
                out[i] = b'0' + (value % 10) as u8;
                value /= 10;
            }
        };
        put(0, 4, t.year().clamp(0, 9999) as u32);
        put(5, 2, t.month() as u32);
        put(8, 2, t.day() as u32);
        put(11, 2, t.hour() as u32);
        put(14, 2, t.minute() as u32);
        put(17, 2, t.second() as u32);
        put(20, 6, t.microsecond());
        out
    }
}

impl fmt::Display for Timestamp {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let text = self.text();
        f.write_str(std::str::from_utf8(&text).map_err(|_| fmt::Error)?)
    }
}

impl serde::Serialize for Timestamp {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let text = self.text();
        serializer.serialize_str(std::str::from_utf8(&text).map_err(serde::ser::Error::custom)?)
    }
}

impl ToSql for Timestamp {
    fn to_sql(&self) -> rusqlite::Result<ToSqlOutput<'_>> {
        Ok(ToSqlOutput::from(self.0))
    }
}

impl FromSql for Timestamp {
    fn column_result(value: ValueRef<'_>) -> FromSqlResult<Self> {
        i64::column_result(value).map(Timestamp)
    }
}

#[cfg(test)]
mod tests;
