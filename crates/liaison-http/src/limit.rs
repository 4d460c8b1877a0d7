//! Keyed token buckets: a small rate limiter (per client address, per account, per kind of event) with
//! bounded memory. Each key's bucket holds up to `burst` tokens and refills at `per_second`; a request
//! takes one token or is told how long to wait. Time is a parameter, so tests need no clock.

use std::collections::HashMap;
use std::hash::Hash;
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// A rate: `per_second` sustained, up to `burst` at once. A zero rate means no limit.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Rate {
    /// Tokens added per second.
    pub per_second: f64,
    /// The bucket's size.
    pub burst: u32,
}

impl Rate {
    /// No limit.
    pub const OFF: Rate = Rate { per_second: 0.0, burst: 0 };

    /// Whether this rate limits anything.
    pub fn is_on(&self) -> bool {
        self.per_second > 0.0 && self.burst > 0
    }
}

/// The buckets of one limit, by key.
#[derive(Debug)]
pub(crate) struct Buckets<K> {
    rate: Rate,
    max_keys: usize,
    map: Mutex<HashMap<K, (f64, Instant)>>,
}

impl<K: Eq + Hash + Clone> Buckets<K> {
    /// Buckets of `rate`, remembering at most about `max_keys` keys (idle, refilled ones are forgotten
    /// first; beyond that the least recently seen).
    pub(crate) fn new(rate: Rate, max_keys: usize) -> Self {
        Self { rate, max_keys: max_keys.max(16), map: Mutex::new(HashMap::new()) }
    }

    /// Take a token for `key` at `now`: `Ok`, or how long until one is there.
    pub(crate) fn take(&self, key: &K, now: Instant) -> Result<(), Duration> {
        if !self.rate.is_on() {
            return Ok(());
        }
        let Ok(mut map) = self.map.lock() else { return Ok(()) };
        let burst = f64::from(self.rate.burst);
        if map.len() >= self.max_keys && !map.contains_key(key) {
            self.prune(&mut map, now);
        }
        let (tokens, last) = map.entry(key.clone()).or_insert((burst, now));
        let elapsed = now.saturating_duration_since(*last).as_secs_f64();
        *tokens = (*tokens + elapsed * self.rate.per_second).min(burst);
        *last = now;
        if *tokens >= 1.0 {
            *tokens -= 1.0;
            Ok(())
        } else {
            Err(Duration::from_secs_f64((1.0 - *tokens) / self.rate.per_second))
        }
    }

    /// Whether a token could be taken now, without taking it.
    pub(crate) fn would_allow(&self, key: &K, now: Instant) -> Result<(), Duration> {
        if !self.rate.is_on() {
            return Ok(());
        }
        let Ok(map) = self.map.lock() else { return Ok(()) };
        match map.get(key) {
            None => Ok(()),
            Some((tokens, last)) => {
                let t = (tokens + now.saturating_duration_since(*last).as_secs_f64() * self.rate.per_second)
                    .min(f64::from(self.rate.burst));
                if t >= 1.0 { Ok(()) } else { Err(Duration::from_secs_f64((1.0 - t) / self.rate.per_second)) }
            }
        }
    }

    fn prune(&self, map: &mut HashMap<K, (f64, Instant)>, now: Instant) {
        let full = Duration::from_secs_f64(f64::from(self.rate.burst) / self.rate.per_second);
        map.retain(|_, (_, last)| now.saturating_duration_since(*last) < full);
        if map.len() >= self.max_keys {
            let mut seen: Vec<Instant> = map.values().map(|(_, l)| *l).collect();
            seen.sort_unstable();
            let cut = seen[seen.len() / 2];
            map.retain(|_, (_, last)| *last > cut);
        }
    }

    #[cfg(test)]
    pub(crate) fn keys(&self) -> usize {
        self.map.lock().map(|m| m.len()).unwrap_or(0)
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn a_bucket_allows_its_burst_then_its_rate_per_key() {
        let b = Buckets::new(Rate { per_second: 2.0, burst: 3 }, 100);
        let t0 = Instant::now();
        for _ in 0..3 {
            assert!(b.take(&"a", t0).is_ok());
        }
        let wait = b.take(&"a", t0).unwrap_err();
        assert!(wait > Duration::from_millis(400) && wait <= Duration::from_millis(500), "{wait:?}");
        assert!(b.take(&"b", t0).is_ok(), "another key has its own bucket");
        assert!(b.take(&"a", t0 + Duration::from_millis(500)).is_ok(), "refilled at the rate");
        assert!(b.take(&"a", t0 + Duration::from_millis(500)).is_err());
        assert!(b.would_allow(&"a", t0 + Duration::from_secs(10)).is_ok());
        assert!(Buckets::new(Rate::OFF, 10).take(&"a", t0).is_ok());
    }

    #[test]
    fn memory_stays_bounded_whatever_the_number_of_keys() {
        let b = Buckets::new(Rate { per_second: 1.0, burst: 5 }, 100);
        let t0 = Instant::now();
        for i in 0..10_000u32 {
            let _ = b.take(&i, t0 + Duration::from_millis(u64::from(i)));
        }
        assert!(b.keys() <= 100, "{}", b.keys());
    }
}
