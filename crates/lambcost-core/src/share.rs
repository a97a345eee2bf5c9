//! Which share of a month's invocations starts cold: the user's figure, the data's own, the
//! traffic model's at the traffic level, or a replay of the team's arrivals; and where the
//! share that priced a month came from. Every command that bills asks here first.

use crate::profile::Profile;
use crate::traffic::TrafficModel;
use rust_decimal::Decimal;
use rust_decimal::prelude::FromPrimitive;

/// Where a cold-start share came from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ShareSource {
    /// `--cold-start-rate`.
    Given,
    /// The share of cold invocations in the samples or logs.
    Observed,
    /// The traffic model.
    Model,
    /// A replay of the team's own arrivals through the environment pool.
    Replay,
}

impl ShareSource {
    /// How it is named in reports.
    pub fn as_str(self) -> &'static str {
        match self {
            ShareSource::Given => "given",
            ShareSource::Observed => "observed",
            ShareSource::Model => "traffic model",
            ShareSource::Replay => "replay",
        }
    }
}

/// Which cold-start share prices a variant (`--cold-start-rate`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum ShareChoice {
    /// The traffic model's at each traffic level: a log's share is that of its own window
    /// and traffic, not the month's at another level.
    #[default]
    Model,
    /// The share observed in each variant's samples or logs (the model's for summary rows).
    Observed,
    /// This share, for every variant.
    Given(Decimal),
    /// Each variant's share in a replay of the team's arrivals (its
    /// [`Profile::replayed_cold`]; the model's where none was replayed).
    Replayed,
}

/// The cold-start share for `profile` at `requests`, as `choice` asks.
pub fn cold_share(
    profile: &Profile,
    requests: u64,
    choice: ShareChoice,
    model: &TrafficModel,
) -> (Decimal, ShareSource) {
    match choice {
        ShareChoice::Given(r) => return (r, ShareSource::Given),
        ShareChoice::Observed => {
            if let Some(o) = profile.observed_cold {
                return (o.share(), ShareSource::Observed);
            }
        }
        ShareChoice::Replayed => {
            if let Some(share) = profile.replayed_cold {
                return (share, ShareSource::Replay);
            }
        }
        ShareChoice::Model => {}
    }
    let warm_ms = profile.warm.as_ref().map_or(0.0, |w| w.mean_ms);
    let share = model.cold_start_share(requests, warm_ms);
    (
        Decimal::from_f64(share).unwrap_or_default().round_dp(12),
        ShareSource::Model,
    )
}
