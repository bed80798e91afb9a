//! What a terminal recording makes searchable: the text it printed and the text typed
//! into it, in segments stamped with the time they appeared. Escape sequences are
//! understood by avt's parser (not stripped by pattern), so colours and cursor moves
//! never split or pollute words.

use avt::Parser;
use avt::parser::Function;

use super::asciicast::Event;
use crate::db::search::Term;

/// Most text indexed for one session; the rest of a very long recording stays
/// downloadable but unsearched.
pub const MAX_INDEXED_BYTES: usize = 16 * 1024 * 1024;
/// A segment closes after this many lines, bytes, or seconds after its first line.
const SEGMENT_LINES: usize = 20;
const SEGMENT_BYTES: usize = 2048;
const SEGMENT_SECONDS: f64 = 5.0;
const MAX_LINE: usize = 4096;

#[derive(Debug, Clone, PartialEq)]
pub struct Segment {
    /// Seconds from the start of the recording.
    pub time: f64,
    /// `output` (shown) or `input` (typed).
    pub kind: &'static str,
    pub text: String,
    /// When each line of `text` appeared, in seconds from the start.
    pub line_times: Vec<f64>,
}

impl Segment {
    /// `line_times` as stored: space-separated seconds.
    pub fn line_times_text(&self) -> String {
        let times: Vec<String> = self.line_times.iter().map(f64::to_string).collect();
        times.join(" ")
    }
}

#[derive(Default)]
struct Builder {
    kind: &'static str,
    line: String,
    line_time: Option<f64>,
    text: String,
    line_times: Vec<f64>,
    time: f64,
    lines: usize,
}

impl Builder {
    fn new(kind: &'static str) -> Builder {
        Builder {
            kind,
            ..Builder::default()
        }
    }

    fn push_char(&mut self, c: char, time: f64) {
        if self.line.len() < MAX_LINE {
            self.line_time.get_or_insert(time);
            self.line.push(c);
        }
    }

    /// Ends the current line; a segment that is full goes to `out`.
    fn end_line(&mut self, out: &mut Vec<Segment>) {
        let Some(line_time) = self.line_time.take() else {
            return;
        };
        let line = std::mem::take(&mut self.line);
        let line = line.trim();
        if line.is_empty() {
            return;
        }
        if self.lines > 0 && line_time - self.time > SEGMENT_SECONDS {
            self.close(out);
        }
        if self.lines == 0 {
            self.time = line_time;
        }
        self.text.push_str(line);
        self.text.push('\n');
        self.line_times.push(line_time);
        self.lines += 1;
        if self.lines >= SEGMENT_LINES || self.text.len() >= SEGMENT_BYTES {
            self.close(out);
        }
    }

    fn close(&mut self, out: &mut Vec<Segment>) {
        if self.lines > 0 {
            out.push(Segment {
                time: self.time,
                kind: self.kind,
                text: std::mem::take(&mut self.text),
                line_times: std::mem::take(&mut self.line_times),
            });
        }
        self.lines = 0;
    }
}

pub struct Indexer {
    parser: Parser,
    output: Builder,
    input: Builder,
    segments: Vec<Segment>,
    bytes: usize,
}

impl Default for Indexer {
    fn default() -> Self {
        Indexer {
            parser: Parser::new(),
            output: Builder::new("output"),
            input: Builder::new("input"),
            segments: Vec::new(),
            bytes: 0,
        }
    }
}

impl Indexer {
    pub fn event(&mut self, event: &Event) {
        if self.bytes >= MAX_INDEXED_BYTES {
            return;
        }
        self.bytes += event.data.len();
        match event.code.as_str() {
            "o" => self.output(event.time, &event.data),
            "i" => self.typed(event.time, &event.data),
            _ => {}
        }
    }

    fn output(&mut self, time: f64, data: &str) {
        for c in data.chars() {
            match self.parser.feed(c) {
                Some(Function::Print(c)) => self.output.push_char(c, time),
                Some(Function::Lf | Function::Nel | Function::Cup(..) | Function::Vpa(_) | Function::Ri) => {
                    self.output.end_line(&mut self.segments)
                }
                Some(Function::Ht | Function::Cuf(_) | Function::Cr) => self.output.push_char(' ', time),
                _ => {}
            }
        }
    }

    /// Keystrokes: Enter ends a line, backspace takes back a character, control and
    /// escape sequences (arrows, function keys) are left out.
    fn typed(&mut self, time: f64, data: &str) {
        let mut chars = data.chars().peekable();
        while let Some(c) = chars.next() {
            match c {
                '\r' | '\n' => self.input.end_line(&mut self.segments),
                '\u{7f}' | '\u{8}' => {
                    self.input.line.pop();
                }
                '\u{1b}' => {
                    // Skip the rest of the key's sequence.
                    while chars
                        .peek()
                        .is_some_and(|c| !c.is_ascii_alphabetic() && *c != '~')
                    {
                        chars.next();
                    }
                    chars.next();
                }
                c if c.is_control() => {}
                c => self.input.push_char(c, time),
            }
        }
    }

    pub fn finish(mut self) -> Vec<Segment> {
        self.output.end_line(&mut self.segments);
        self.output.close(&mut self.segments);
        self.input.end_line(&mut self.segments);
        self.input.close(&mut self.segments);
        self.segments
    }
}

/// When the first line of a passage holding any of `terms` appeared: `line_times` are
/// its lines' times as stored. `None` when no line can be told (the index folds
/// diacritics, which this does not): the passage's own time is then the answer.
pub fn first_matching_line(body: &str, line_times: &str, terms: &[Term]) -> Option<f64> {
    let wanted: Vec<(Vec<String>, bool)> = terms
        .iter()
        .map(|t| (tokens(&t.word), t.prefix))
        .filter(|(words, _)| !words.is_empty())
        .collect();
    body.lines()
        .zip(line_times.split(' '))
        .find(|(line, _)| {
            let line = tokens(line);
            wanted
                .iter()
                .any(|(words, prefix)| holds_phrase(&line, words, *prefix))
        })
        .and_then(|(_, time)| time.parse().ok())
}

/// Words as the index sees them (unicode61): runs of letters and digits, lower-cased.
fn tokens(text: &str) -> Vec<String> {
    text.split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
        .collect()
}

/// Whether `line` holds `phrase` as consecutive words, its last one as a prefix if
/// `prefix`.
fn holds_phrase(line: &[String], phrase: &[String], prefix: bool) -> bool {
    let Some((last, first)) = phrase.split_last() else {
        return false;
    };
    line.windows(phrase.len()).any(|window| {
        window[..first.len()] == *first
            && if prefix {
                window[first.len()].starts_with(last.as_str())
            } else {
                window[first.len()] == *last
            }
    })
}

#[cfg(test)]
mod tests;
