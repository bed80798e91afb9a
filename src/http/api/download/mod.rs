//! Serving bytes for download — a stored original (decrypted chunk by chunk) or a
//! prepared plain file — with `ETag` (the SHA-256), `Range`/`If-Range`/206/416,
//! `If-None-Match`/304, `HEAD`, and a body read ahead on a blocking thread so that
//! neither the runtime blocks nor a whole file sits in memory.
//!
//! Prepared files do not go through actix-files' `NamedFile`: its `ETag` is made of the
//! file's inode, size and modification time, while ours must be the SHA-256 (SPEC §3),
//! and one path for both sources keeps `Range`/`If-Range` behaviour identical. Its
//! `HttpRange` parser is used. Neither does sendfile: actix copies every body byte into
//! the connection's buffer. The read-ahead pool serves a prepared 1 GiB file at 0.7–1.2×
//! nginx's speed with sendfile, depending on how fast the machine copies memory (see
//! `benches/downloads.sh` and the README).

use std::sync::Arc;

use actix_files::HttpRange;
use actix_web::body::SizedStream;
use actix_web::http::header::{
    self, Charset, ContentDisposition, DispositionParam, DispositionType, ExtendedValue, HeaderValue,
};
use actix_web::http::{Method, StatusCode};
use actix_web::web::Bytes;
use actix_web::{HttpRequest, HttpResponse};

use crate::blobstore::BlobReader;
use crate::crypto;

mod budget;
mod pool;
mod stream;

use stream::Body;
pub use stream::Source;

/// What a download is called and how it is typed.
pub struct Presentation {
    pub file_name: String,
    pub content_type: &'static str,
}

/// Answers `req` with `source` (`size` bytes, `sha256` as hex), whole or the requested
/// range.
pub fn serve(
    req: &HttpRequest,
    source: Source,
    size: u64,
    sha256: &str,
    presentation: &Presentation,
) -> HttpResponse {
    let etag = format!("\"{sha256}\"");
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
            // Several ranges would need a multipart answer; the whole file is the other
            // answer HTTP allows, and what clients that ask for several handle.
            Ok(ranges) => match ranges.as_slice() {
                [one] => Some((one.start, one.start + one.length)),
                _ => None,
            },
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
        let nothing = futures_util::stream::empty::<Result<Bytes, std::io::Error>>();
        return response.body(SizedStream::new(end - start, nothing));
    }
    response.body(SizedStream::new(end - start, Body::new(source, start, end)))
}

/// A stored original, streamed.
pub fn serve_blob(req: &HttpRequest, blob: Arc<BlobReader>, presentation: &Presentation) -> HttpResponse {
    let (size, sha256) = (blob.size(), crypto::hex(&blob.sha256()));
    serve(req, Source::Blob(blob), size, &sha256, presentation)
}

/// `attachment; filename="..."`, and for a name that is not ASCII also `filename*=UTF-8''...`
/// (RFC 6266): browsers take the UTF-8 name, older clients the ASCII one with `_` for
/// every other character.
pub fn attachment(file_name: &str) -> ContentDisposition {
    let ascii: String = file_name
        .chars()
        .map(|c| if c.is_ascii() { c } else { '_' })
        .collect();
    let mut parameters = vec![DispositionParam::Filename(ascii)];
    if !file_name.is_ascii() {
        parameters.push(DispositionParam::FilenameExt(ExtendedValue {
            charset: Charset::Ext("UTF-8".to_string()),
            language_tag: None,
            value: file_name.as_bytes().to_vec(),
        }));
    }
    ContentDisposition {
        disposition: DispositionType::Attachment,
        parameters,
    }
}

/// The last part of a path, for a download's file name.
pub fn base_name(path: &str) -> String {
    let name = path.rsplit(['/', '\\']).find(|p| !p.is_empty()).unwrap_or("file");
    name.chars().filter(|c| !c.is_control()).collect()
}

#[cfg(test)]
mod tests;
