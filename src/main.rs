//! The `lambcost` executable: everything lives in the library.

fn main() -> std::process::ExitCode {
    lambcost::app::main()
}
