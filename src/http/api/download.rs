//! Serving a stored original: `ETag` (its SHA-256), `Range`/`If-Range`/206/416,
//! `If-None-Match`/304, and a body streamed chunk by chunk from a blocking thread.

use std::sync::Arc;

use actix_files::HttpRange;
use actix_web::body::SizedStream;
use actix_web::http::header::{self, ContentDisposition, DispositionParam, DispositionType, HeaderValue};
use actix_web::http::{Method, StatusCode};
use actix_web::web::Bytes;
use actix_web::{HttpRequest, HttpResponse};
use futures_util::Stream;
use tokio::sync::mpsc;

use crate::blobstore::BlobReader;
use crate::crypto;

/// Pieces (chunks) read ahead of the network.
const READ_AHEAD: usize = 4;

/// What a download is called and how it is typed.
pub struct Presentation {
    pub file_name: String,
    pub content_type: &'static str,
}

/// Answers `req` with the blob, whole or the requested range.
pub fn serve_blob(req: &HttpRequest, blob: Arc<BlobReader>, presentation: &Presentation) -> HttpResponse {
    let size = blob.size();
    let etag = format!("\"{}\"", crypto::hex(&blob.sha256()));
    let header_str = |name| {
        req.headers()
            .get(name)
            .and_then(|v: &HeaderValue| v.to_str().ok())
    };

    if header_str(header::IF_NONE_MATCH)
        .is_some_and(|v| v.split(',').any(|t| t.trim() == etag || t.trim() == "*"))
    {
        return HttpResponse::NotModified()
            .insert_header((header::ETAG, etag))
            .finish();
    }
    let range_applies = header_str(header::IF_RANGE).is_none_or(|v| v.trim() == etag);
    let range = match header_str(header::RANGE) {
        Some(text) if range_applies => match HttpRange::parse(text, size) {
            Ok(ranges) => ranges.first().map(|r| (r.start, r.start + r.length)),
            Err(_) => {
                return HttpResponse::build(StatusCode::RANGE_NOT_SATISFIABLE)
                    .insert_header((header::CONTENT_RANGE, format!("bytes */{size}")))
                    .insert_header((header::ETAG, etag))
                    .finish();
            }
        },
        _ => None,
    };

    let (status, start, end) = match range {
        Some((start, end)) => (StatusCode::PARTIAL_CONTENT, start, end),
        None => (StatusCode::OK, 0, size),
    };
    let mut response = HttpResponse::build(status);
    response
        .insert_header((header::CONTENT_TYPE, presentation.content_type))
        .insert_header(attachment(&presentation.file_name))
        .insert_header((header::ETAG, etag))
        .insert_header((header::ACCEPT_RANGES, "bytes"))
        .insert_header((header::X_CONTENT_TYPE_OPTIONS, "nosniff"));
    if status == StatusCode::PARTIAL_CONTENT {
        response.insert_header((header::CONTENT_RANGE, format!("bytes {start}-{}/{size}", end - 1)));
    }
    if req.method() == Method::HEAD {
        return response.body(SizedStream::new(
            end - start,
            futures_util::stream::empty::<Result<Bytes, std::io::Error>>(),
        ));
    }
    response.body(SizedStream::new(end - start, blob_stream(blob, start, end)))
}

pub fn attachment(file_name: &str) -> ContentDisposition {
    ContentDisposition {
        disposition: DispositionType::Attachment,
        parameters: vec![DispositionParam::Filename(file_name.to_string())],
    }
}

/// Bytes `start..end` of the blob, read on a blocking thread a few chunks ahead. A chunk
/// that fails authentication ends the stream with an error: the client sees a broken
/// download, never wrong bytes.
pub fn blob_stream(
    blob: Arc<BlobReader>,
    start: u64,
    end: u64,
) -> impl Stream<Item = Result<Bytes, std::io::Error>> {
    let (sender, receiver) = mpsc::channel::<Result<Bytes, std::io::Error>>(READ_AHEAD);
    actix_web::rt::task::spawn_blocking(move || {
        let mut range = blob.range(start, end);
        loop {
            let item = match range.next_piece() {
                Ok(piece) if piece.is_empty() => return,
                Ok(piece) => Ok(Bytes::from(piece)),
                Err(e) => {
                    tracing::error!(error = %e, "download stopped: stored data failed its check");
                    Err(std::io::Error::other(e))
                }
            };
            let failed = item.is_err();
            if sender.blocking_send(item).is_err() || failed {
                return;
            }
        }
    });
    futures_util::stream::unfold(receiver, |mut receiver| async move {
        receiver.recv().await.map(|item| (item, receiver))
    })
}
