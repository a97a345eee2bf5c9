//! What a file's place in a directory says of its function and stream: CloudWatch Logs'
//! export to S3 lays its files out by log group, task and stream.

use lambcost_core::grouping::Context;

/// What a file inside a directory says of its function and stream, from its path under the
/// directory: an export lays out `PREFIX/EXPORT-TASK-ID/LOG-STREAM/000000.gz`, the task id
/// a UUID and the stream name itself holding slashes (`2024/05/01/[$LATEST]abcd`).
pub fn context_of_path(relative: &std::path::Path) -> Context {
    let parts: Vec<String> = relative
        .components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect();
    let dirs = &parts[..parts.len().saturating_sub(1)];
    let task = dirs.iter().position(|d| is_uuid(d));
    let log_group = match task {
        Some(0) | None => None,
        Some(t) => Some(dirs[t - 1].clone()),
    };
    let stream_from = task.map_or(0, |t| t + 1);
    let stream = dirs[stream_from.min(dirs.len())..].join("/");
    Context {
        log_group,
        log_stream: (stream.contains('[')).then_some(stream),
    }
}

fn is_uuid(name: &str) -> bool {
    name.len() == 36
        && name.char_indices().all(|(i, c)| {
            if matches!(i, 8 | 13 | 18 | 23) {
                c == '-'
            } else {
                c.is_ascii_hexdigit()
            }
        })
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::Path;

    #[test]
    fn an_exports_path_names_its_function_and_stream() {
        let export = context_of_path(Path::new(
            "api/0b5e4a8c-1d2e-4f3a-9b8c-7d6e5f4a3b2c/2024/05/01/[$LATEST]0123abcd/000000.gz",
        ));
        assert_eq!(export.log_group.as_deref(), Some("api"));
        assert_eq!(
            export.log_stream.as_deref(),
            Some("2024/05/01/[$LATEST]0123abcd")
        );
        let flat = context_of_path(Path::new("logs/a.log"));
        assert_eq!(flat, Context::default());
    }
}
