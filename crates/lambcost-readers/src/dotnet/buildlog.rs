//! What the .NET SDK's analyzers found, from a build's own output: MSBuild's text log in the
//! shapes its producers print (the analyzer's `File.cs(12,5): warning IL2026: … [Fn.csproj]`,
//! ILC's `File.cs(14): Trim analysis warning IL2026: Method(): …`, an assembly's
//! `…/X.dll : warning IL2104: Assembly 'X' …`, `ILC : …`, or no location at all), as CI systems
//! hand it over (timestamps, `##[warning]`, the `Warning: ` of GitHub's web page, `gh run view
//! --log` columns, GitHub's `::warning file=…::` and Azure Pipelines' `##vso[task.logissue …]`
//! commands, MSBuild's `1>` node numbers), or the SARIF file of `-p:ErrorLog=…` (version 1,
//! the compiler's default, or 2.1). Only trim (IL2xxx) and AOT (IL3xxx) warnings are kept,
//! each once.

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
    // MSBuild repeats every warning in its closing summary. Warnings with no place are told
    // apart by what they say: one per assembly.
    out.sort_by(|a, b| {
        (&a.file, a.line, a.column, &a.code, &a.message)
            .cmp(&(&b.file, b.line, b.column, &b.code, &b.message))
    });
    out.dedup_by(|b, a| {
        a.file == b.file
            && a.line == b.line
            && a.column == b.column
            && a.code == b.code
            && (a.file.is_some() || a.message == b.message)
    });
    Ok(out)
}

/// MSBuild's text output.
fn msbuild(text: &str, origin: &str) -> Result<Vec<AnalyzerWarning>, DotnetError> {
    let mut out = Vec::new();
    let mut looks_like_msbuild = false;
    for raw in text.lines() {
        let line = strip_prefixes(raw);
        let Some(d) = command(line).or_else(|| diagnostic(line)) else {
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
        if !AnalyzerWarning::relevant(&d.code) {
            continue;
        }
        out.push(AnalyzerWarning {
            code: d.code,
            file: d.file,
            line: d.line,
            column: d.column,
            message: d.message,
        });
    }
    if !looks_like_msbuild {
        return Err(DotnetError::NotABuildLog(origin.to_string()));
    }
    Ok(out)
}

/// One diagnostic, wherever it was found.
struct Diagnostic {
    code: String,
    file: Option<String>,
    line: u32,
    column: u32,
    message: String,
}

/// What CI systems and loggers put before MSBuild's own text: indentation, `gh run view
/// --log`'s job and step columns, a timestamp (GitHub Actions, Azure Pipelines), GitHub's
/// `##[warning]` and the `Warning: ` of its web page, MSBuild's `12>` node number.
fn strip_prefixes(line: &str) -> &str {
    let mut l = line.trim_start_matches('\u{feff}');
    // `job<TAB>step<TAB>2026-…Z text`: the text after the last tab.
    if let Some(i) = l.rfind('\t')
        && timestamp_len(l[i + 1..].trim_start()).is_some()
    {
        l = &l[i + 1..];
    }
    loop {
        let before = l;
        l = l.trim_start();
        if let Some(n) = timestamp_len(l) {
            l = &l[n..];
        }
        for prefix in ["##[warning]", "##[error]", "Warning: ", "Error: "] {
            if let Some(rest) = l.strip_prefix(prefix) {
                l = rest;
            }
        }
        if let Some((n, rest)) = l.split_once('>')
            && !n.is_empty()
            && n.len() <= 4
            && n.bytes().all(|b| b.is_ascii_digit())
        {
            l = rest;
        }
        if l == before {
            return l;
        }
    }
}

/// The length of an ISO 8601 timestamp and the space after it (`2026-11-30T09:14:02.1180032Z `).
fn timestamp_len(l: &str) -> Option<usize> {
    let b = l.as_bytes();
    let shaped = b.len() > 20
        && b[..4].iter().all(u8::is_ascii_digit)
        && b[4] == b'-'
        && b[7] == b'-'
        && b[10] == b'T'
        && b[13] == b':';
    if !shaped {
        return None;
    }
    let end = l.find(' ')?;
    l[..end].ends_with('Z').then_some(end + 1)
}

/// A CI system's own command: GitHub's `::warning file=…,line=…,col=…::message` (names and
/// properties in any case, values percent-escaped) and Azure Pipelines'
/// `##vso[task.logissue type=warning;sourcepath=…;linenumber=…;columnnumber=…;code=…;]message`.
fn command(line: &str) -> Option<Diagnostic> {
    if let Some(rest) = line.strip_prefix("##vso[") {
        let (head, message) = rest.split_once(']')?;
        let (area, props) = head.split_once(' ').unwrap_or((head, ""));
        if !area.eq_ignore_ascii_case("task.logissue") {
            return None;
        }
        let get = |key: &str| property(props, ';', key).map(unescape_vso);
        let message = unescape_vso(message);
        let (code, message) = match get("code").filter(|c| !c.is_empty()) {
            Some(c) => (c, message),
            None => split_code(&message)?,
        };
        let number = |k: &str| get(k).and_then(|v| v.parse().ok()).unwrap_or(0);
        return Some(Diagnostic {
            code,
            file: get("sourcepath").and_then(|p| file_of(&p)),
            line: number("linenumber"),
            column: number("columnnumber"),
            message,
        });
    }
    let rest = line.strip_prefix("::")?;
    let (head, message) = rest.split_once("::")?;
    let (kind, props) = head.split_once(' ').unwrap_or((head, ""));
    if !(kind.eq_ignore_ascii_case("warning")
        || kind.eq_ignore_ascii_case("error")
        || kind.eq_ignore_ascii_case("notice"))
    {
        return None;
    }
    let get = |key: &str| property(props, ',', key).map(percent_decode);
    let message = percent_decode(message);
    let titled = get("title").filter(|t| is_code(t));
    let (code, message) = match titled {
        Some(t) => (t, message),
        None => split_code(&message)?,
    };
    let number = |k: &str| get(k).and_then(|v| v.parse().ok()).unwrap_or(0);
    Some(Diagnostic {
        code,
        file: get("file").and_then(|p| file_of(&p)),
        line: number("line"),
        column: number("col"),
        message,
    })
}

/// A command's property (`key=value`, the key in any case), its value as written.
fn property<'p>(props: &'p str, separator: char, key: &str) -> Option<&'p str> {
    props
        .split(separator)
        .filter_map(|p| p.split_once('='))
        .find(|(k, _)| k.trim().eq_ignore_ascii_case(key))
        .map(|(_, v)| v.trim())
}

/// `warning IL2026: text` or `IL2026: text` at the start of a message: its code and the rest.
fn split_code(message: &str) -> Option<(String, String)> {
    let m = message.trim_start();
    let m = ["warning ", "error ", "Warning ", "Error "]
        .iter()
        .find_map(|p| m.strip_prefix(p))
        .unwrap_or(m);
    let (code, rest) = m.split_once(':')?;
    is_code(code.trim()).then(|| (code.trim().to_string(), rest.trim().to_string()))
}

/// Whether a word is a diagnostic code (`IL2026`, `CS8618`, `NU1603`).
fn is_code(code: &str) -> bool {
    code.len() >= 4
        && code.chars().take(2).all(|c| c.is_ascii_uppercase())
        && code.chars().skip(2).all(|c| c.is_ascii_alphanumeric())
        && code.chars().any(|c| c.is_ascii_digit())
}

/// Azure Pipelines' escapes in logging commands: `%3B` `;`, `%0D`, `%0A`, `%5D` `]`, `%AZP25` `%`.
fn unescape_vso(v: &str) -> String {
    v.replace("%3B", ";")
        .replace("%0D", "\r")
        .replace("%0A", "\n")
        .replace("%5D", "]")
        .replace("%AZP25", "%")
}

/// `%2E` and the like decoded.
fn percent_decode(v: &str) -> String {
    let bytes = v.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    let hex = |b: u8| (b as char).to_digit(16);
    while i < bytes.len() {
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
    String::from_utf8_lossy(&out).into_owned()
}

/// An MSBuild diagnostic line: `location: [Trim analysis |AOT analysis ]warning CODE: message
/// [project]`, where the location is `path(line)`, `path(line,col)`, `path(l,c,l2,c2)`, an
/// assembly (`X.dll :`), a tool (`ILC :`, `ILLink :`) or nothing at all.
fn diagnostic(line: &str) -> Option<Diagnostic> {
    let mut search = 0;
    while search < line.len() {
        let rest = &line[search..];
        let found = ["warning ", "error ", "Warning ", "Error "]
            .iter()
            .filter_map(|m| rest.find(m).map(|i| (i, m.len())))
            .min();
        let (at, len) = found?;
        let at = search + at;
        search = at + len;
        // The marker starts the line or follows a space or a colon.
        if at > 0 && !matches!(line.as_bytes()[at - 1], b' ' | b':') {
            continue;
        }
        let Some((code, message)) = line[at + len..].split_once(':') else {
            continue;
        };
        let code = code.trim();
        if !is_code(code) {
            continue;
        }
        let message = message.trim();
        let message = match message.rfind(" [") {
            Some(i) if message.ends_with(']') => &message[..i],
            _ => message,
        };
        let mut location = line[..at].trim_end();
        for qualifier in ["Trim analysis", "AOT analysis", "Single-file analysis"] {
            if let Some(l) = location.strip_suffix(qualifier) {
                location = l.trim_end();
            }
        }
        let location = location.strip_suffix(':').unwrap_or(location).trim();
        let (file, line_no, column) = place(location);
        return Some(Diagnostic {
            code: code.to_string(),
            file,
            line: line_no,
            column,
            message: message.to_string(),
        });
    }
    None
}

/// A location `path(line)`, `path(line,col)` or `path(line,col,endline,endcol)`.
fn place(location: &str) -> (Option<String>, u32, u32) {
    let Some(open) = location.rfind('(') else {
        return (file_of(location), 0, 0);
    };
    let inside = &location[open + 1..];
    let Some(inside) = inside.strip_suffix(')') else {
        return (file_of(location), 0, 0);
    };
    let numbers: Vec<u32> = inside
        .split(',')
        .map_while(|n| n.trim().parse().ok())
        .collect();
    if numbers.is_empty() {
        return (file_of(location), 0, 0);
    }
    (
        file_of(&location[..open]),
        numbers.first().copied().unwrap_or(0),
        numbers.get(1).copied().unwrap_or(0),
    )
}

/// The source file a location names, or None for a tool's name (`ILLink`, `ILC`, `CSC`), an
/// assembly (`…/AWSSDK.Core.dll`: its warning names the assembly) or nothing.
fn file_of(text: &str) -> Option<String> {
    let t = text.trim();
    let lower = t.to_ascii_lowercase();
    if lower.ends_with(".dll") || lower.ends_with(".exe") {
        return None;
    }
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
    percent_decode(path).replace('\\', "/")
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
    fn the_shapes_producers_and_ci_systems_print() {
        let log = "\
build-apk\tBuild APK\t2026-08-22T23:30:19.6661239Z ##[warning]/home/runner/work/a/a/src/Fn/A.cs(35,16): warning IL2026: Using member. [/home/runner/work/a/a/src/Fn/Fn.csproj]
2025-04-07T16:12:02.0250645Z ILC : warning IL3002: Serilog.Settings.Configuration.Assemblies.AssemblyFinder.Auto(): single-file. [/src/Fn/Fn.csproj]
    ILC: AOT analysis warning IL3050: Program.<>c.<<Main>$>b__0_1(HostBuilderContext): dynamic code.
E:\\src\\bin\\Release\\net8.0\\win-x64\\Fn.dll: warning IL2104: Assembly 'Fn' produced trim warnings.
/src/Fn/B.cs(7): Trim analysis error IL2080: M(): 'this' argument does not satisfy. [/src/Fn/Fn.csproj]
warning IL2104: Assembly 'AWSSDK.Core' produced trim warnings.
";
        let w = read(log, "ci.log").expect("read");
        let got: Vec<(&str, Option<&str>, u32, u32)> = w
            .iter()
            .map(|w| (w.code.as_str(), w.file.as_deref(), w.line, w.column))
            .collect();
        assert_eq!(
            got,
            [
                ("IL2104", None, 0, 0),
                ("IL2104", None, 0, 0),
                ("IL3002", None, 0, 0),
                ("IL3050", None, 0, 0),
                ("IL2026", Some("/home/runner/work/a/a/src/Fn/A.cs"), 35, 16),
                ("IL2080", Some("/src/Fn/B.cs"), 7, 0),
            ]
        );
        assert!(w[3].message.starts_with("Program.<>c.<<Main>$>b__0_1"));
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
