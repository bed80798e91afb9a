//! Ingest: a recording or transferred file streamed in, checked as it comes, stored as
//! a blob, and only then attached to its session in one transaction.
//!
//! Order of durability: (1) an intent names the blob before a byte is written; (2) the
//! blob is written, fsynced and renamed into place; (3) one transaction inserts the row
//! and drops the intent. A crash before (3) leaves an intent whose blob the next start
//! removes; after (3) the upload is complete. Nothing is visible before (3).

use std::io::Write;

use super::asciicast::{self, Validator};
use super::model::{Protocol, RecordingFormat};
use super::rights::{Caller, Right};
use super::search::{Indexer, Segment};
use super::{Vault, VaultError};
use crate::blobstore::{BlobId, BlobWriter, TooLarge};
use crate::db::search::{self, TextRow};
use crate::db::sessions::{self, SessionRow, StoredRecording};
use crate::db::transfers::{self, NewTransfer, TransferRow};
use crate::db::{DbError, intents};
use crate::timestamp::Timestamp;

/// Where an upload goes, with what it needs to be checked and recorded.
enum Target {
    Recording {
        session: Box<SessionRow>,
        inspector: Inspector,
    },
    Transfer(TransferInput),
}

#[derive(Debug, Clone)]
pub struct TransferInput {
    pub session_id: i64,
    pub path: String,
    pub from_server: bool,
    pub delta: i64,
}

/// Recognises what a recording is from its first bytes, then validates it if it is a
/// terminal recording.
enum Inspector {
    Sniffing(Vec<u8>),
    Asciicast(Box<(Validator, Indexer)>),
    Binary(RecordingFormat),
}

/// What inspection learnt: the format, and the searchable text of a terminal recording.
struct Inspected {
    format: RecordingFormat,
    segments: Vec<Segment>,
}

const SNIFF_LEN: usize = 12;

fn sniff(head: &[u8]) -> Option<RecordingFormat> {
    let text_start = head.iter().find(|b| !b.is_ascii_whitespace());
    if text_start == Some(&b'{') {
        return Some(RecordingFormat::Asciicast);
    }
    if head.starts_with(&[0x1a, 0x45, 0xdf, 0xa3]) {
        return Some(RecordingFormat::Webm);
    }
    if head.len() >= 8 && &head[4..8] == b"ftyp" {
        return Some(RecordingFormat::Mp4);
    }
    None
}

pub enum Uploaded {
    Recording(SessionRow),
    Transfer(TransferRow),
}

pub struct Upload {
    vault: Vault,
    target: Target,
    writer: Option<BlobWriter>,
    blob: BlobId,
    committed: bool,
}

/// Uploads carry the bytes themselves as the body, whatever their declared type (curl
/// says `application/x-www-form-urlencoded` unless told otherwise; the content decides).
/// A multipart form is the one thing refused: its body is not the file.
fn refuse_forms(content_type: Option<&str>) -> Result<(), VaultError> {
    if content_type
        .map(essence)
        .is_some_and(|ct| ct.starts_with("multipart/"))
    {
        return Err(VaultError::UnsupportedMediaType(
            "send the bytes as the request body (curl --data-binary @FILE), not as a multipart form".into(),
        ));
    }
    Ok(())
}

fn check_length(vault: &Vault, declared: Option<u64>) -> Result<(), VaultError> {
    match declared {
        Some(len) if len > vault.settings.max_upload_size => Err(too_large(vault)),
        _ => Ok(()),
    }
}

fn too_large(vault: &Vault) -> VaultError {
    VaultError::TooLarge(format!(
        "uploads are limited to {} bytes (setting max_upload_size)",
        vault.settings.max_upload_size
    ))
}

/// The essence of a media type: `Text/Plain; charset=x` → `text/plain`.
fn essence(content_type: &str) -> String {
    content_type
        .split(';')
        .next()
        .unwrap_or("")
        .trim()
        .to_ascii_lowercase()
}

impl Vault {
    pub fn begin_recording_upload(
        &self,
        caller: &Caller,
        session_id: i64,
        content_type: Option<&str>,
        declared_len: Option<u64>,
    ) -> Result<Upload, VaultError> {
        let session = self.session_with(caller, Right::Ingest, session_id)?;
        refuse_forms(content_type)?;
        if session.removed {
            return Err(VaultError::Conflict(format!(
                "session {session_id} is in the trash"
            )));
        }
        if session.recording_blob.is_some() {
            return Err(VaultError::Conflict(format!(
                "session {session_id} already has a recording"
            )));
        }
        check_length(self, declared_len)?;
        self.begin(Target::Recording {
            session: Box::new(session),
            inspector: Inspector::Sniffing(Vec::new()),
        })
    }

    pub fn begin_transfer_upload(
        &self,
        caller: &Caller,
        input: TransferInput,
        content_type: Option<&str>,
        declared_len: Option<u64>,
    ) -> Result<Upload, VaultError> {
        let session = self.session_with(caller, Right::Ingest, input.session_id)?;
        refuse_forms(content_type)?;
        if session.removed {
            return Err(VaultError::Conflict(format!(
                "session {} is in the trash",
                session.id
            )));
        }
        check_transfer_path(&input.path)?;
        if input.delta < 0 {
            return Err(VaultError::bad("delta", "must not be negative"));
        }
        check_length(self, declared_len)?;
        self.begin(Target::Transfer(input))
    }

    fn begin(&self, target: Target) -> Result<Upload, VaultError> {
        let blob = self.blobs.new_id();
        self.db
            .write(|tx| intents::add(tx, blob.as_str(), std::process::id()).map_err(VaultError::from))?;
        let mut upload = Upload {
            vault: self.clone(),
            target,
            writer: None,
            blob: blob.clone(),
            committed: false,
        };
        upload.writer = Some(self.blobs.writer(blob, self.settings.max_upload_size)?);
        Ok(upload)
    }
}

fn check_transfer_path(path: &str) -> Result<(), VaultError> {
    if path.is_empty() {
        return Err(VaultError::bad(
            "path",
            "is required: the file's path on the server",
        ));
    }
    if path.len() > 4096 || path.contains('\0') {
        return Err(VaultError::bad("path", "longer than 4096 bytes or contains NUL"));
    }
    Ok(())
}

impl Upload {
    /// Takes the next bytes of the body.
    pub fn write(&mut self, data: &[u8]) -> Result<(), VaultError> {
        if let Target::Recording { session, inspector } = &mut self.target {
            inspect(session.protocol, inspector, data)?;
        }
        let writer = self
            .writer
            .as_mut()
            .ok_or_else(|| VaultError::Internal("upload closed".into()))?;
        writer.write_all(data).map_err(
            |e| match e.get_ref().is_some_and(|inner| inner.is::<TooLarge>()) {
                true => too_large(&self.vault),
                false => e.into(),
            },
        )
    }

    /// Ends the body: final checks, the blob made durable, the row committed.
    pub fn finish(mut self) -> Result<Uploaded, VaultError> {
        let inspected = match &mut self.target {
            Target::Recording { session, inspector } => Some(finish_inspection(session.protocol, inspector)?),
            Target::Transfer(_) => None,
        };
        let writer = self
            .writer
            .take()
            .ok_or_else(|| VaultError::Internal("upload closed".into()))?;
        let stored = writer.finish()?;
        let sha256 = stored.sha256_hex();
        let blob = stored.id.as_str().to_string();
        let result = self.vault.db.write(|tx| {
            intents::remove(tx, &blob)?;
            match &self.target {
                Target::Recording { session, .. } => {
                    let (format, segments) = match &inspected {
                        Some(i) => (i.format, i.segments.as_slice()),
                        None => (RecordingFormat::None, &[][..]),
                    };
                    let recording = StoredRecording {
                        format,
                        blob: &blob,
                        size: stored.size as i64,
                        sha256: &sha256,
                    };
                    if !sessions::set_recording(tx, session.id, &recording)? {
                        return Err(VaultError::Conflict(format!(
                            "session {} already has a recording",
                            session.id
                        )));
                    }
                    for segment in segments {
                        search::insert(
                            tx,
                            &TextRow {
                                session_id: session.id,
                                kind: segment.kind,
                                time: Some(segment.time),
                                body: &segment.text,
                                line_times: Some(&segment.line_times_text()),
                            },
                        )?;
                    }
                    let row = sessions::get(tx, session.id)?
                        .ok_or_else(|| VaultError::NotFound(format!("session {} not found", session.id)))?;
                    Ok(Uploaded::Recording(row))
                }
                Target::Transfer(input) => {
                    let row = transfers::insert(
                        tx,
                        &NewTransfer {
                            session_id: input.session_id,
                            path: &input.path,
                            size: stored.size as i64,
                            from_server: input.from_server,
                            delta: input.delta,
                            sha256: &sha256,
                            blob: &blob,
                        },
                    )?;
                    sessions::count_transfer(tx, input.session_id, stored.size as i64)?;
                    search::insert(
                        tx,
                        &TextRow {
                            session_id: input.session_id,
                            kind: "file",
                            time: Some(input.delta as f64 / 1000.0),
                            body: &input.path,
                            line_times: None,
                        },
                    )?;
                    Ok(Uploaded::Transfer(row))
                }
            }
        });
        if result.is_ok() {
            self.committed = true;
        }
        result
    }
}

impl Drop for Upload {
    fn drop(&mut self) {
        if self.committed {
            return;
        }
        // Dropping the writer removes its temporary file; a finished blob that lost the
        // race to its row goes too. The intent goes last: if we die before, the next
        // start finishes the job.
        drop(self.writer.take());
        let removed = self.vault.blobs.remove(&self.blob).is_ok();
        if removed {
            let blob = self.blob.as_str().to_string();
            let _ = self
                .vault
                .db
                .write(|tx| intents::remove(tx, &blob).map_err(DbError::from));
        }
    }
}

fn inspect(protocol: Protocol, inspector: &mut Inspector, data: &[u8]) -> Result<(), VaultError> {
    if let Inspector::Sniffing(head) = inspector {
        let take = (SNIFF_LEN - head.len()).min(data.len());
        head.extend_from_slice(&data[..take]);
        if head.len() < SNIFF_LEN {
            return Ok(());
        }
        let head = std::mem::take(head);
        *inspector = start_inspection(protocol, &head)?;
        // The sniffed bytes are fed below with the rest of this piece.
        let already = head.len() - take;
        if let Inspector::Asciicast(state) = inspector {
            let (validator, indexer) = &mut **state;
            validator
                .feed_with(&head[..already], &mut |e| indexer.event(&e))
                .map_err(bad_recording)?;
        }
    }
    match inspector {
        Inspector::Asciicast(state) => {
            let (validator, indexer) = &mut **state;
            validator
                .feed_with(data, &mut |e| indexer.event(&e))
                .map_err(bad_recording)
        }
        _ => Ok(()),
    }
}

fn start_inspection(protocol: Protocol, head: &[u8]) -> Result<Inspector, VaultError> {
    let format = sniff(head).ok_or_else(|| {
        VaultError::UnsupportedMediaType("the recording is not asciicast v2, WebM or MP4".into())
    })?;
    let allowed = protocol.recording_formats();
    if !allowed.contains(&format) {
        let names: Vec<&str> = allowed.iter().map(|f| f.as_str()).collect();
        return Err(VaultError::UnsupportedMediaType(format!(
            "a {protocol} session's recording must be {}; this one is {format}",
            names.join(" or ")
        )));
    }
    Ok(match format {
        RecordingFormat::Asciicast => Inspector::Asciicast(Box::new((Validator::new(), Indexer::default()))),
        other => Inspector::Binary(other),
    })
}

fn finish_inspection(protocol: Protocol, inspector: &mut Inspector) -> Result<Inspected, VaultError> {
    if let Inspector::Sniffing(head) = inspector {
        if head.is_empty() {
            return Err(VaultError::bad("recording", "the body is empty"));
        }
        let head = std::mem::take(head);
        *inspector = start_inspection(protocol, &head)?;
        if let Inspector::Asciicast(state) = inspector {
            let (validator, indexer) = &mut **state;
            validator
                .feed_with(&head, &mut |e| indexer.event(&e))
                .map_err(bad_recording)?;
        }
    }
    match std::mem::replace(inspector, Inspector::Sniffing(Vec::new())) {
        Inspector::Asciicast(state) => {
            let (validator, mut indexer) = *state;
            validator
                .finish_with(&mut |e| indexer.event(&e))
                .map_err(bad_recording)?;
            Ok(Inspected {
                format: RecordingFormat::Asciicast,
                segments: indexer.finish(),
            })
        }
        Inspector::Binary(format) => Ok(Inspected {
            format,
            segments: Vec::new(),
        }),
        Inspector::Sniffing(_) => Err(VaultError::Internal("recording was never inspected".into())),
    }
}

fn bad_recording(e: asciicast::CastError) -> VaultError {
    VaultError::bad("recording", format!("not a valid asciicast v2 recording: {e}"))
}

/// When a recording arrives by `import`, its start time comes from the cast header.
pub fn started_from_header(header: &asciicast::Header) -> Option<Timestamp> {
    header
        .timestamp
        .map(|t| Timestamp::from_micros(t.saturating_mul(1_000_000)))
}
