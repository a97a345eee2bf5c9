//! The `lambcost` executable: the command line ([`cli`]), the program's plan and its exit
//! statuses ([`app`]), one module per command ([`cmd`]), what commands share on the way in
//! ([`setup`]) and on the way out ([`present`]), reports in every format ([`report`]) and
//! where they are written ([`output`]). The answers come from `lambcost-core`; inputs are
//! read by `lambcost-readers`; `measure` runs on `lambcost-runtime`.

mod app;
mod cli;
mod cmd;
mod output;
mod present;
mod report;
mod setup;

fn main() -> std::process::ExitCode {
    app::main()
}
