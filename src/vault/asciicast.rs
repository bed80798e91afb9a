//! asciicast v2 (terminal recordings): a streaming validator for ingest and a reader
//! of events for conversions. One JSON header line, then one `[time, code, data]`
//! array per line.

use std::io::{BufRead, Read};

use serde::Deserialize;

/// Longest line accepted; a longer one is almost certainly not a recording.
pub const MAX_LINE: usize = 16 * 1024 * 1024;

#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[error("line {line}: {message}")]
pub struct CastError {
    pub line: u64,
    pub message: String,
}

#[derive(Debug, Clone, Deserialize, PartialEq)]
pub struct Header {
    pub version: u8,
    pub width: u32,
    pub height: u32,
    #[serde(default)]
    pub timestamp: Option<i64>,
    #[serde(default)]
    pub duration: Option<f64>,
    #[serde(default)]
    pub title: Option<String>,
    #[serde(default)]
    pub command: Option<String>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Event {
    /// Seconds since the start of the recording.
    pub time: f64,
    /// `o` output, `i` input, `r` resize, `m` marker; others pass through.
    pub code: String,
    pub data: String,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Line {
    Blank,
    Event(Event),
}

pub fn parse_header(line_no: u64, bytes: &[u8]) -> Result<Header, CastError> {
    let err = |message: String| CastError {
        line: line_no,
        message,
    };
    let text = std::str::from_utf8(bytes).map_err(|_| err("not UTF-8".into()))?;
    let value: serde_json::Value =
        serde_json::from_str(text.trim()).map_err(|e| err(format!("the header is not JSON ({e})")))?;
    if !value.is_object() {
        return Err(err("the header must be a JSON object".into()));
    }
    match value.get("version").and_then(|v| v.as_u64()) {
        Some(2) => {}
        Some(v) => return Err(err(format!("asciicast version {v} is not supported; expected 2"))),
        None => return Err(err("the header has no `version`".into())),
    }
    let header: Header = serde_json::from_value(value).map_err(|e| err(format!("bad header: {e}")))?;
    if header.width == 0 || header.height == 0 {
        return Err(err("width and height must be positive".into()));
    }
    Ok(header)
}

pub fn parse_event(line_no: u64, bytes: &[u8]) -> Result<Line, CastError> {
    let err = |message: String| CastError {
        line: line_no,
        message,
    };
    let text = std::str::from_utf8(bytes).map_err(|_| err("not UTF-8".into()))?;
    let text = text.trim();
    if text.is_empty() {
        return Ok(Line::Blank);
    }
    let (time, code, data): (f64, String, String) =
        serde_json::from_str(text).map_err(|e| err(format!("expected an event [time, code, data] ({e})")))?;
    if !time.is_finite() || time < 0.0 {
        return Err(err(format!("event time {time} is negative")));
    }
    if code.is_empty() {
        return Err(err("event code is empty".into()));
    }
    Ok(Line::Event(Event { time, code, data }))
}

/// What a complete recording told us.
#[derive(Debug, Clone, PartialEq)]
pub struct Summary {
    pub header: Header,
    pub events: u64,
    /// Time of the last event, in seconds.
    pub last_time: f64,
}

/// Checks a recording as its bytes stream in, line by line, keeping at most one line.
pub struct Validator {
    pending: Vec<u8>,
    line_no: u64,
    header: Option<Header>,
    events: u64,
    last_time: f64,
}

impl Default for Validator {
    fn default() -> Self {
        Self::new()
    }
}

impl Validator {
    pub fn new() -> Validator {
        Validator {
            pending: Vec::new(),
            line_no: 0,
            header: None,
            events: 0,
            last_time: 0.0,
        }
    }

    pub fn feed(&mut self, data: &[u8]) -> Result<(), CastError> {
        self.feed_with(data, &mut |_| {})
    }

    /// Checks more bytes, handing every complete event to `sink`.
    pub fn feed_with(&mut self, mut data: &[u8], sink: &mut dyn FnMut(Event)) -> Result<(), CastError> {
        while let Some(newline) = data.iter().position(|&b| b == b'\n') {
            let (head, rest) = data.split_at(newline);
            data = &rest[1..];
            if self.pending.is_empty() {
                self.line(head, sink)?;
            } else {
                self.append(head)?;
                let line = std::mem::take(&mut self.pending);
                self.line(&line, sink)?;
            }
        }
        self.append(data)
    }

    fn append(&mut self, data: &[u8]) -> Result<(), CastError> {
        if self.pending.len() + data.len() > MAX_LINE {
            return Err(CastError {
                line: self.line_no + 1,
                message: format!("line longer than {MAX_LINE} bytes"),
            });
        }
        self.pending.extend_from_slice(data);
        Ok(())
    }

    fn line(&mut self, bytes: &[u8], sink: &mut dyn FnMut(Event)) -> Result<(), CastError> {
        self.line_no += 1;
        if self.header.is_none() {
            self.header = Some(parse_header(self.line_no, bytes)?);
            return Ok(());
        }
        if let Line::Event(event) = parse_event(self.line_no, bytes)? {
            self.events += 1;
            self.last_time = self.last_time.max(event.time);
            sink(event);
        }
        Ok(())
    }

    pub fn finish(self) -> Result<Summary, CastError> {
        self.finish_with(&mut |_| {})
    }

    /// Checks the end of the recording (a last line without a newline counts).
    pub fn finish_with(mut self, sink: &mut dyn FnMut(Event)) -> Result<Summary, CastError> {
        if !self.pending.is_empty() {
            let last = std::mem::take(&mut self.pending);
            self.line(&last, sink)?;
        }
        let header = self.header.ok_or(CastError {
            line: 1,
            message: "the recording is empty; expected an asciicast v2 header".into(),
        })?;
        Ok(Summary {
            header,
            events: self.events,
            last_time: self.last_time,
        })
    }
}

/// Reads a stored recording back as its header and a stream of events.
pub struct EventReader<R> {
    input: R,
    line_no: u64,
    buffer: Vec<u8>,
    pub header: Header,
}

impl<R: BufRead> EventReader<R> {
    pub fn new(mut input: R) -> Result<EventReader<R>, CastError> {
        let mut buffer = Vec::new();
        read_line(&mut input, &mut buffer, 1)?;
        let header = parse_header(1, &buffer)?;
        Ok(EventReader {
            input,
            line_no: 1,
            buffer,
            header,
        })
    }

    /// The reader, with whatever it has not yet handed out.
    pub fn into_inner(self) -> R {
        self.input
    }

    /// The next event, `None` at the end.
    pub fn next_event(&mut self) -> Result<Option<Event>, CastError> {
        loop {
            self.line_no += 1;
            if read_line(&mut self.input, &mut self.buffer, self.line_no)? == 0 {
                return Ok(None);
            }
            if let Line::Event(event) = parse_event(self.line_no, &self.buffer)? {
                return Ok(Some(event));
            }
        }
    }
}

fn read_line(input: &mut impl BufRead, buffer: &mut Vec<u8>, line_no: u64) -> Result<usize, CastError> {
    buffer.clear();
    let n = Read::take(input, MAX_LINE as u64 + 1)
        .read_until(b'\n', buffer)
        .map_err(|e| CastError {
            line: line_no,
            message: format!("read failed: {e}"),
        })?;
    if buffer.len() > MAX_LINE {
        return Err(CastError {
            line: line_no,
            message: format!("line longer than {MAX_LINE} bytes"),
        });
    }
    Ok(n)
}

#[cfg(test)]
mod tests;
