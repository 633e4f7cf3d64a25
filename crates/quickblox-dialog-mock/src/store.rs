//! The in-memory store of dialogs (bounded, oldest out first, with each user's deletions), the ids and clock it hands out, and the per-credential rate limiter.

use std::collections::{BTreeSet, HashMap, VecDeque};
use std::fmt;
use std::hash::Hash;
use std::sync::Mutex;
use std::sync::atomic::{AtomicI64, AtomicU32, Ordering};
use std::time::{Instant, SystemTime, UNIX_EPOCH};

use axum::body::Bytes;
use serde::Serialize;
use serde_json::{Map, Value};

/// Records of one kind, keyed and kept in insertion order, never more than `cap` of them: inserting into a full
/// collection removes the oldest record first.
///
/// First in, first out is predictable (the n-th newest record is there as long as fewer than `cap` came after it)
/// and costs O(1) per insert; a later kind of record (messages, say) gets a collection of its own.
pub(crate) struct Bounded<K, V> {
    cap: usize,
    /// Insertion order; keys removed out of order stay here until eviction passes them or a compaction drops them.
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
        let mut evicted = None;
        if self.records.len() >= self.cap {
            // Keys already removed are skipped: the oldest record still there is the one to go.
            while let Some(oldest) = self.order.pop_front() {
                if let Some(value) = self.records.remove(&oldest) {
                    evicted = Some((oldest, value));
                    break;
                }
            }
        }
        self.order.push_back(key);
        self.records.insert(key, value);
        evicted
    }

    /// Removes one record, wherever it is in the order.
    pub(crate) fn remove(&mut self, key: &K) -> Option<V> {
        let value = self.records.remove(key)?;
        // Removal leaves the key in `order`; dropping the stale keys once they outnumber the records keeps `order`
        // within twice the records at an amortised O(1) per removal.
        if self.order.len() > 2 * self.records.len() + 16 {
            let records = &self.records;
            self.order.retain(|key| records.contains_key(key));
        }
        Some(value)
    }

    pub(crate) fn get(&self, key: &K) -> Option<&V> {
        self.records.get(key)
    }

    pub(crate) fn get_mut(&mut self, key: &K) -> Option<&mut V> {
        self.records.get_mut(key)
    }

    /// The records, in no particular order.
    pub(crate) fn values(&self) -> impl Iterator<Item = &V> {
        self.records.values()
    }

    pub(crate) fn len(&self) -> usize {
        self.records.len()
    }
}

/// A stored dialog: the fields the API returns, and what the mock keeps beside them.
#[derive(Clone, Debug, Serialize)]
pub(crate) struct Dialog {
    #[serde(rename = "_id", serialize_with = "display")]
    pub(crate) id: ObjectId,
    #[serde(serialize_with = "iso_8601")]
    pub(crate) created_at: i64,
    #[serde(serialize_with = "iso_8601")]
    pub(crate) updated_at: i64,
    #[serde(rename = "type")]
    pub(crate) type_: i64,
    pub(crate) user_id: i64,
    pub(crate) name: String,
    pub(crate) occupants_ids: Vec<i64>,
    pub(crate) photo: Option<String>,
    pub(crate) xmpp_room_jid: Option<String>,
    /// The mock stores no messages, so the four `last_message` fields are always null; filters and sorting read
    /// them as they are.
    pub(crate) last_message: Option<String>,
    pub(crate) last_message_id: Option<String>,
    pub(crate) last_message_date_sent: Option<i64>,
    pub(crate) last_message_user_id: Option<i64>,
    pub(crate) unread_messages_count: Option<i64>,
    pub(crate) admin_ids: Vec<i64>,
    pub(crate) is_join_required: Option<i64>,
    pub(crate) silent_ids: Vec<i64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) data: Option<Map<String, Value>>,
    /// The users who deleted the dialog without `force`: it is gone from their list, and only from theirs.
    #[serde(skip)]
    pub(crate) removed_by: BTreeSet<i64>,
    /// For a private dialog, its pair of users, smaller id first.
    #[serde(skip)]
    pub(crate) private_pair: Option<(i64, i64)>,
}

/// The dialog types, as `DialogType` numbers them.
pub(crate) const PUBLIC_GROUP: i64 = 1;
pub(crate) const GROUP: i64 = 2;
pub(crate) const PRIVATE: i64 = 3;

impl Dialog {
    /// Whether `user` sees the dialog: they take part in it, or it is a public group, and they have not deleted it
    /// from their list.
    pub(crate) fn visible_to(&self, user: i64) -> bool {
        (self.type_ == PUBLIC_GROUP || self.occupants_ids.contains(&user)) && !self.removed_by.contains(&user)
    }

    /// The dialog as its JSON response body.
    pub(crate) fn to_bytes(&self) -> Bytes {
        // Serializing strings, integers and a JSON map cannot fail.
        Bytes::from(serde_json::to_vec(self).unwrap_or_default())
    }
}

fn display<S: serde::Serializer>(id: &ObjectId, serializer: S) -> Result<S::Ok, S::Error> {
    serializer.collect_str(id)
}

fn iso_8601<S: serde::Serializer>(seconds: &i64, serializer: S) -> Result<S::Ok, S::Error> {
    serializer.serialize_str(&timestamp(*seconds))
}

/// ISO 8601 in UTC to the second, as the API writes it: `2020-01-20T21:32:34Z`.
pub(crate) fn timestamp(seconds: i64) -> String {
    chrono::DateTime::from_timestamp(seconds, 0)
        .unwrap_or_default()
        .format("%Y-%m-%dT%H:%M:%SZ")
        .to_string()
}

/// The dialogs, by id, at most `--max-dialogs` of them.
pub(crate) struct Store {
    inner: Mutex<Inner>,
    ids: IdGenerator,
}

pub(crate) struct Inner {
    pub(crate) dialogs: Bounded<ObjectId, Dialog>,
    /// The private dialog of each pair of users, smaller id first: creating it again returns it. An entry leaves
    /// together with its dialog, so that an evicted or deleted pair makes a new dialog rather than pointing at
    /// nothing.
    private: HashMap<(i64, i64), ObjectId>,
}

impl Inner {
    /// Deletes a dialog for everyone.
    pub(crate) fn remove(&mut self, id: &ObjectId) -> Option<Dialog> {
        let dialog = self.dialogs.remove(id)?;
        self.forget_pair(id, &dialog);
        Some(dialog)
    }

    fn forget_pair(&mut self, id: &ObjectId, dialog: &Dialog) {
        if let Some(pair) = dialog.private_pair
            && self.private.get(&pair) == Some(id)
        {
            self.private.remove(&pair);
        }
    }
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

    /// Stores a new dialog made by `make` from a fresh id taken at `now` (Unix seconds), or, for a private dialog
    /// whose pair of users already has one, returns that one instead, back in `creator`'s list if they had deleted
    /// it from there.
    pub(crate) fn create(
        &self,
        now: i64,
        creator: i64,
        private_pair: Option<(i64, i64)>,
        make: impl FnOnce(ObjectId) -> Dialog,
    ) -> Dialog {
        let pair = private_pair.map(|(a, b)| (a.min(b), a.max(b)));
        // The lock is held from the look-up to the insert, so that two racing requests make one dialog.
        let mut inner = self.lock();
        if let Some(id) = pair.and_then(|pair| inner.private.get(&pair).copied())
            && let Some(existing) = inner.dialogs.get_mut(&id)
        {
            existing.removed_by.remove(&creator);
            return existing.clone();
        }
        let id = self.ids.next(now);
        let mut dialog = make(id);
        dialog.private_pair = pair;
        if let Some(pair) = pair {
            inner.private.insert(pair, id);
        }
        if let Some((evicted_id, evicted)) = inner.dialogs.insert(id, dialog.clone()) {
            inner.forget_pair(&evicted_id, &evicted);
        }
        dialog
    }

    /// Runs `f` on the store, locked: reads and changes made in it are seen whole by every other request.
    pub(crate) fn with<R>(&self, f: impl FnOnce(&mut Inner) -> R) -> R {
        f(&mut self.lock())
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
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub(crate) struct ObjectId([u8; 12]);

impl ObjectId {
    /// Reads 24 lowercase hex digits, as ids are written.
    pub(crate) fn parse(text: &str) -> Option<Self> {
        if text.len() != 24 || !text.bytes().all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b)) {
            return None;
        }
        let mut bytes = [0u8; 12];
        for (index, byte) in bytes.iter_mut().enumerate() {
            *byte = u8::from_str_radix(&text[2 * index..2 * index + 2], 16).ok()?;
        }
        Some(Self(bytes))
    }
}

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

    /// A group dialog of user 1 made with `id`.
    fn group(id: ObjectId) -> Dialog {
        Dialog {
            id,
            created_at: 0,
            updated_at: 0,
            type_: GROUP,
            user_id: 1,
            name: String::new(),
            occupants_ids: vec![1, 2],
            photo: None,
            xmpp_room_jid: None,
            last_message: None,
            last_message_id: None,
            last_message_date_sent: None,
            last_message_user_id: None,
            unread_messages_count: None,
            admin_ids: Vec::new(),
            is_join_required: Some(0),
            silent_ids: Vec::new(),
            data: None,
            removed_by: BTreeSet::new(),
            private_pair: None,
        }
    }

    fn id_of(dialog: Dialog) -> ObjectId {
        dialog.id
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
        let first = id_of(store.create(0, 1, Some((1, 2)), group));
        let again = id_of(store.create(0, 2, Some((2, 1)), |_| unreachable!("the existing dialog is returned")));
        assert_eq!(first, again);
        let other = id_of(store.create(0, 1, Some((1, 3)), group));
        assert_ne!(first, other);
        store.create(0, 1, None, group);
        assert_eq!(store.len(), 3);
    }

    #[test]
    fn the_cap_evicts_the_oldest_dialog_first() {
        let store = Store::new(3, Some(1)).unwrap();
        let ids: Vec<ObjectId> = (0..5).map(|n| id_of(store.create(n, 1, None, group))).collect();
        assert_eq!(store.len(), 3);
        let inner = store.lock();
        let kept: Vec<ObjectId> = inner
            .dialogs
            .order
            .iter()
            .map(|id| inner.dialogs.get(id).unwrap().id)
            .collect();
        assert_eq!(kept, ids[2..], "the two oldest left, in order");
    }

    #[test]
    fn an_evicted_private_pair_makes_a_new_dialog() {
        let store = Store::new(2, None).unwrap();
        let private = id_of(store.create(0, 1, Some((1, 2)), group));
        assert_eq!(id_of(store.create(0, 2, Some((2, 1)), group)), private, "still stored");
        store.create(0, 1, None, group);
        store.create(0, 1, None, group);
        assert_eq!(store.private_pairs(), 0, "the pair left with its dialog");
        let again = id_of(store.create(0, 1, Some((1, 2)), group));
        assert_ne!(again, private, "a new dialog once the old one is gone");
        assert_eq!((store.len(), store.private_pairs()), (2, 1));
    }

    #[test]
    fn a_cap_of_one_still_answers_the_repeated_private_dialog() {
        let store = Store::new(1, None).unwrap();
        let private = id_of(store.create(0, 1, Some((1, 2)), group));
        assert_eq!(id_of(store.create(0, 1, Some((1, 2)), group)), private);
        assert_eq!(store.len(), 1);
    }

    #[test]
    fn a_removed_dialog_leaves_the_order_and_its_pair_and_eviction_skips_it() {
        let store = Store::new(3, Some(2)).unwrap();
        let private = id_of(store.create(0, 1, Some((1, 2)), group));
        let second = id_of(store.create(1, 1, None, group));
        store.with(|inner| assert!(inner.remove(&private).is_some()));
        assert_eq!((store.len(), store.private_pairs()), (1, 0));
        let again = id_of(store.create(2, 1, Some((1, 2)), group));
        assert_ne!(again, private, "a deleted pair makes a new dialog");
        let third = id_of(store.create(3, 1, None, group));
        // Full now (second, again, third): the next one evicts `second`, the oldest still there.
        let fourth = id_of(store.create(4, 1, None, group));
        store.with(|inner| {
            assert!(inner.dialogs.get(&second).is_none(), "the oldest live record went");
            for id in [again, third, fourth] {
                assert!(inner.dialogs.get(&id).is_some());
            }
        });
    }

    #[test]
    fn removals_do_not_let_the_order_grow() {
        let store = Store::new(4, Some(3)).unwrap();
        for n in 0..1000 {
            let id = id_of(store.create(n, 1, None, group));
            store.with(|inner| inner.remove(&id));
        }
        assert!(
            store.lock().dialogs.order.len() <= 16 + 2,
            "{}",
            store.lock().dialogs.order.len()
        );
    }

    #[test]
    fn a_user_who_deleted_a_private_dialog_gets_it_back_by_creating_it() {
        let store = Store::new(4, None).unwrap();
        let id = id_of(store.create(0, 1, Some((1, 2)), group));
        store.with(|inner| inner.dialogs.get_mut(&id).unwrap().removed_by.extend([1, 2]));
        let again = store.create(1, 1, Some((1, 2)), group);
        assert_eq!(again.id, id);
        assert_eq!(again.removed_by, BTreeSet::from([2]), "back for the creator only");
    }

    #[test]
    fn the_rate_limiter_allows_a_second_of_burst_per_credential() {
        let limiter = RateLimiter::new(3);
        assert_eq!((0..5).filter(|_| limiter.allow("a")).count(), 3);
        assert!(limiter.allow("b"), "each credential has its own bucket");
    }
}
