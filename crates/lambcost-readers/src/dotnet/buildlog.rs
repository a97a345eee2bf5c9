//! What the .NET SDK's analyzers found, from a build's own output: MSBuild's text log
//! (`File.cs(12,5): warning IL2026: … [Project.csproj]`, with or without `1>` prefixes, and the
//! location-less `ILLink : Trim analysis warning IL2104: Assembly 'X' …`) or the SARIF file of
//! `-p:ErrorLog=…` (version 1, the compiler's default, or 2.1). Only trim (IL2xxx) and AOT
//! (IL3xxx) warnings are kept, each once.

use super::error::DotnetError;
use lambcost_core::assess::AnalyzerWarning;
use serde_json::Value;

/// Reads a build log's text (MSBuild output or SARIF); `origin` names it in errors.
pub fn read(text: &str, origin: &str) -> Result<Vec<AnalyzerWarning>, DotnetError> {
    let trimmed = text.trim_start_matches('\u{feff}').trim_start();
    let mut out = if trimmed.starts_with('{') {
        sarif(trimmed, origin)?
    } else {
        msbuild(text, origin)?
    };
    out.sort_by(|a, b| {
        (&a.file, a.line, a.column, &a.code).cmp(&(&b.file, b.line, b.column, &b.code))
    });
    // MSBuild repeats every warning in its closing summary.
    out.dedup_by(|b, a| {
        a.file == b.file && a.line == b.line && a.column == b.column && a.code == b.code
    });
    Ok(out)
}

/// MSBuild's text output.
fn msbuild(text: &str, origin: &str) -> Result<Vec<AnalyzerWarning>, DotnetError> {
    let mut out = Vec::new();
    let mut looks_like_msbuild = false;
    for line in text.lines() {
        let Some((location, code, message)) = diagnostic(line) else {
            if line.contains("Build succeeded")
                || line.contains("Build FAILED")
                || line.contains("Time Elapsed")
                || (line.contains(" -> ") && (line.contains(".dll") || line.contains("publish")))
            {
                looks_like_msbuild = true;
            }
            continue;
        };
        looks_like_msbuild = true;
        if !AnalyzerWarning::relevant(code) {
            continue;
        }
        let (file, line_no, column) = place(location);
        out.push(AnalyzerWarning {
            code: code.to_string(),
            file,
            line: line_no,
            column,
            message: message.to_string(),
        });
    }
    if !looks_like_msbuild {
        return Err(DotnetError::NotABuildLog(origin.to_string()));
    }
    Ok(out)
}

/// A diagnostic line's location (what precedes `: warning`), code and message (without the
/// trailing ` [Project.csproj]`).
fn diagnostic(line: &str) -> Option<(&str, &str, &str)> {
    for marker in [": warning ", ": error ", " warning ", " error "] {
        let Some(at) = line.find(marker) else {
            continue;
        };
        let rest = &line[at + marker.len()..];
        let (code, message) = rest.split_once(':')?;
        let code = code.trim();
        if !(code.len() >= 4
            && code.chars().take(2).all(|c| c.is_ascii_uppercase())
            && code.chars().skip(2).all(|c| c.is_ascii_alphanumeric()))
        {
            continue;
        }
        let message = message.trim();
        let message = match message.rfind(" [") {
            Some(i) if message.ends_with(']') => &message[..i],
            _ => message,
        };
        let location = line[..at].trim();
        // `ILLink : Trim analysis` has no file.
        return Some((location, code, message));
    }
    None
}

/// A location `path(line,col)` or `path(line,col,endline,endcol)`, its `1>` prefix dropped.
fn place(location: &str) -> (Option<String>, u32, u32) {
    let location = match location.split_once('>') {
        Some((n, rest)) if n.chars().all(|c| c.is_ascii_digit()) && !n.is_empty() => rest,
        _ => location,
    };
    let Some(open) = location.rfind('(') else {
        return (file_of(location), 0, 0);
    };
    if !location.ends_with(')') {
        return (file_of(location), 0, 0);
    }
    let numbers: Vec<u32> = location[open + 1..location.len() - 1]
        .split(',')
        .filter_map(|n| n.trim().parse().ok())
        .collect();
    (
        file_of(&location[..open]),
        numbers.first().copied().unwrap_or(0),
        numbers.get(1).copied().unwrap_or(0),
    )
}

/// The file a location names, or None for a tool's name (`ILLink`, `ILC`, `CSC`).
fn file_of(text: &str) -> Option<String> {
    let t = text.trim();
    let is_file = t.contains('/') || t.contains('\\') || t.contains('.');
    (is_file && !t.contains(" : ") && !t.ends_with(':')).then(|| t.replace('\\', "/"))
}

/// A SARIF log, version 1 or 2.1.
fn sarif(text: &str, origin: &str) -> Result<Vec<AnalyzerWarning>, DotnetError> {
    let doc: Value = serde_json::from_str(text).map_err(|e| DotnetError::Json {
        file: origin.to_string(),
        line: e.line(),
        column: e.column(),
        message: e.to_string(),
    })?;
    let Some(runs) = doc.get("runs").and_then(Value::as_array) else {
        return Err(DotnetError::NotABuildLog(origin.to_string()));
    };
    let mut out = Vec::new();
    for result in runs
        .iter()
        .filter_map(|r| r.get("results").and_then(Value::as_array))
        .flatten()
    {
        let Some(code) = result.get("ruleId").and_then(Value::as_str) else {
            continue;
        };
        if !AnalyzerWarning::relevant(code) {
            continue;
        }
        let message = match result.get("message") {
            Some(Value::String(s)) => s.clone(),
            Some(m) => m
                .get("text")
                .and_then(Value::as_str)
                .unwrap_or("")
                .to_string(),
            None => String::new(),
        };
        let location = result
            .get("locations")
            .and_then(Value::as_array)
            .and_then(|l| l.first());
        // 2.1: physicalLocation.artifactLocation.uri; 1.0: resultFile.uri.
        let physical =
            location.and_then(|l| l.get("physicalLocation").or_else(|| l.get("resultFile")));
        let uri = physical.and_then(|p| {
            p.get("artifactLocation")
                .and_then(|a| a.get("uri"))
                .or_else(|| p.get("uri"))
                .and_then(Value::as_str)
        });
        let region = physical.and_then(|p| p.get("region"));
        let number = |key: &str| {
            region
                .and_then(|r| r.get(key))
                .and_then(Value::as_u64)
                .and_then(|n| u32::try_from(n).ok())
                .unwrap_or(0)
        };
        out.push(AnalyzerWarning {
            code: code.to_string(),
            file: uri.map(path_of_uri),
            line: number("startLine"),
            column: number("startColumn"),
            message,
        });
    }
    Ok(out)
}

/// A file URI's path (`file:///C:/src/A%20B.cs` is `C:/src/A B.cs`), or a relative URI as is.
fn path_of_uri(uri: &str) -> String {
    let path = uri
        .strip_prefix("file://")
        .map(|p| {
            // `file:///C:/…` keeps the drive without its leading slash.
            let b = p.as_bytes();
            if b.len() > 3 && b[0] == b'/' && b[2] == b':' {
                &p[1..]
            } else {
                p
            }
        })
        .unwrap_or(uri);
    let mut out = Vec::with_capacity(path.len());
    let bytes = path.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        let hex = |b: u8| (b as char).to_digit(16);
        if bytes[i] == b'%'
            && let (Some(h), Some(l)) = (
                bytes.get(i + 1).and_then(|b| hex(*b)),
                bytes.get(i + 2).and_then(|b| hex(*b)),
            )
        {
            out.push((h * 16 + l) as u8);
            i += 3;
            continue;
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).replace('\\', "/")
}

/// Names each warning's file as the assessment names its files: the assessed file whose
/// relative path the logged path ends with (a build on another machine, or in CI, writes its
/// own absolute paths), else the logged path as is.
pub fn relate(warnings: &mut [AnalyzerWarning], files: &[String]) {
    for w in warnings {
        let Some(logged) = &w.file else {
            continue;
        };
        let lower = logged.to_ascii_lowercase();
        let best = files
            .iter()
            .filter(|f| {
                let f = f.to_ascii_lowercase();
                lower == f || lower.ends_with(&format!("/{f}"))
            })
            .max_by_key(|f| f.len());
        if let Some(f) = best {
            w.file = Some(f.clone());
            continue;
        }
        // A path relative to its project (`A.cs(1,37): warning …`): the one assessed file
        // it ends, if there is exactly one.
        let under: Vec<&String> = files
            .iter()
            .filter(|f| f.to_ascii_lowercase().ends_with(&format!("/{lower}")))
            .collect();
        if let [only] = under.as_slice() {
            w.file = Some((*only).clone());
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn msbuild_lines_in_their_shapes() {
        let log = "\
  Determining projects to restore...
1>/src/Fn/Function.cs(12,17,12,40): warning IL2026: Using member 'System.Text.Json.JsonSerializer.Serialize<T>(T, JsonSerializerOptions)' which has 'RequiresUnreferencedCodeAttribute'. [/src/Fn/Fn.csproj]
/src/Fn/Function.cs(12,17): warning IL3050: Using member requires dynamic code. [/src/Fn/Fn.csproj]
ILLink : Trim analysis warning IL2104: Assembly 'Newtonsoft.Json' produced trim warnings. [/src/Fn/Fn.csproj]
/src/Fn/Other.cs(3,1): warning CS8618: Non-nullable property. [/src/Fn/Fn.csproj]
/src/Fn/Function.cs(12,17,12,40): warning IL2026: Using member 'System.Text.Json.JsonSerializer.Serialize<T>(T, JsonSerializerOptions)' which has 'RequiresUnreferencedCodeAttribute'. [/src/Fn/Fn.csproj]
Build succeeded.
";
        let w = read(log, "build.log").expect("read");
        let codes: Vec<(&str, Option<&str>, u32, u32)> = w
            .iter()
            .map(|w| (w.code.as_str(), w.file.as_deref(), w.line, w.column))
            .collect();
        assert_eq!(
            codes,
            [
                ("IL2104", None, 0, 0),
                ("IL2026", Some("/src/Fn/Function.cs"), 12, 17),
                ("IL3050", Some("/src/Fn/Function.cs"), 12, 17),
            ]
        );
        assert!(
            w[1].message
                .ends_with("'RequiresUnreferencedCodeAttribute'.")
        );
    }

    #[test]
    fn sarif_of_both_versions() {
        let v1 = r#"{"version":"1.0.0","runs":[{"results":[{"ruleId":"IL2057","level":"warning","message":"Unrecognized value","locations":[{"resultFile":{"uri":"file:///C:/src/My%20Fn/A.cs","region":{"startLine":7,"startColumn":9}}}]}]}]}"#;
        let w = read(v1, "a.sarif").expect("read");
        assert_eq!(w[0].file.as_deref(), Some("C:/src/My Fn/A.cs"));
        assert_eq!((w[0].line, w[0].column), (7, 9));
        let v2 = r#"{"version":"2.1.0","runs":[{"results":[{"ruleId":"IL3050","message":{"text":"dynamic code"},"locations":[{"physicalLocation":{"artifactLocation":{"uri":"src/B.cs"},"region":{"startLine":3,"startColumn":5}}}]},{"ruleId":"CA1822","message":{"text":"static"}}]}]}"#;
        let w = read(v2, "b.sarif").expect("read");
        assert_eq!(w.len(), 1);
        assert_eq!(
            (w[0].file.as_deref(), w[0].message.as_str()),
            (Some("src/B.cs"), "dynamic code")
        );
    }

    #[test]
    fn neither_shape_is_refused() {
        assert!(matches!(
            read("hello\nworld\n", "notes.txt"),
            Err(DotnetError::NotABuildLog(_))
        ));
        assert!(matches!(
            read("{\"a\": 1}", "x.json"),
            Err(DotnetError::NotABuildLog(_))
        ));
    }

    #[test]
    fn logged_paths_become_the_assessed_files() {
        let mut w = vec![AnalyzerWarning {
            code: "IL2026".into(),
            file: Some("/home/runner/work/app/app/src/Fn/Function.cs".into()),
            line: 1,
            column: 1,
            message: String::new(),
        }];
        relate(&mut w, &["src/Fn/Function.cs".into(), "Function.cs".into()]);
        assert_eq!(w[0].file.as_deref(), Some("src/Fn/Function.cs"));
    }
}
