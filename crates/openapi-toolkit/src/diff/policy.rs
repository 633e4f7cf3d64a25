//! The deprecation policy: how many days must separate a deprecation from its sunset, per stability level.

use super::Stability;

/// Minimum days between deprecating something and its `x-sunset`, as oasdiff's `--deprecation-days-beta` and
/// `--deprecation-days-stable`. Zero (the default) is no policy: a deprecation needs no sunset, and any sunset
/// not yet passed will do. Draft and alpha may go without notice whatever the policy.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct DeprecationPolicy {
    pub beta_days: u32,
    pub stable_days: u32,
}

impl DeprecationPolicy {
    /// The notice owed to something at this stability level (an unknown level is owed what stable is).
    pub(crate) fn days(self, stability: Option<Stability>) -> u32 {
        match stability {
            Some(Stability::Draft | Stability::Alpha) => 0,
            Some(Stability::Beta) => self.beta_days,
            Some(Stability::Stable) | None => self.stable_days,
        }
    }
}
