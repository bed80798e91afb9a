//! Query parameters, taken one by one by name; whatever is left at the end is an
//! unknown parameter and refused by name.

use std::str::FromStr;

use super::spec::{FieldSet, ModelSpec};
use crate::crypto;
use crate::db::query::Direction;
use crate::http::error::ApiError;
use crate::timestamp::{MICROS_PER_DAY, Timestamp};
use crate::vault::listing::{MAX_LIMIT, Page};

/// Parameters any endpoint accepts without using them.
const ALWAYS_ALLOWED: &[&str] = &["access_token", "token"];

/// Parameters that shape a page rather than choose rows: left out of the fingerprint
/// that ties a page token to its query.
const PAGING: &[&str] = &[
    "limit",
    "page_size",
    "offset",
    "page_token",
    "next_page_token",
    "count",
    "fields",
    "access_token",
    "token",
];

pub struct Params {
    pairs: Vec<(String, String)>,
    fingerprint: String,
}

impl Params {
    pub fn parse(query: &str) -> Result<Params, ApiError> {
        let pairs: Vec<(String, String)> = serde_urlencoded::from_str(query)
            .map_err(|_| ApiError::bad("query", "is not a valid URL query string"))?;
        let mut seen = std::collections::HashSet::new();
        for (name, _) in &pairs {
            if !seen.insert(name.as_str()) {
                return Err(ApiError::bad(name, "is given more than once"));
            }
        }
        let mut chosen: Vec<&(String, String)> = pairs
            .iter()
            .filter(|(n, _)| !PAGING.contains(&n.as_str()))
            .collect();
        chosen.sort();
        let canonical = serde_urlencoded::to_string(&chosen).unwrap_or_default();
        let fingerprint = crypto::sha256_hex(canonical.as_bytes());
        Ok(Params { pairs, fingerprint })
    }

    /// The raw text of parameter `name`, removing it from the pending set.
    pub fn take(&mut self, name: &str) -> Option<String> {
        let at = self.pairs.iter().position(|(n, _)| n == name)?;
        Some(self.pairs.remove(at).1)
    }

    pub fn parse_as<T: FromStr>(&mut self, name: &str) -> Result<Option<T>, ApiError>
    where
        T::Err: std::fmt::Display,
    {
        self.take(name)
            .map(|v| {
                v.trim()
                    .parse::<T>()
                    .map_err(|e| ApiError::bad(name, format!("`{v}`: {e}")))
            })
            .transpose()
    }

    pub fn id(&mut self, name: &str) -> Result<Option<i64>, ApiError> {
        self.take(name)
            .map(|v| match v.trim().parse::<i64>() {
                Ok(id) if id > 0 => Ok(id),
                _ => Err(ApiError::bad(
                    name,
                    format!("`{v}` is not an id (a positive integer)"),
                )),
            })
            .transpose()
    }

    pub fn bool(&mut self, name: &str) -> Result<Option<bool>, ApiError> {
        self.take(name)
            .map(|v| match v.trim() {
                "true" | "1" | "yes" => Ok(true),
                "false" | "0" | "no" => Ok(false),
                _ => Err(ApiError::bad(name, format!("`{v}` is not true or false"))),
            })
            .transpose()
    }

    pub fn non_negative(&mut self, name: &str) -> Result<Option<i64>, ApiError> {
        match self.parse_as::<i64>(name)? {
            Some(n) if n < 0 => Err(ApiError::bad(name, "must not be negative")),
            other => Ok(other),
        }
    }

    /// A time bound: an RFC 3339 instant, or a date. As an upper bound (`end_of_day`),
    /// a date includes that whole day.
    pub fn time_bound(&mut self, name: &str, end_of_day: bool) -> Result<Option<Timestamp>, ApiError> {
        let Some(text) = self.take(name) else {
            return Ok(None);
        };
        if let Some(day) = Timestamp::parse_date(&text) {
            return Ok(Some(if end_of_day {
                day.plus_micros(MICROS_PER_DAY - 1)
            } else {
                day
            }));
        }
        Timestamp::parse(&text)
            .map(Some)
            .map_err(|e| ApiError::bad(name, e))
    }

    /// `limit`/`page_size`, `offset`, `sort_field`, `sort_type`, `count`.
    pub fn page(&mut self) -> Result<Page, ApiError> {
        let mut page = Page::default();
        let limit = match (self.non_negative("limit")?, self.non_negative("page_size")?) {
            (Some(_), Some(_)) => {
                return Err(ApiError::bad(
                    "page_size",
                    "is an alias of limit; give one of them",
                ));
            }
            (a, b) => a.or(b),
        };
        if let Some(limit) = limit {
            if !(1..=MAX_LIMIT).contains(&limit) {
                return Err(ApiError::bad(
                    "limit",
                    format!("must be between 1 and {MAX_LIMIT}"),
                ));
            }
            page.limit = limit;
        }
        page.offset = self.non_negative("offset")?.unwrap_or(0);
        page.sort_field = self.take("sort_field");
        if let Some(sort_type) = self.take("sort_type") {
            page.direction = match sort_type.trim() {
                "asc" => Direction::Asc,
                "desc" => Direction::Desc,
                other => {
                    return Err(ApiError::bad(
                        "sort_type",
                        format!("`{other}` is not asc or desc"),
                    ));
                }
            };
        }
        page.count = self.bool("count")?.unwrap_or(false);
        page.token = match (self.take("page_token"), self.take("next_page_token")) {
            (Some(_), Some(_)) => {
                return Err(ApiError::bad(
                    "next_page_token",
                    "is an alias of page_token; give one of them",
                ));
            }
            (a, b) => a.or(b),
        };
        page.fingerprint = self.fingerprint.clone();
        Ok(page)
    }

    pub fn fields(&mut self, spec: &ModelSpec) -> Result<FieldSet, ApiError> {
        match self.take("fields") {
            Some(text) => FieldSet::parse(spec, &text),
            None => Ok(FieldSet::default()),
        }
    }

    /// For endpoints whose only parameter is `fields`: the field set, and any other
    /// parameter refused.
    pub fn fields_only(query: &str, spec: &ModelSpec) -> Result<FieldSet, ApiError> {
        let mut params = Params::parse(query)?;
        let fields = params.fields(spec)?;
        params.finish()?;
        Ok(fields)
    }

    /// Refuses whatever was not taken.
    pub fn finish(self) -> Result<(), ApiError> {
        match self
            .pairs
            .iter()
            .find(|(n, _)| !ALWAYS_ALLOWED.contains(&n.as_str()))
        {
            Some((name, _)) => Err(ApiError::bad(name, "unknown parameter")),
            None => Ok(()),
        }
    }
}

#[cfg(test)]
mod tests;
