//! What each API model looks like: its attributes, their types and properties. One
//! table drives `GET /api/v2/objspec/<model>`, the `fields=` parameter, and the
//! refusal of read-only attributes in request bodies.

use std::collections::HashSet;

use serde::ser::{Serialize, SerializeMap, Serializer};
use serde_json::{Map, Value, json};

use super::super::error::ApiError;
use crate::timestamp::Timestamp;

pub const READONLY: u8 = 1;
pub const IMMUTABLE: u8 = 1 << 1;
pub const EXPENSIVE: u8 = 1 << 2;
pub const PROTECTED: u8 = 1 << 3;
pub const HIDDEN: u8 = 1 << 4;
pub const REQUIRED: u8 = 1 << 5;
pub const UNIQUE: u8 = 1 << 6;

const FLAG_NAMES: &[(u8, &str)] = &[
    (READONLY, "readonly"),
    (IMMUTABLE, "immutable"),
    (EXPENSIVE, "expensive"),
    (PROTECTED, "protected"),
    (HIDDEN, "hidden"),
    (REQUIRED, "required"),
    (UNIQUE, "unique"),
];

#[derive(Clone, Copy)]
pub struct Attr {
    pub name: &'static str,
    pub ty: &'static str,
    pub flags: u8,
    pub values: &'static [&'static str],
}

pub const fn attr(name: &'static str, ty: &'static str, flags: u8) -> Attr {
    Attr {
        name,
        ty,
        flags,
        values: &[],
    }
}

pub const fn enum_attr(name: &'static str, flags: u8, values: &'static [&'static str]) -> Attr {
    Attr {
        name,
        ty: "string",
        flags,
        values,
    }
}

pub struct ModelSpec {
    pub name: &'static str,
    pub attrs: &'static [Attr],
}

impl Attr {
    fn has(&self, flag: u8) -> bool {
        self.flags & flag != 0
    }
}

impl ModelSpec {
    pub fn attr(&self, name: &str) -> Option<&Attr> {
        self.attrs.iter().find(|a| a.name == name)
    }

    /// The objspec document; hidden attributes only for callers who may see them.
    pub fn describe(&self, show_hidden: bool) -> Value {
        let mut out = Map::new();
        for attr in self.attrs {
            if attr.has(HIDDEN) && !show_hidden {
                continue;
            }
            let mut props = Map::new();
            props.insert("type".into(), json!(attr.ty));
            if !attr.values.is_empty() {
                props.insert("enum".into(), json!(attr.values));
            }
            for (flag, name) in FLAG_NAMES {
                if attr.has(*flag) {
                    props.insert((*name).into(), json!(true));
                }
            }
            out.insert(attr.name.into(), Value::Object(props));
        }
        Value::Object(out)
    }

    /// Keeps the attributes a caller gets, in the model's order: cheap ones always,
    /// expensive ones when named in `fields`, never protected ones, hidden ones only
    /// with the right.
    ///
    /// Works in place (lists render thousands of rows; a second vector per row costs
    /// more than the filtering). The kept attributes move to the front in the model's
    /// order; builders list them in that order already, so each is found at once.
    pub fn render(&self, mut all: Attrs, fields: &FieldSet, show_hidden: bool) -> Rendered {
        let mut kept = 0;
        for attr in self.attrs {
            if attr.has(PROTECTED) || (attr.has(HIDDEN) && !show_hidden) {
                continue;
            }
            if attr.has(EXPENSIVE) && !fields.wants(attr.name) {
                continue;
            }
            if let Some(at) = all[kept..].iter().position(|(name, _)| *name == attr.name) {
                all.swap(kept, kept + at);
                kept += 1;
            }
        }
        all.truncate(kept);
        Rendered(all)
    }
}

/// Every attribute of one object, before its model picks what a caller gets. A plain
/// list: building a map per row only to filter it costs more than the query.
pub type Attrs = Vec<(&'static str, AttrValue)>;

/// An attribute's value. Ids and times, the most common values of a list, are written
/// straight to the output instead of through an allocated JSON string.
#[derive(Debug, Clone)]
pub enum AttrValue {
    Json(Value),
    Time(Timestamp),
    Id(i64),
    /// An enum's name, a constant string.
    Name(&'static str),
    Null,
}

/// An id, shown as a decimal string.
pub struct Id(pub i64);

impl From<Value> for AttrValue {
    fn from(v: Value) -> AttrValue {
        AttrValue::Json(v)
    }
}

impl From<&'static str> for AttrValue {
    fn from(name: &'static str) -> AttrValue {
        AttrValue::Name(name)
    }
}

impl From<String> for AttrValue {
    fn from(text: String) -> AttrValue {
        AttrValue::Json(Value::String(text))
    }
}

impl From<Option<String>> for AttrValue {
    fn from(text: Option<String>) -> AttrValue {
        text.map_or(AttrValue::Null, |t| AttrValue::Json(Value::String(t)))
    }
}

impl From<Timestamp> for AttrValue {
    fn from(t: Timestamp) -> AttrValue {
        AttrValue::Time(t)
    }
}

impl From<Option<Timestamp>> for AttrValue {
    fn from(t: Option<Timestamp>) -> AttrValue {
        t.map_or(AttrValue::Null, AttrValue::Time)
    }
}

impl From<Id> for AttrValue {
    fn from(id: Id) -> AttrValue {
        AttrValue::Id(id.0)
    }
}

impl From<Option<Id>> for AttrValue {
    fn from(id: Option<Id>) -> AttrValue {
        id.map_or(AttrValue::Null, |id| AttrValue::Id(id.0))
    }
}

impl Serialize for AttrValue {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self {
            AttrValue::Json(v) => v.serialize(serializer),
            AttrValue::Time(t) => t.serialize(serializer),
            AttrValue::Id(id) => serializer.collect_str(id),
            AttrValue::Name(name) => serializer.serialize_str(name),
            AttrValue::Null => serializer.serialize_none(),
        }
    }
}

impl AttrValue {
    fn into_value(self) -> Value {
        match self {
            AttrValue::Json(v) => v,
            AttrValue::Time(t) => Value::String(t.to_string()),
            AttrValue::Id(id) => Value::String(id.to_string()),
            AttrValue::Name(name) => Value::String(name.to_string()),
            AttrValue::Null => Value::Null,
        }
    }
}

/// `attrs! { "id" => Id(row.id), "started" => row.started, "name" => json!(row.name) }`
macro_rules! attrs {
    ($($name:literal => $value:expr),* $(,)?) => {
        vec![$(($name, $crate::http::api::spec::AttrValue::from($value))),*]
    };
}
pub(crate) use attrs;

/// An object as a caller gets it, attributes in the model's order.
#[derive(Debug, Clone)]
pub struct Rendered(Vec<(&'static str, AttrValue)>);

impl Rendered {
    pub fn get(&self, name: &str) -> Option<Value> {
        self.0
            .iter()
            .find(|(n, _)| *n == name)
            .map(|(_, v)| v.clone().into_value())
    }

    pub fn into_value(self) -> Value {
        Value::Object(
            self.0
                .into_iter()
                .map(|(n, v)| (n.to_string(), v.into_value()))
                .collect::<Map<_, _>>(),
        )
    }

    /// Appends the object as JSON, the same bytes as serializing it, written directly:
    /// attribute names, times and ids need no escaping, and lists write thousands.
    pub fn write_json(&self, out: &mut Vec<u8>) -> serde_json::Result<()> {
        out.push(b'{');
        for (i, (name, value)) in self.0.iter().enumerate() {
            if i > 0 {
                out.push(b',');
            }
            // Names come from the models, whose names are all plain (a test checks).
            debug_assert!(is_plain(name), "attribute name {name:?}");
            out.push(b'"');
            out.extend_from_slice(name.as_bytes());
            out.extend_from_slice(b"\":");
            value.write_json(out)?;
        }
        out.push(b'}');
        Ok(())
    }
}

/// True when a string is the same inside JSON quotes as outside: nothing to escape.
pub(crate) fn is_plain(s: &str) -> bool {
    s.bytes()
        .all(|b| b >= 0x20 && b != b'"' && b != b'\\' && b < 0x7f)
}

impl AttrValue {
    fn write_json(&self, out: &mut Vec<u8>) -> serde_json::Result<()> {
        match self {
            AttrValue::Json(v) => serde_json::to_writer(&mut *out, v)?,
            AttrValue::Time(t) => {
                out.push(b'"');
                out.extend_from_slice(&t.text());
                out.push(b'"');
            }
            AttrValue::Id(id) => {
                out.push(b'"');
                serde_json::to_writer(&mut *out, id)?;
                out.push(b'"');
            }
            AttrValue::Name(name) if is_plain(name) => {
                out.push(b'"');
                out.extend_from_slice(name.as_bytes());
                out.push(b'"');
            }
            AttrValue::Name(name) => serde_json::to_writer(&mut *out, name)?,
            AttrValue::Null => out.extend_from_slice(b"null"),
        }
        Ok(())
    }
}

impl Serialize for Rendered {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(Some(self.0.len()))?;
        for (name, value) in &self.0 {
            map.serialize_entry(name, value)?;
        }
        map.end()
    }
}

/// The attributes named in `fields=`.
#[derive(Debug, Default, Clone)]
pub struct FieldSet {
    all: bool,
    names: HashSet<String>,
}

impl FieldSet {
    pub fn all() -> FieldSet {
        FieldSet {
            all: true,
            names: HashSet::new(),
        }
    }

    /// Parses `a,b,c` or `*`, refusing names the model does not have.
    pub fn parse(spec: &ModelSpec, text: &str) -> Result<FieldSet, ApiError> {
        let mut set = FieldSet::default();
        for name in text.split(',').map(str::trim).filter(|n| !n.is_empty()) {
            if name == "*" {
                set.all = true;
            } else if spec.attr(name).is_some_and(|a| !a.has(PROTECTED)) {
                set.names.insert(name.to_string());
            } else {
                return Err(ApiError::bad(
                    "fields",
                    format!("{} has no attribute `{name}`", spec.name),
                ));
            }
        }
        Ok(set)
    }

    pub fn wants(&self, name: &str) -> bool {
        self.all || self.names.contains(name)
    }
}

/// A JSON request body checked against a model: unknown members and read-only ones are
/// refused by name.
pub struct Input {
    model: &'static ModelSpec,
    object: Map<String, Value>,
}

impl Input {
    /// `accepted` lists the members this request takes (which may include names that
    /// are not model attributes, such as `user` when creating a session).
    pub fn new(model: &'static ModelSpec, body: Value, accepted: &[&str]) -> Result<Input, ApiError> {
        let Value::Object(object) = body else {
            return Err(ApiError::bad("body", "must be a JSON object"));
        };
        for key in object.keys() {
            if accepted.contains(&key.as_str()) {
                continue;
            }
            return Err(match model.attr(key) {
                Some(a) if a.has(IMMUTABLE) && !a.has(READONLY) => ApiError::bad(
                    key,
                    format!("is immutable: set when the {} is created", model.name),
                ),
                Some(_) => ApiError::bad(key, "is read-only"),
                None => ApiError::bad(key, format!("{} has no attribute `{key}`", model.name)),
            });
        }
        Ok(Input { model, object })
    }

    pub fn model(&self) -> &'static ModelSpec {
        self.model
    }

    fn value(&self, key: &str) -> Option<&Value> {
        self.object.get(key).filter(|v| !v.is_null())
    }

    pub fn string(&self, key: &str) -> Result<Option<String>, ApiError> {
        match self.value(key) {
            None => Ok(None),
            Some(Value::String(s)) => Ok(Some(s.clone())),
            Some(_) => Err(ApiError::bad(key, "must be a string")),
        }
    }

    pub fn required_string(&self, key: &str) -> Result<String, ApiError> {
        self.string(key)?.ok_or_else(|| ApiError::bad(key, "is required"))
    }

    pub fn bool(&self, key: &str) -> Result<Option<bool>, ApiError> {
        match self.value(key) {
            None => Ok(None),
            Some(Value::Bool(b)) => Ok(Some(*b)),
            Some(_) => Err(ApiError::bad(key, "must be true or false")),
        }
    }

    pub fn integer(&self, key: &str) -> Result<Option<i64>, ApiError> {
        match self.value(key) {
            None => Ok(None),
            Some(Value::Number(n)) => n
                .as_i64()
                .map(Some)
                .ok_or_else(|| ApiError::bad(key, "must be an integer")),
            Some(Value::String(s)) => s
                .trim()
                .parse()
                .map(Some)
                .map_err(|_| ApiError::bad(key, format!("`{s}` is not an integer"))),
            Some(_) => Err(ApiError::bad(key, "must be an integer")),
        }
    }

    /// An id, given as a decimal string or a number.
    pub fn id(&self, key: &str) -> Result<Option<i64>, ApiError> {
        match self.integer(key)? {
            Some(id) if id <= 0 => Err(ApiError::bad(key, "is not an id (a positive integer)")),
            other => Ok(other),
        }
    }

    pub fn parsed<T: std::str::FromStr<Err = String>>(&self, key: &str) -> Result<Option<T>, ApiError> {
        self.string(key)?
            .map(|s| s.parse().map_err(|e: String| ApiError::bad(key, e)))
            .transpose()
    }
}

pub mod models;

#[cfg(test)]
mod tests;
