//! lambcost's readers: every input lambcost takes, read into `lambcost-core`'s model.
//!
//! - [`samples`] measurements: summary tables, samples files, CloudWatch logs in every shape
//!   AWS and its tools hand over (text, JSON, API pages, subscription payloads, console
//!   downloads, compressed), Logs Insights results, arrival times; each recognised by its
//!   content, read in one streaming pass in bounded memory;
//! - [`bill`] billing exports: legacy CUR, CUR 2.0 and FOCUS as CSV or Parquet, Athena's
//!   results, a directory of export parts;
//! - [`sources`] the files behind the arguments a user names, read on every core;
//! - [`price_list`] AWS's price list (the bulk offer file, `get-products` output);
//! - [`dotnet`] a .NET project: MSBuild files, C# through tree-sitter, build logs and SARIF;
//! - [`text`] text files in the encodings Windows saves them in.

pub mod bill;
pub mod dotnet;
pub mod price_list;
pub mod samples;
pub mod sources;
pub mod text;
