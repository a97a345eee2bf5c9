//! MSBuild's evaluation, as far as a project's facts need it: properties defined in order
//! (a later definition wins, names ignore case), `$(Name)` expanded when a property is
//! defined (so a property refers to the value before it, as MSBuild's first pass does), and
//! conditions evaluated: `==`, `!=`, the numeric comparisons, `!`, `and`, `or`, parentheses.
//!
//! What a file alone cannot know stays unknown rather than guessed: a property defined
//! nowhere keeps its `$(Name)` (MSBuild would make it empty; the SDK may define it), property
//! functions (`$([MSBuild]::…)`, `$(Name.Substring(…))`) are not run, `Exists(…)` is not
//! answered. A condition that rests on any of them is [`Truth::Unknown`].

use std::collections::BTreeMap;

/// The global properties of `dotnet publish -c Release`: no file can change them.
pub const PUBLISH: [(&str, &str); 1] = [("Configuration", "Release")];

/// What a condition evaluates to.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Truth {
    /// True.
    Yes,
    /// False.
    No,
    /// It rests on what a file alone cannot know.
    Unknown,
}

impl Truth {
    fn of(b: bool) -> Truth {
        if b { Truth::Yes } else { Truth::No }
    }

    fn not(self) -> Truth {
        match self {
            Truth::Yes => Truth::No,
            Truth::No => Truth::Yes,
            Truth::Unknown => Truth::Unknown,
        }
    }

    fn and(self, other: Truth) -> Truth {
        match (self, other) {
            (Truth::No, _) | (_, Truth::No) => Truth::No,
            (Truth::Yes, Truth::Yes) => Truth::Yes,
            _ => Truth::Unknown,
        }
    }

    fn or(self, other: Truth) -> Truth {
        match (self, other) {
            (Truth::Yes, _) | (_, Truth::Yes) => Truth::Yes,
            (Truth::No, Truth::No) => Truth::No,
            _ => Truth::Unknown,
        }
    }
}

/// Properties as evaluation has defined them so far, each with where it was last set.
#[derive(Clone, Debug, Default)]
pub struct Properties {
    /// By name as first written; looked up ignoring case.
    values: BTreeMap<String, (String, String, u32)>,
    /// Names no file may redefine (global properties).
    globals: Vec<String>,
}

impl Properties {
    /// The properties a `dotnet publish -c Release` starts from.
    pub fn publish() -> Properties {
        let mut p = Properties::default();
        for (name, value) in PUBLISH {
            p.values.insert(
                name.to_string(),
                (
                    value.to_string(),
                    "(dotnet publish -c Release)".to_string(),
                    0,
                ),
            );
            p.globals.push(name.to_ascii_lowercase());
        }
        p
    }

    fn key(&self, name: &str) -> Option<&String> {
        self.values.keys().find(|k| k.eq_ignore_ascii_case(name))
    }

    /// A property's value, if defined.
    pub fn get(&self, name: &str) -> Option<&str> {
        self.key(name)
            .and_then(|k| self.values.get(k))
            .map(|(v, ..)| v.as_str())
    }

    /// Defines a property: its value expanded now, as MSBuild's property pass does. A global
    /// property is not redefined.
    pub fn set(&mut self, name: &str, value: &str, file: &str, line: u32) {
        if self.globals.contains(&name.to_ascii_lowercase()) {
            return;
        }
        let value = self.expand(value.trim());
        let key = self.key(name).cloned().unwrap_or_else(|| name.to_string());
        self.values.insert(key, (value, file.to_string(), line));
    }

    /// Defines a property that holds only while one file is read
    /// (`MSBuildThisFileDirectory`); the previous value comes back with [`Properties::restore`].
    pub fn scoped(&mut self, name: &str, value: &str) -> Option<(String, String, u32)> {
        let key = self.key(name).cloned().unwrap_or_else(|| name.to_string());
        self.values
            .insert(key, (value.to_string(), String::new(), 0))
    }

    /// Puts back what [`Properties::scoped`] replaced.
    pub fn restore(&mut self, name: &str, previous: Option<(String, String, u32)>) {
        let key = self.key(name).cloned().unwrap_or_else(|| name.to_string());
        match previous {
            Some(p) => {
                self.values.insert(key, p);
            }
            None => {
                self.values.remove(&key);
            }
        }
    }

    /// Every property: name, value, and the file and line that set it.
    pub fn iter(&self) -> impl Iterator<Item = (&str, &str, &str, u32)> {
        self.values
            .iter()
            .map(|(k, (v, f, l))| (k.as_str(), v.as_str(), f.as_str(), *l))
    }

    /// `$(Name)` replaced by each defined property's value; an undefined property or a
    /// property function is left as written, so that what is unresolved can be said.
    pub fn expand(&self, text: &str) -> String {
        let mut out = String::with_capacity(text.len());
        let mut rest = text;
        while let Some(at) = rest.find("$(") {
            out.push_str(&rest[..at]);
            let after = &rest[at + 2..];
            let Some(end) = after.find(')') else {
                out.push_str(&rest[at..]);
                return out;
            };
            let name = &after[..end];
            let plain = !name.is_empty()
                && name
                    .bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-');
            match self.get(name).filter(|_| plain) {
                Some(value) => {
                    out.push_str(value);
                    rest = &after[end + 1..];
                }
                None if plain => {
                    out.push_str(&rest[at..at + 2 + end + 1]);
                    rest = &after[end + 1..];
                }
                None => {
                    // A property function, perhaps with parentheses of its own: kept whole.
                    let close = matching(&rest[at + 1..]).map_or(rest.len(), |c| at + 1 + c + 1);
                    out.push_str(&rest[at..close]);
                    rest = &rest[close..];
                }
            }
        }
        out.push_str(rest);
        out
    }

    /// A condition's truth under these properties.
    pub fn condition(&self, text: &str) -> Truth {
        let expanded = self.expand(text);
        let tokens = tokens(&expanded);
        let mut parser = Parser {
            tokens: &tokens,
            at: 0,
        };
        let truth = parser.or();
        if parser.at == tokens.len() {
            truth
        } else {
            Truth::Unknown
        }
    }
}

/// Whether an expanded value still has something unresolved in it.
pub fn unresolved(value: &str) -> bool {
    value.contains("$(") || value.contains("@(") || value.contains("%(")
}

/// The index of the `)` that closes the `(` `text` starts with.
fn matching(text: &str) -> Option<usize> {
    let mut depth = 0usize;
    for (i, c) in text.char_indices() {
        match c {
            '(' => depth += 1,
            ')' => {
                depth = depth.checked_sub(1)?;
                if depth == 0 {
                    return Some(i);
                }
            }
            _ => {}
        }
    }
    None
}

#[derive(Clone, Debug, PartialEq)]
enum Token {
    /// A quoted string or a bare word, and whether it was quoted.
    Value(String),
    /// `==`, `!=`, `<`, `>`, `<=`, `>=`.
    Compare(&'static str),
    Not,
    And,
    Or,
    Open,
    Close,
    /// A function call (`Exists('…')`) or anything else that cannot be answered.
    Unknown,
}

fn tokens(text: &str) -> Vec<Token> {
    let mut out = Vec::new();
    let chars: Vec<char> = text.chars().collect();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        match c {
            _ if c.is_whitespace() => i += 1,
            '\'' | '`' => {
                let start = i + 1;
                let mut end = start;
                while end < chars.len() && chars[end] != c {
                    end += 1;
                }
                let value: String = chars[start..end.min(chars.len())].iter().collect();
                out.push(if unresolved(&value) {
                    Token::Unknown
                } else {
                    Token::Value(value)
                });
                i = end + 1;
            }
            '(' => {
                out.push(Token::Open);
                i += 1;
            }
            ')' => {
                out.push(Token::Close);
                i += 1;
            }
            '=' | '!' | '<' | '>' => {
                let two = chars.get(i + 1) == Some(&'=');
                let op = match (c, two) {
                    ('=', true) => Some("=="),
                    ('!', true) => Some("!="),
                    ('<', true) => Some("<="),
                    ('>', true) => Some(">="),
                    ('<', false) => Some("<"),
                    ('>', false) => Some(">"),
                    _ => None,
                };
                match op {
                    Some(op) => {
                        out.push(Token::Compare(op));
                        i += if two { 2 } else { 1 };
                    }
                    None if c == '!' => {
                        out.push(Token::Not);
                        i += 1;
                    }
                    None => {
                        out.push(Token::Unknown);
                        i += 1;
                    }
                }
            }
            _ => {
                let start = i;
                while i < chars.len()
                    && !chars[i].is_whitespace()
                    && !matches!(chars[i], '(' | ')' | '\'' | '=' | '!' | '<' | '>')
                {
                    i += 1;
                }
                let word: String = chars[start..i].iter().collect();
                if word.eq_ignore_ascii_case("and") {
                    out.push(Token::And);
                } else if word.eq_ignore_ascii_case("or") {
                    out.push(Token::Or);
                } else if chars.get(i) == Some(&'(') {
                    // A function: Exists('…'), HasTrailingSlash('…'), or one left unexpanded.
                    let rest: String = chars[i..].iter().collect();
                    let close = matching(&rest).unwrap_or(rest.len().saturating_sub(1));
                    i += rest[..=close.min(rest.len().saturating_sub(1))]
                        .chars()
                        .count();
                    out.push(Token::Unknown);
                } else if unresolved(&word) || word.starts_with('$') || word.starts_with('@') {
                    out.push(Token::Unknown);
                } else {
                    out.push(Token::Value(word));
                }
            }
        }
    }
    out
}

/// An operand: a value, or unknown.
#[derive(Clone, Debug)]
enum Operand {
    Value(String),
    Unknown,
}

struct Parser<'t> {
    tokens: &'t [Token],
    at: usize,
}

impl Parser<'_> {
    fn peek(&self) -> Option<&Token> {
        self.tokens.get(self.at)
    }

    fn or(&mut self) -> Truth {
        let mut t = self.and();
        while self.peek() == Some(&Token::Or) {
            self.at += 1;
            let r = self.and();
            t = t.or(r);
        }
        t
    }

    fn and(&mut self) -> Truth {
        let mut t = self.not();
        while self.peek() == Some(&Token::And) {
            self.at += 1;
            let r = self.not();
            t = t.and(r);
        }
        t
    }

    fn not(&mut self) -> Truth {
        if self.peek() == Some(&Token::Not) {
            self.at += 1;
            return self.not().not();
        }
        self.comparison()
    }

    fn comparison(&mut self) -> Truth {
        if self.peek() == Some(&Token::Open) {
            self.at += 1;
            let t = self.or();
            if self.peek() == Some(&Token::Close) {
                self.at += 1;
                return t;
            }
            self.at = self.tokens.len() + 1;
            return Truth::Unknown;
        }
        let left = self.operand();
        let Some(Token::Compare(op)) = self.peek().cloned() else {
            // A lone operand: a boolean word.
            return match left {
                Some(Operand::Value(v)) if v.eq_ignore_ascii_case("true") => Truth::Yes,
                Some(Operand::Value(v)) if v.eq_ignore_ascii_case("false") => Truth::No,
                _ => Truth::Unknown,
            };
        };
        self.at += 1;
        let right = self.operand();
        match (left, right) {
            (Some(Operand::Value(a)), Some(Operand::Value(b))) => compare(&a, op, &b),
            _ => Truth::Unknown,
        }
    }

    fn operand(&mut self) -> Option<Operand> {
        let t = self.peek()?.clone();
        self.at += 1;
        match t {
            Token::Value(v) => Some(Operand::Value(v)),
            Token::Unknown => Some(Operand::Unknown),
            _ => {
                self.at = self.tokens.len() + 1;
                None
            }
        }
    }
}

/// Two values compared as MSBuild compares them: strings ignoring case, numbers by value.
fn compare(a: &str, op: &str, b: &str) -> Truth {
    match op {
        "==" => Truth::of(a.eq_ignore_ascii_case(b)),
        "!=" => Truth::of(!a.eq_ignore_ascii_case(b)),
        _ => match (a.trim().parse::<f64>(), b.trim().parse::<f64>()) {
            (Ok(x), Ok(y)) => Truth::of(match op {
                "<" => x < y,
                ">" => x > y,
                "<=" => x <= y,
                _ => x >= y,
            }),
            _ => Truth::Unknown,
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn props(pairs: &[(&str, &str)]) -> Properties {
        let mut p = Properties::publish();
        for (k, v) in pairs {
            p.set(k, v, "Directory.Build.props", 1);
        }
        p
    }

    #[test]
    fn a_later_definition_wins_and_refers_to_the_earlier() {
        let p = props(&[
            ("DynamoDbSdkVersion", "3.7.101.21"),
            ("dynamodbsdkversion", "4.0.0.0"),
            ("Versions", "$(DynamoDbSdkVersion);$(Missing)"),
            ("Versions", "$(Versions);x"),
        ]);
        assert_eq!(p.get("DYNAMODBSDKVERSION"), Some("4.0.0.0"));
        // Undefined stays as written: MSBuild would make it empty, the SDK may define it.
        assert_eq!(p.get("Versions"), Some("4.0.0.0;$(Missing);x"));
        assert!(unresolved(p.get("Versions").unwrap_or("")));
    }

    #[test]
    fn the_configuration_is_release_whatever_a_file_says() {
        let p = props(&[("Configuration", "Debug")]);
        assert_eq!(p.get("Configuration"), Some("Release"));
    }

    #[test]
    fn property_functions_are_kept_whole() {
        let p = props(&[("Tfm", "net8.0")]);
        assert_eq!(
            p.expand("$([MSBuild]::GetPathOfFileAbove('a.props', '$(Tfm)'))x"),
            "$([MSBuild]::GetPathOfFileAbove('a.props', '$(Tfm)'))x"
        );
        assert_eq!(p.expand("$(Tfm.Substring(0,3))"), "$(Tfm.Substring(0,3))");
    }

    #[test]
    fn conditions_as_msbuild_writes_them() {
        let p = props(&[("PublishAot", "true"), ("Platform", "AnyCPU")]);
        let yes = [
            "'$(Configuration)' == 'Release'",
            " '$(Configuration)' == 'release' ",
            "'$(Configuration)|$(Platform)'=='Release|AnyCPU'",
            "'$(PublishAot)' == 'true' and '$(Configuration)' != 'Debug'",
            "!('$(Configuration)' == 'Debug')",
            "$(PublishAot)",
            "'$(Nothing)' == '' or '$(PublishAot)' == 'true'",
            "'8' >= '6'",
        ];
        for c in yes {
            assert_eq!(p.condition(c), Truth::Yes, "{c}");
        }
        let no = [
            "'$(Configuration)' != 'Release'",
            "'$(Configuration)' == 'Debug'",
            "'$(PublishAot)' == 'false' And Exists('x.props')",
        ];
        for c in no {
            assert_eq!(p.condition(c), Truth::No, "{c}");
        }
        let unknown = [
            "'$(TargetFramework)' == 'net8.0'",
            "Exists('$(MSBuildThisFileDirectory)local.props')",
            "'$(TargetFramework.TrimEnd(`0123456789.`))' == 'net'",
            "'$(Configuration)' == 'Release' and '$(RuntimeIdentifier)' == 'linux-x64'",
            "'abc' > '1'",
        ];
        for c in unknown {
            assert_eq!(p.condition(c), Truth::Unknown, "{c}");
        }
    }
}
