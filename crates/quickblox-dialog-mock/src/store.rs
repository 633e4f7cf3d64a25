//! The in-memory store of created dialogs, the ids it hands out, and the per-credential rate limiter.

use std::collections::HashMap;
use std::sync::Mutex;
use std::sync::atomic::{AtomicU32, Ordering};
use std::time::{Instant, SystemTime, UNIX_EPOCH};

use axum::body::Bytes;

/// Dialogs as the bytes of their JSON responses, so that a repeated private dialog is answered without re-encoding.
pub(crate) struct Store {
    inner: Mutex<Inner>,
    ids: IdGenerator,
}

#[derive(Default)]
struct Inner {
    dialogs: HashMap<String, Bytes>,
    /// The private dialog of each pair of users, smaller id first: creating it again returns it.
    private: HashMap<(i64, i64), String>,
}

impl Store {
    pub(crate) fn new() -> Result<Self, String> {
        Ok(Self {
            inner: Mutex::default(),
            ids: IdGenerator::new()?,
        })
    }

    /// Stores a new dialog made by `encode` from a fresh id, or, for a private dialog whose pair of users already
    /// has one, returns that one instead.
    pub(crate) fn create(&self, private_pair: Option<(i64, i64)>, encode: impl FnOnce(&str) -> Bytes) -> Bytes {
        let id = self.ids.next();
        let Some((a, b)) = private_pair else {
            let body = encode(&id);
            self.lock().dialogs.insert(id, body.clone());
            return body;
        };
        let pair = (a.min(b), a.max(b));
        // The lock is held from the look-up to the insert, so that two racing requests make one dialog.
        let mut inner = self.lock();
        if let Some(existing) = inner.private.get(&pair).and_then(|id| inner.dialogs.get(id)) {
            return existing.clone();
        }
        let body = encode(&id);
        inner.private.insert(pair, id.clone());
        inner.dialogs.insert(id, body.clone());
        body
    }

    /// How many dialogs the store holds.
    pub(crate) fn len(&self) -> usize {
        self.lock().dialogs.len()
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Inner> {
        // Nothing panics while holding the lock, but a poisoned store is still a usable store.
        self.inner.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
    }
}

/// Dialog ids shaped like MongoDB ObjectIds, as the real API's are: 4 bytes of Unix seconds, 5 random bytes fixed
/// for the process, and a 3-byte counter, as 24 lowercase hex digits.
struct IdGenerator {
    process: [u8; 5],
    counter: AtomicU32,
}

impl IdGenerator {
    fn new() -> Result<Self, String> {
        let mut random = [0u8; 8];
        getrandom::fill(&mut random).map_err(|err| format!("reading random bytes from the operating system: {err}"))?;
        let [p0, p1, p2, p3, p4, c0, c1, c2] = random;
        Ok(Self {
            process: [p0, p1, p2, p3, p4],
            counter: AtomicU32::new(u32::from_be_bytes([0, c0, c1, c2])),
        })
    }

    fn next(&self) -> String {
        let seconds = unix_seconds() as u32;
        let count = self.counter.fetch_add(1, Ordering::Relaxed).to_be_bytes();
        let mut bytes = [0u8; 12];
        bytes[..4].copy_from_slice(&seconds.to_be_bytes());
        bytes[4..9].copy_from_slice(&self.process);
        bytes[9..].copy_from_slice(&count[1..]);
        const HEX: &[u8; 16] = b"0123456789abcdef";
        bytes
            .iter()
            .flat_map(|byte| [HEX[usize::from(byte >> 4)], HEX[usize::from(byte & 15)]])
            .map(char::from)
            .collect()
    }
}

pub(crate) fn unix_seconds() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|elapsed| elapsed.as_secs() as i64)
        .unwrap_or(0)
}

/// A token bucket per credential: `rate` requests per second, with a burst of one second's worth.
pub(crate) struct RateLimiter {
    rate: f64,
    buckets: Mutex<HashMap<String, Bucket>>,
}

struct Bucket {
    tokens: f64,
    last: Instant,
}

impl RateLimiter {
    pub(crate) fn new(rate: u32) -> Self {
        Self {
            rate: f64::from(rate),
            buckets: Mutex::default(),
        }
    }

    /// Takes one request from `credential`'s bucket; false when it is empty. Only known credentials reach this, so
    /// the map stays as small as the configuration.
    pub(crate) fn allow(&self, credential: &str) -> bool {
        let now = Instant::now();
        let mut buckets = self.buckets.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        let bucket = match buckets.get_mut(credential) {
            Some(bucket) => bucket,
            None => buckets.entry(credential.to_string()).or_insert(Bucket {
                tokens: self.rate,
                last: now,
            }),
        };
        let refill = now.duration_since(bucket.last).as_secs_f64() * self.rate;
        bucket.tokens = (bucket.tokens + refill).min(self.rate);
        bucket.last = now;
        if bucket.tokens >= 1.0 {
            bucket.tokens -= 1.0;
            true
        } else {
            false
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_24_hex_and_distinct() {
        let ids = IdGenerator::new().unwrap();
        let (a, b) = (ids.next(), ids.next());
        assert_eq!(a.len(), 24);
        assert!(
            a.bytes().all(|c| c.is_ascii_hexdigit() && !c.is_ascii_uppercase()),
            "{a}"
        );
        assert_ne!(a, b);
        assert_eq!(a[..18], b[..18], "same second, same process: only the counter differs");
    }

    #[test]
    fn a_private_pair_has_one_dialog_either_way_round() {
        let store = Store::new().unwrap();
        let first = store.create(Some((1, 2)), |id| Bytes::from(id.to_string()));
        let again = store.create(Some((2, 1)), |_| unreachable!("the existing dialog is returned"));
        assert_eq!(first, again);
        let other = store.create(Some((1, 3)), |id| Bytes::from(id.to_string()));
        assert_ne!(first, other);
        store.create(None, |id| Bytes::from(id.to_string()));
        assert_eq!(store.len(), 3);
    }

    #[test]
    fn the_rate_limiter_allows_a_second_of_burst_per_credential() {
        let limiter = RateLimiter::new(3);
        assert_eq!((0..5).filter(|_| limiter.allow("a")).count(), 3);
        assert!(limiter.allow("b"), "each credential has its own bucket");
    }
}
