//! Where a request came from, for the audit trail.

use actix_web::HttpRequest;
use actix_web::http::header::USER_AGENT;

use crate::vault::audit::Origin;

/// The connecting peer's address (not `X-Forwarded-For`, which any client can write)
/// and the `User-Agent` header.
pub fn origin(req: &HttpRequest) -> Origin {
    Origin::new(
        req.peer_addr().map(|addr| addr.ip().to_string()),
        req.headers().get(USER_AGENT).and_then(|v| v.to_str().ok()),
    )
}
