//! A process-wide cap on bytes read ahead of the network for downloads. Each download
//! may always have one piece in flight, so it always progresses; read-ahead beyond that
//! is granted only while the shared budget lasts. Memory stays bounded (the budget plus
//! one piece per download) and a stalled client cannot starve the others.

use std::sync::Mutex;

use actix_web::web::Bytes;

pub struct Budget {
    available: Mutex<usize>,
}

impl Budget {
    pub const fn new(capacity: usize) -> Budget {
        Budget {
            available: Mutex::new(capacity),
        }
    }

    /// Takes `amount` bytes if they are free.
    pub fn try_acquire(&'static self, amount: usize) -> Option<Lease> {
        let mut available = self.available.lock().unwrap_or_else(|e| e.into_inner());
        if *available < amount {
            return None;
        }
        *available -= amount;
        Some(Lease {
            budget: Some(self),
            amount,
        })
    }

    fn release(&self, amount: usize) {
        *self.available.lock().unwrap_or_else(|e| e.into_inner()) += amount;
    }

    #[cfg(test)]
    fn available(&self) -> usize {
        *self.available.lock().unwrap_or_else(|e| e.into_inner())
    }
}

/// A claim on the budget, given back on drop; `Lease::free()` is the one piece every
/// download may hold without one.
pub struct Lease {
    budget: Option<&'static Budget>,
    amount: usize,
}

impl Lease {
    pub fn free() -> Lease {
        Lease {
            budget: None,
            amount: 0,
        }
    }
}

impl Drop for Lease {
    fn drop(&mut self) {
        if let Some(budget) = self.budget {
            budget.release(self.amount);
        }
    }
}

/// Bytes that hand their buffer back to `recycle` and their lease back to the budget
/// when the last slice of them is dropped.
struct Leased {
    data: Vec<u8>,
    recycle: fn(Vec<u8>),
    _lease: Lease,
}

impl AsRef<[u8]> for Leased {
    fn as_ref(&self) -> &[u8] {
        &self.data
    }
}

impl Drop for Leased {
    fn drop(&mut self) {
        (self.recycle)(std::mem::take(&mut self.data));
    }
}

pub fn leased_bytes(data: Vec<u8>, lease: Lease, recycle: fn(Vec<u8>)) -> Bytes {
    Bytes::from_owner(Leased {
        data,
        recycle,
        _lease: lease,
    })
}

#[cfg(test)]
mod tests;
