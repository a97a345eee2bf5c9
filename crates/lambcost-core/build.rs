//! Turns the embedded price book from YAML into JSON at build time.
//!
//! Reading YAML costs about a millisecond, most of what `lambcost estimate` does; the same
//! document as JSON reads in a few dozen microseconds. The YAML stays the file people edit
//! and `--pricing` reads; the library's tests check both forms load to the same price book.

use std::path::Path;

fn main() {
    let source = Path::new("../../pricing/aws-lambda.yaml");
    println!("cargo:rerun-if-changed={}", source.display());
    let text = std::fs::read_to_string(source).expect("pricing/aws-lambda.yaml is readable");
    let value: serde_yaml::Value = match serde_yaml::from_str(&text) {
        Ok(v) => v,
        Err(e) => panic!("pricing/aws-lambda.yaml is not valid YAML: {e}"),
    };
    let json = serde_json::to_string(&value).expect("a YAML value always has a JSON form");
    let out =
        Path::new(&std::env::var("OUT_DIR").expect("cargo sets OUT_DIR")).join("aws-lambda.json");
    std::fs::write(out, json).expect("OUT_DIR is writable");
}
