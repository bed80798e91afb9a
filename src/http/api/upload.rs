//! Streams a request body into a vault upload on a blocking thread, a few pieces at a
//! time: never the whole body in memory, never file I/O on the async runtime.

use actix_web::web::{self, Bytes};
use futures_util::StreamExt;
use tokio::sync::{mpsc, oneshot};

use crate::http::error::ApiError;
use crate::vault::VaultError;
use crate::vault::ingest::{Upload, Uploaded};

/// Pieces of body in flight between the network and the disk.
const IN_FLIGHT: usize = 16;

enum Piece {
    Data(Bytes),
    End,
}

/// Feeds `payload` to `upload` and finishes it. If the client goes away before the end
/// of the body, the upload is dropped and leaves nothing behind.
pub async fn stream_into(upload: Upload, mut payload: web::Payload) -> Result<Uploaded, ApiError> {
    let (sender, mut receiver) = mpsc::channel::<Piece>(IN_FLIGHT);
    let (done, finished) = oneshot::channel();
    // Its own thread: an upload can last hours, and must not hold one of the few
    // threads that run the short database work of every other request.
    std::thread::Builder::new()
        .name("upload-writer".into())
        .spawn(move || {
            let mut upload = upload;
            let result = loop {
                match receiver.blocking_recv() {
                    Some(Piece::Data(bytes)) => {
                        if let Err(e) = upload.write(&bytes) {
                            break Err(e);
                        }
                    }
                    Some(Piece::End) => break upload.finish(),
                    None => break Err(VaultError::bad("body", "the upload was cut off before its end")),
                }
            };
            let _ = done.send(result);
        })
        .map_err(|e| {
            ApiError::from(VaultError::Internal(format!(
                "cannot start an upload writer: {e}"
            )))
        })?;
    let worker = async {
        finished
            .await
            .unwrap_or_else(|_| Err(VaultError::Internal("the upload writer stopped".into())))
    };
    while let Some(piece) = payload.next().await {
        match piece {
            Ok(bytes) => {
                if sender.send(Piece::Data(bytes)).await.is_err() {
                    // The worker stopped on an error; it is the answer.
                    break;
                }
            }
            Err(e) => {
                tracing::info!(error = %e, "upload interrupted");
                drop(sender);
                return Err(worker
                    .await
                    .err()
                    .map(ApiError::from)
                    .unwrap_or_else(|| ApiError::bad("body", e)));
            }
        }
    }
    let _ = sender.send(Piece::End).await;
    drop(sender);
    Ok(worker.await?)
}
