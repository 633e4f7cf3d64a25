//! The in-memory store of created dialogs (bounded, oldest out first), the ids and clock it hands out, and the per-credential rate limiter.

use std::collections::{HashMap, VecDeque};
use std::fmt;
use std::hash::Hash;
use std::sync::Mutex;
use std::sync::atomic::{AtomicI64, AtomicU32, Ordering};
use std::time::{Instant, SystemTime, UNIX_EPOCH};

use axum::body::Bytes;

/// Records of one kind, keyed and kept in insertion order, never more than `cap` of them: inserting into a full
/// collection removes the oldest record first.
///
/// First in, first out is predictable (the n-th newest record is there as long as fewer than `cap` came after it)
/// and costs O(1) per insert; a later kind of record (messages, say) gets a collection of its own.
pub(crate) struct Bounded<K, V> {
    cap: usize,
    order: VecDeque<K>,
    records: HashMap<K, V>,
}

impl<K: Copy + Eq + Hash, V> Bounded<K, V> {
    /// A collection that holds at most `cap` records (at least one).
    pub(crate) fn new(cap: usize) -> Self {
        Self {
            cap: cap.max(1),
            order: VecDeque::new(),
            records: HashMap::new(),
        }
    }

    /// Adds `value` under a key that is not there yet, and returns the record it pushed out, if the collection was
    /// full.
    pub(crate) fn insert(&mut self, key: K, value: V) -> Option<(K, V)> {
        let evicted = if self.records.len() >= self.cap {
            self.order
                .pop_front()
                .and_then(|oldest| self.records.remove(&oldest).map(|value| (oldest, value)))
        } else {
            None
        };
        self.order.push_back(key);
        self.records.insert(key, value);
        evicted
    }

    pub(crate) fn get(&self, key: &K) -> Option<&V> {
        self.records.get(key)
    }

    pub(crate) fn len(&self) -> usize {
        self.records.len()
    }
}

/// A stored dialog: its response body, and the pair of users it is the private dialog of, if it is one.
struct StoredDialog {
    body: Bytes,
    private_pair: Option<(i64, i64)>,
}

/// Dialogs as the bytes of their JSON responses, so that a repeated private dialog is answered without re-encoding.
pub(crate) struct Store {
    inner: Mutex<Inner>,
    ids: IdGenerator,
}

struct Inner {
    dialogs: Bounded<ObjectId, StoredDialog>,
    /// The private dialog of each pair of users, smaller id first: creating it again returns it. An entry leaves
    /// together with its dialog, so that an evicted pair makes a new dialog rather than pointing at nothing.
    private: HashMap<(i64, i64), ObjectId>,
}

impl Store {
    /// A store of at most `max_dialogs` dialogs; with a seed, its ids are the same from run to run.
    pub(crate) fn new(max_dialogs: usize, seed: Option<u64>) -> Result<Self, String> {
        Ok(Self {
            inner: Mutex::new(Inner {
                dialogs: Bounded::new(max_dialogs),
                private: HashMap::new(),
            }),
            ids: IdGenerator::new(seed)?,
        })
    }

    /// Stores a new dialog made by `encode` from a fresh id taken at `now` (Unix seconds), or, for a private dialog
    /// whose pair of users already has one, returns that one instead.
    pub(crate) fn create(
        &self,
        now: i64,
        private_pair: Option<(i64, i64)>,
        encode: impl FnOnce(&str) -> Bytes,
    ) -> Bytes {
        let pair = private_pair.map(|(a, b)| (a.min(b), a.max(b)));
        // The lock is held from the look-up to the insert, so that two racing requests make one dialog.
        let mut inner = self.lock();
        if let Some(existing) = pair
            .and_then(|pair| inner.private.get(&pair))
            .and_then(|id| inner.dialogs.get(id))
        {
            return existing.body.clone();
        }
        let id = self.ids.next(now);
        let body = encode(&id.to_string());
        if let Some(pair) = pair {
            inner.private.insert(pair, id);
        }
        let stored = StoredDialog {
            body: body.clone(),
            private_pair: pair,
        };
        if let Some((evicted_id, evicted)) = inner.dialogs.insert(id, stored)
            && let Some(evicted_pair) = evicted.private_pair
            && inner.private.get(&evicted_pair) == Some(&evicted_id)
        {
            inner.private.remove(&evicted_pair);
        }
        body
    }

    /// How many dialogs the store holds.
    pub(crate) fn len(&self) -> usize {
        self.lock().dialogs.len()
    }

    /// How many private pairs the store remembers; never more than the dialogs it holds.
    #[cfg(test)]
    fn private_pairs(&self) -> usize {
        self.lock().private.len()
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Inner> {
        // Nothing panics while holding the lock, but a poisoned store is still a usable store.
        self.inner.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
    }
}

/// A dialog id shaped like a MongoDB ObjectId, as the real API's are; written as 24 lowercase hex digits.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub(crate) struct ObjectId([u8; 12]);

impl fmt::Display for ObjectId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.iter().try_for_each(|byte| write!(f, "{byte:02x}"))
    }
}

/// ObjectIds: 4 bytes of Unix seconds, 5 bytes fixed for the process, and a 3-byte counter. Without a seed the
/// 5 bytes and the counter's start are random, as MongoDB's are; with one they come from the seed.
struct IdGenerator {
    process: [u8; 5],
    counter: AtomicU32,
}

impl IdGenerator {
    fn new(seed: Option<u64>) -> Result<Self, String> {
        let random = match seed {
            Some(seed) => splitmix64(seed).to_be_bytes(),
            None => {
                let mut random = [0u8; 8];
                getrandom::fill(&mut random)
                    .map_err(|err| format!("reading random bytes from the operating system: {err}"))?;
                random
            }
        };
        let [p0, p1, p2, p3, p4, c0, c1, c2] = random;
        Ok(Self {
            process: [p0, p1, p2, p3, p4],
            counter: AtomicU32::new(u32::from_be_bytes([0, c0, c1, c2])),
        })
    }

    fn next(&self, now: i64) -> ObjectId {
        let count = self.counter.fetch_add(1, Ordering::Relaxed).to_be_bytes();
        let mut bytes = [0u8; 12];
        // ObjectIds hold the time as 32 bits; the clamp only matters for clocks set past 2106.
        bytes[..4].copy_from_slice(&(now.clamp(0, i64::from(u32::MAX)) as u32).to_be_bytes());
        bytes[4..9].copy_from_slice(&self.process);
        bytes[9..].copy_from_slice(&count[1..]);
        ObjectId(bytes)
    }
}

/// One step of SplitMix64: spreads a small seed over all 64 bits, so that seeds 1 and 2 give unrelated ids.
fn splitmix64(seed: u64) -> u64 {
    let mut z = seed.wrapping_add(0x9e37_79b9_7f4a_7c15);
    z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    z ^ (z >> 31)
}

/// Where the mock's time comes from: the system clock, or, with `--seed`, a logical clock that starts at a fixed
/// epoch and advances one second per request, so that timestamps (and the ids made from them) repeat run to run.
pub(crate) enum Clock {
    System,
    Logical(AtomicI64),
}

impl Clock {
    /// The logical clock's first reading: `2020-01-20T21:32:34Z`, the timestamp of the vendor's own example.
    pub(crate) const EPOCH: i64 = 1_579_555_954;

    pub(crate) fn new(seed: Option<u64>) -> Self {
        match seed {
            Some(_) => Self::Logical(AtomicI64::new(Self::EPOCH)),
            None => Self::System,
        }
    }

    /// The time of a request that has just arrived, in Unix seconds; on the logical clock, each call is one tick.
    pub(crate) fn tick(&self) -> i64 {
        match self {
            Self::System => SystemTime::now()
                .duration_since(UNIX_EPOCH)
                .map(|elapsed| elapsed.as_secs() as i64)
                .unwrap_or(0),
            Self::Logical(next) => next.fetch_add(1, Ordering::Relaxed),
        }
    }

    pub(crate) fn is_logical(&self) -> bool {
        matches!(self, Self::Logical(_))
    }
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

    fn id_body(id: &str) -> Bytes {
        Bytes::from(id.to_string())
    }

    #[test]
    fn ids_are_24_hex_and_distinct() {
        let ids = IdGenerator::new(None).unwrap();
        let (a, b) = (ids.next(1_579_555_954).to_string(), ids.next(1_579_555_954).to_string());
        assert_eq!(a.len(), 24);
        assert!(
            a.bytes().all(|c| c.is_ascii_hexdigit() && !c.is_ascii_uppercase()),
            "{a}"
        );
        assert_eq!(&a[..8], "5e261c72", "the time comes first, big-endian");
        assert_ne!(a, b);
        assert_eq!(a[..18], b[..18], "same second, same process: only the counter differs");
    }

    #[test]
    fn a_seed_fixes_the_ids() {
        let ids = |seed| {
            let generator = IdGenerator::new(Some(seed)).unwrap();
            (0..3).map(|n| generator.next(n).to_string()).collect::<Vec<_>>()
        };
        assert_eq!(ids(7), ids(7));
        assert_ne!(ids(7), ids(8));
    }

    #[test]
    fn the_logical_clock_ticks_once_per_request_from_its_epoch() {
        let clock = Clock::new(Some(1));
        assert_eq!((clock.tick(), clock.tick()), (Clock::EPOCH, Clock::EPOCH + 1));
        let system = Clock::new(None);
        assert!(system.tick() > Clock::EPOCH && !system.is_logical());
    }

    #[test]
    fn a_private_pair_has_one_dialog_either_way_round() {
        let store = Store::new(10, None).unwrap();
        let first = store.create(0, Some((1, 2)), id_body);
        let again = store.create(0, Some((2, 1)), |_| unreachable!("the existing dialog is returned"));
        assert_eq!(first, again);
        let other = store.create(0, Some((1, 3)), id_body);
        assert_ne!(first, other);
        store.create(0, None, id_body);
        assert_eq!(store.len(), 3);
    }

    #[test]
    fn the_cap_evicts_the_oldest_dialog_first() {
        let store = Store::new(3, Some(1)).unwrap();
        let bodies: Vec<Bytes> = (0..5).map(|n| store.create(n, None, id_body)).collect();
        assert_eq!(store.len(), 3);
        let inner = store.lock();
        let kept: Vec<&Bytes> = inner
            .dialogs
            .order
            .iter()
            .map(|id| &inner.dialogs.get(id).unwrap().body)
            .collect();
        assert_eq!(
            kept,
            bodies[2..].iter().collect::<Vec<_>>(),
            "the two oldest left, in order"
        );
    }

    #[test]
    fn an_evicted_private_pair_makes_a_new_dialog() {
        let store = Store::new(2, None).unwrap();
        let private = store.create(0, Some((1, 2)), id_body);
        assert_eq!(store.create(0, Some((2, 1)), id_body), private, "still stored");
        store.create(0, None, id_body);
        store.create(0, None, id_body);
        assert_eq!(store.private_pairs(), 0, "the pair left with its dialog");
        let again = store.create(0, Some((1, 2)), id_body);
        assert_ne!(again, private, "a new dialog once the old one is gone");
        assert_eq!((store.len(), store.private_pairs()), (2, 1));
    }

    #[test]
    fn a_cap_of_one_still_answers_the_repeated_private_dialog() {
        let store = Store::new(1, None).unwrap();
        let private = store.create(0, Some((1, 2)), id_body);
        assert_eq!(store.create(0, Some((1, 2)), id_body), private);
        assert_eq!(store.len(), 1);
    }

    #[test]
    fn the_rate_limiter_allows_a_second_of_burst_per_credential() {
        let limiter = RateLimiter::new(3);
        assert_eq!((0..5).filter(|_| limiter.allow("a")).count(), 3);
        assert!(limiter.allow("b"), "each credential has its own bucket");
    }
}
