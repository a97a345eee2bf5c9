//! Values as Lambda's logs write them: times (RFC 3339 with an offset) and runtime versions
//! (`dotnet:6.v13`).

/// A time as logs write it, RFC 3339 with its offset (`2024-05-01T12:00:00.123Z`,
/// `2024-05-01T12:00:00.123456+00:00`), as epoch milliseconds.
pub fn time_ms(text: &[u8]) -> Option<f64> {
    let text = std::str::from_utf8(text).ok()?;
    // Cheap refusal of what is plainly not a time (a log stream, a word).
    if text.len() < 20 || !text.as_bytes()[0].is_ascii_digit() {
        return None;
    }
    let t: jiff::Timestamp = text.parse().ok()?;
    Some(t.as_nanosecond() as f64 / 1e6)
}

/// The runtime identifier (`dotnet6`, `python3.12`, `provided.al2023`) of a runtime version
/// as Lambda logs it (`dotnet:6.v13`, `python:3.12.v40`, `provided:al2023.v20`).
pub fn runtime_of_version(version: &str) -> Option<String> {
    let (family, rest) = version.trim().split_once(':')?;
    if family.is_empty() || !family.chars().all(|c| c.is_ascii_alphanumeric()) {
        return None;
    }
    // The last dot-separated part is the runtime's own release (`v13`).
    let release = match rest.rsplit_once('.') {
        Some((r, last)) if last.starts_with('v') => r,
        _ => rest,
    };
    if release.is_empty() {
        return None;
    }
    Some(if family == "provided" {
        format!("provided.{release}")
    } else {
        format!("{family}{release}")
    })
}
