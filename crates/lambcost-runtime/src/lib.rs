//! A local Lambda: the Runtime API served on 127.0.0.1 ([`api`]), execution environments with
//! Lambda's memory limit and CPU share ([`mod@env`], [`cgroup`]), and the harness that times
//! init, invocations and peak memory the way Lambda bills them ([`harness`]), a pool of
//! environments serving invocations at their arrival times ([`pool`]), following Lambda's
//! conventions for variables, ids, errors and REPORT lines ([`lambda`]).
//!
//! Any program that speaks the Runtime API runs unchanged: the bundled `lambcost-handler`
//! (built with AWS's `lambda_runtime`), AWS's runtime interface clients, a .NET NativeAOT
//! `bootstrap`.

pub mod api;
pub mod cgroup;
pub mod env;
pub mod harness;
pub mod lambda;
pub mod plan;
pub mod pool;
