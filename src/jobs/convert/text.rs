//! The text transcript of a terminal recording: the output as a person saw it. Escape
//! sequences are interpreted by a terminal emulator (avt), so colours vanish, carriage-
//! return progress bars keep only their final state, and lines that scrolled away are
//! kept in order. Full-screen programs (vim, less, top) draw on the alternate screen,
//! which a plain transcript would drop; the last view of each is kept, framed, where
//! the program ran.

use std::collections::VecDeque;
use std::io::{BufReader, Read, Write};
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

use avt::parser::Function;
use avt::{Line, Observation, Observer, Operation, ScreenKind, Terminal};
use ring::digest;

use super::super::output::Output;
use super::super::prepare_file::{publish, verify};
use super::super::progress::{JobError, Progress};
use crate::db::downloads::DownloadRow;
use crate::vault::Vault;
use crate::vault::asciicast::EventReader;

pub const VIEW_START: &str = "----- full-screen view -----";
pub const VIEW_END: &str = "----- end of full-screen view -----";

/// Renders asciicast output events into finished lines of text.
pub struct Transcript {
    terminal: Terminal,
    lines: Lines,
}

impl Transcript {
    pub fn new(cols: usize, rows: usize) -> Transcript {
        Transcript {
            terminal: Terminal::new(cols.max(1), rows.max(1)).unwrap_or_else(|_| fallback_terminal()),
            lines: Lines::default(),
        }
    }

    pub fn output(&mut self, data: &str) {
        self.terminal.feed_with(data, &mut self.lines);
    }

    /// A resize event: `COLSxROWS`.
    pub fn resize(&mut self, size: &str) {
        if let Some((cols, rows)) = size.split_once('x')
            && let (Ok(cols), Ok(rows)) = (cols.trim().parse(), rows.trim().parse())
        {
            self.terminal.resize_with(cols, rows, &mut self.lines);
        }
    }

    /// Lines finished so far, in order.
    pub fn take_lines(&mut self) -> Vec<String> {
        std::mem::take(&mut self.lines.ready)
    }

    /// The rest: what is still on the screen.
    pub fn finish(mut self) -> Vec<String> {
        if self.terminal.active_screen_kind() == ScreenKind::Alternate {
            let view = screen_text(&self.terminal);
            let end_of_primary =
                self.lines.physical + self.terminal.primary_screen().visible_lines().len() as i64;
            self.lines.views.push_back((end_of_primary, view));
        }
        let start = self.lines.ready.len();
        for line in self.terminal.primary_screen().visible_lines() {
            self.lines.push(line);
        }
        self.lines.flush_views(i64::MAX);
        while self.lines.ready.len() > start && self.lines.ready.last().is_some_and(String::is_empty) {
            self.lines.ready.pop();
        }
        self.lines.ready
    }
}

fn fallback_terminal() -> Terminal {
    Terminal::new(80, 24).expect("80x24 is a valid size") // ok: fixed valid size
}

/// The visible text of the active screen, without blank lines around it.
fn screen_text(terminal: &Terminal) -> Vec<String> {
    let mut view: Vec<String> = terminal
        .screen()
        .visible_lines()
        .map(|l| l.text().trim_end().to_string())
        .skip_while(String::is_empty)
        .collect();
    while view.last().is_some_and(String::is_empty) {
        view.pop();
    }
    view
}

/// Collects lines as they leave the primary screen, joining soft-wrapped rows, and
/// places alternate-screen views after the line where the program was started.
#[derive(Default)]
struct Lines {
    pending: String,
    /// Physical rows pushed so far.
    physical: i64,
    ready: Vec<String>,
    /// Views to insert after a physical row, in order.
    views: VecDeque<(i64, Vec<String>)>,
    /// The alternate screen as it was just before an operation that may leave it.
    leaving: Option<Vec<String>>,
}

impl Lines {
    fn push(&mut self, line: &Line) {
        self.pending.extend(line.chars());
        self.physical += 1;
        if !line.is_wrapped() {
            self.ready.push(self.pending.trim_end().to_string());
            self.pending.clear();
            self.flush_views(self.physical - 1);
        }
    }

    /// Emits the views anchored at or before physical row `upto`.
    fn flush_views(&mut self, upto: i64) {
        while self.views.front().is_some_and(|(anchor, _)| *anchor <= upto) {
            if let Some((_, view)) = self.views.pop_front() {
                self.ready.push(VIEW_START.to_string());
                self.ready.extend(view);
                self.ready.push(VIEW_END.to_string());
            }
        }
    }
}

impl Observer for Lines {
    type Output = ();

    fn before(&mut self, context: &mut Observation<'_>, operation: &Operation) {
        let terminal = context.terminal();
        if terminal.active_screen_kind() == ScreenKind::Alternate
            && matches!(
                operation,
                Operation::Function(Function::Decrst(_) | Function::Ris)
            )
        {
            self.leaving = Some(screen_text(terminal));
        }
    }

    fn after(&mut self, context: &mut Observation<'_>, _operation: &Operation) {
        let Some(view) = self.leaving.take() else {
            return;
        };
        let terminal = context.terminal();
        if terminal.active_screen_kind() != ScreenKind::Primary || view.is_empty() {
            return;
        }
        // The program was started on the line above the restored cursor (or on the
        // cursor's line if something was typed on it).
        let cursor = terminal.cursor();
        let row = cursor.row as i64 - if cursor.col == 0 { 1 } else { 0 };
        let anchor = self.physical + row;
        self.views.push_back((anchor, view));
        if anchor < self.physical {
            self.flush_views(anchor);
        }
    }

    fn evicted(&mut self, _context: &mut Observation<'_>, line: &Line) {
        self.push(line);
    }

    fn end(&mut self, _context: &mut Observation<'_>) -> Self::Output {}
}

/// Counts and hashes what the converter reads from the original.
struct Tap<R> {
    inner: R,
    read: Arc<AtomicU64>,
    sha256: digest::Context,
}

impl<R: Read> Read for Tap<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.sha256.update(&buf[..n]);
        self.read.fetch_add(n as u64, Ordering::Relaxed);
        Ok(n)
    }
}

pub fn run(
    vault: &Vault,
    download: &DownloadRow,
    blob: &str,
    expected_sha256: &str,
    progress: &mut Progress,
) -> Result<(), JobError> {
    let reader = vault.open_blob(blob)?;
    let size = reader.size();
    progress.set_total(size);
    let read = Arc::new(AtomicU64::new(0));
    let tap = Tap {
        inner: reader.range(0, size),
        read: read.clone(),
        sha256: digest::Context::new(&digest::SHA256),
    };
    let mut events = EventReader::new(BufReader::with_capacity(256 * 1024, tap))
        .map_err(|e| JobError::Failed(format!("unsupported input: {e}")))?;
    let mut transcript = Transcript::new(events.header.width as usize, events.header.height as usize);
    let mut output = Output::create(vault, download.id)?;
    let mut counted = 0;
    while let Some(event) = events
        .next_event()
        .map_err(|e| JobError::Failed(format!("unsupported input: {e}")))?
    {
        match event.code.as_str() {
            "o" => transcript.output(&event.data),
            "r" => transcript.resize(&event.data),
            _ => {}
        }
        write_lines(&mut output, transcript.take_lines())?;
        let now = read.load(Ordering::Relaxed);
        progress.advance(now - counted)?;
        counted = now;
    }
    write_lines(&mut output, transcript.finish())?;
    let mut tap = events.into_inner().into_inner();
    std::io::copy(&mut tap, &mut std::io::sink())?;
    verify(&tap.sha256, expected_sha256)?;
    publish(vault, download, output)
}

fn write_lines(output: &mut Output, lines: Vec<String>) -> Result<(), JobError> {
    for line in lines {
        output.write_all(line.as_bytes())?;
        output.write_all(b"\n")?;
    }
    Ok(())
}

#[cfg(test)]
mod tests;
