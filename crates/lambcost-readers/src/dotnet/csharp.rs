//! C# sources through tree-sitter's C# grammar: the calls, types and attributes that stand
//! between a project and trimming or NativeAOT, each with its line and column. A real parser,
//! so that comments, strings and names that merely look alike do not count, and a file with
//! syntax errors still yields the findings of the parts that parse.

use lambcost_core::assess::{Finding, Rule};
use std::collections::{HashMap, HashSet};
use tree_sitter::{Node, Parser};

/// What one file holds.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Scanned {
    /// Its findings, in the order of the source.
    pub findings: Vec<Finding>,
    /// Line and column of its first syntax error, if it has one.
    pub syntax_error: Option<(u32, u32)>,
}

/// Scans one file's text; `file` is how findings name it.
pub fn scan(text: &str, file: &str) -> Scanned {
    let mut parser = Parser::new();
    let language: tree_sitter::Language = tree_sitter_c_sharp::LANGUAGE.into();
    if parser.set_language(&language).is_err() {
        return Scanned::default();
    }
    let Some(tree) = parser.parse(text, None) else {
        return Scanned::default();
    };
    let mut scan = Scan {
        src: text,
        file,
        found: Vec::new(),
        expressions: false,
        lookups: Vec::new(),
        invoked: HashSet::new(),
        aliases: HashMap::new(),
        statics: Vec::new(),
        syntax_error: None,
        missing: None,
    };
    let root = tree.root_node();
    // Depth first, in source order, without recursion (a generated file can nest deeply).
    let mut cursor = root.walk();
    loop {
        let node = cursor.node();
        scan.visit(node);
        if cursor.goto_first_child() {
            continue;
        }
        loop {
            if cursor.goto_next_sibling() {
                break;
            }
            if !cursor.goto_parent() {
                return scan.finish();
            }
        }
    }
}

/// Member lookups by name (`GetMethod`, `GetProperty`, ...) that count as reflection only
/// where the same member also invokes or reads through reflection.
const LOOKUPS: [&str; 5] = [
    "GetMethod",
    "GetProperty",
    "GetField",
    "GetConstructor",
    "GetMember",
];

/// Calls that register services by scanning assemblies.
const SCANNING: [&str; 19] = [
    "AddFromAssembly",
    "AddFromAssemblyOf",
    "RegisterServicesFromAssembly",
    "RegisterServicesFromAssemblies",
    "RegisterServicesFromAssemblyContaining",
    "FromAssemblyOf",
    "FromAssemblies",
    "FromAssembliesOf",
    "FromApplicationDependencies",
    "FromAssemblyDependencies",
    "FromCallingAssembly",
    "FromExecutingAssembly",
    "FromEntryAssembly",
    "AddValidatorsFromAssembly",
    "AddValidatorsFromAssemblies",
    "AddValidatorsFromAssemblyContaining",
    "RegisterAssemblyTypes",
    "RegisterAssemblyModules",
    "AddMaps",
];

/// Calls that bring in ASP.NET Core MVC.
const MVC: [&str; 8] = [
    "AddControllers",
    "AddControllersWithViews",
    "AddMvc",
    "AddMvcCore",
    "AddRazorPages",
    "MapControllers",
    "MapControllerRoute",
    "MapDefaultControllerRoute",
];

struct Scan<'a> {
    src: &'a str,
    file: &'a str,
    found: Vec<Finding>,
    /// Whether the file uses `System.Linq.Expressions` (so `x.Compile()` is an expression's).
    expressions: bool,
    /// Lookups by name, with the member they are in and the variable they initialise.
    lookups: Vec<(usize, String, Finding)>,
    /// Receivers invoked or read through reflection (`m` of `m.Invoke(…)`), by member.
    invoked: HashSet<(usize, String)>,
    /// `using Asm = System.Reflection.Assembly;`: alias to the type's own name.
    aliases: HashMap<String, String>,
    /// `using static System.Activator;`: the types whose members are called bare.
    statics: Vec<String>,
    /// The first ERROR node: where it starts, and what it spans.
    syntax_error: Option<((u32, u32), std::ops::Range<usize>)>,
    /// The first missing token: where, and its byte.
    missing: Option<((u32, u32), usize)>,
}

impl<'a> Scan<'a> {
    fn text(&self, node: Node<'_>) -> &'a str {
        &self.src[node.byte_range()]
    }

    fn add(&mut self, rule: Rule, node: Node<'_>, what: &str) {
        let f = self.finding(rule, node, what);
        self.found.push(f);
    }

    fn finding(&self, rule: Rule, node: Node<'_>, what: &str) -> Finding {
        let (line, column) = self.position(node);
        let mut f = Finding::new(rule, self.file, line, column, what);
        // Where the node ends on its first line: a warning's column inside it is about it.
        f.end_column = if node.end_position().row == node.start_position().row {
            let end = node.end_byte();
            let line_start = self.src[..end].rfind('\n').map_or(0, |i| i + 1);
            u32::try_from(self.src[line_start..end].chars().count() + 1).unwrap_or(u32::MAX)
        } else {
            u32::MAX
        };
        f
    }

    /// Line and column from 1, the column in characters.
    fn position(&self, node: Node<'_>) -> (u32, u32) {
        let start = node.start_byte();
        let line_start = self.src[..start].rfind('\n').map_or(0, |i| i + 1);
        let column = self.src[line_start..start].chars().count() + 1;
        (
            u32::try_from(node.start_position().row + 1).unwrap_or(u32::MAX),
            u32::try_from(column).unwrap_or(u32::MAX),
        )
    }

    fn visit(&mut self, node: Node<'_>) {
        // A missing token (`)` expected here) places the error; an ERROR node only says where
        // the parser lost its way, often the start of the enclosing declaration.
        if node.is_missing() && self.missing.is_none() {
            self.missing = Some((self.position(node), node.start_byte()));
        }
        if node.is_error() && self.syntax_error.is_none() {
            self.syntax_error = Some((self.position(node), node.byte_range()));
        }
        match node.kind() {
            "using_directive" => self.using(node),
            "invocation_expression" => self.invocation(node),
            "member_access_expression" => self.method_group(node),
            "object_creation_expression" => self.creation(node),
            "base_list" => self.bases(node),
            "attribute" => self.attribute(node),
            "identifier" => self.identifier(node),
            _ => {}
        }
    }

    fn using(&mut self, node: Node<'_>) {
        let name: String = self
            .text(node)
            .trim_start_matches("global")
            .trim()
            .trim_start_matches("using")
            .trim_end_matches(';')
            .split_whitespace()
            .collect();
        if let Some(target) = name.strip_prefix("static") {
            self.statics.push(type_name(target).to_string());
        }
        if let Some((alias, target)) = name.split_once('=') {
            self.aliases
                .insert(alias.to_string(), type_name(target).to_string());
            return;
        }
        let name = name.strip_prefix("static").unwrap_or(&name);
        if name == "System.Reflection.Emit" {
            self.add(Rule::ReflectionEmit, node, "using System.Reflection.Emit");
        }
        if name == "System.Linq.Expressions" {
            self.expressions = true;
        }
    }

    /// The called member's receiver (if any), its name, and whether it has type arguments.
    fn callee<'t>(&self, node: Node<'t>) -> Option<(Option<Node<'t>>, &'a str, bool)> {
        let function = node.child_by_field_name("function")?;
        let (receiver, name) = match function.kind() {
            "member_access_expression" => (
                function.child_by_field_name("expression"),
                function.child_by_field_name("name")?,
            ),
            "member_binding_expression" => (None, function.child_by_field_name("name")?),
            "identifier" | "generic_name" => (None, function),
            _ => return None,
        };
        let generic = name.kind() == "generic_name";
        let name = if generic {
            name.named_child(0).map_or("", |n| self.text(n))
        } else {
            self.text(name)
        };
        Some((receiver, name, generic))
    }

    fn invocation<'t>(&mut self, node: Node<'t>) {
        let Some((receiver, name, generic)) = self.callee(node) else {
            return;
        };
        let receiver_text: String = receiver
            .map(|r| self.text(r).split_whitespace().collect())
            .unwrap_or_default();
        let mut last = receiver_text
            .rsplit('.')
            .next()
            .unwrap_or(&receiver_text)
            .to_string();
        if let Some(real) = self.aliases.get(&last) {
            last = real.clone();
        }
        // A bare call under `using static T;` is T's.
        if receiver.is_none()
            && let Some(t) = self.statics.iter().find(|t| static_member(t, name))
        {
            last = t.clone();
        }
        let args: Vec<Node<'t>> = node
            .child_by_field_name("arguments")
            .map(|a| {
                let mut c = a.walk();
                a.named_children(&mut c)
                    .filter(|n| n.kind() == "argument")
                    .collect()
            })
            .unwrap_or_default();
        // `Assembly.LoadFrom`, `type.GetMethod`: the receiver's last name where it is one.
        let plain = !last.is_empty() && last.chars().all(|c| c.is_alphanumeric() || c == '_');
        let what = if plain {
            format!("{last}.{name}")
        } else {
            name.to_string()
        };
        let rule = self.call_rule(name, &last, &receiver_text, &args, generic);
        if let Some(rule) = rule {
            let mut f = self.finding(rule, node, &what);
            if name == "AddAWSLambdaHosting" {
                f.why = "this AddAWSLambdaHosting overload is RequiresUnreferencedCode: it serialises by reflection unless given the serializer".into();
                f.fix = "the overload taking it: AddAWSLambdaHosting(source, new SourceGeneratorLambdaJsonSerializer<Ctx>()) (Amazon.Lambda.AspNetCoreServer.Hosting 1.7.0+)".into();
            }
            self.found.push(f);
            return;
        }
        if LOOKUPS.contains(&name) && !args.is_empty() {
            // What the lookup's result is called: the variable it initialises, if any.
            let named = node
                .parent()
                .filter(|p| p.kind() == "variable_declarator")
                .or_else(|| {
                    node.parent()
                        .filter(|p| p.kind() == "equals_value_clause")
                        .and_then(|p| p.parent())
                })
                .and_then(|d| d.child_by_field_name("name"))
                .map(|n| self.text(n).to_string());
            let f = self.finding(Rule::ReflectionInvoke, node, &what);
            self.lookups
                .push((member(node), named.unwrap_or_default(), f));
        }
        if matches!(name, "Invoke" | "GetValue" | "SetValue")
            && let Some(r) = receiver
        {
            // A lookup chained into the call (`t.GetMethod("Run").Invoke(…)`) is found at once.
            let chained = (r.kind() == "invocation_expression")
                .then(|| self.callee(r))
                .flatten()
                .map(|(_, inner, _)| inner)
                .filter(|inner| LOOKUPS.contains(inner));
            if let Some(inner) = chained {
                self.add(Rule::ReflectionInvoke, r, &format!("{inner}.{name}"));
            } else {
                let t: String = self.text(r).split_whitespace().collect();
                self.invoked.insert((member(node), t));
            }
        }
    }

    /// The rule a call falls under, from its name, its receiver's last name (`Assembly`),
    /// the receiver as written, its arguments and whether it has type arguments.
    fn call_rule(
        &self,
        name: &str,
        last: &str,
        receiver_text: &str,
        args: &[Node<'_>],
        generic: bool,
    ) -> Option<Rule> {
        match name {
            "Load" | "LoadFrom" | "LoadFile" | "UnsafeLoadFrom" if last == "Assembly" => {
                Some(Rule::DynamicLoading)
            }
            "Load" if last == "CurrentDomain" => Some(Rule::DynamicLoading),
            "LoadFromAssemblyPath"
            | "LoadFromAssemblyName"
            | "LoadFromStream"
            | "LoadFromNativeImagePath" => Some(Rule::DynamicLoading),
            "GetType" if last == "Type" && args.first().is_some_and(|a| !self.constant(*a)) => {
                Some(Rule::TypeByName)
            }
            // `Assembly.GetType(name)` and `Module.GetType(name)`: a type by name from an
            // assembly, which the trimmer cannot follow even for a literal (IL2026). The
            // object's own `GetType()` takes no argument.
            "GetType" if last != "Type" && !receiver_text.is_empty() && !args.is_empty() => {
                Some(Rule::TypeByName)
            }
            // Every overload but the one taking the serializer is RequiresUnreferencedCode.
            "AddAWSLambdaHosting"
                if !args.get(1).is_some_and(|a| {
                    self.text(*a)
                        .trim_start()
                        .starts_with("new SourceGeneratorLambdaJsonSerializer")
                }) =>
            {
                Some(Rule::LambdaReflectionSerializer)
            }
            "CreateInstance" if last == "Activator" && !generic && !args.is_empty() => {
                Some(Rule::ActivatorCreateInstance)
            }
            "GetTypes" | "GetExportedTypes" if args.is_empty() => Some(Rule::TypeScan),
            "MakeGenericType" | "MakeGenericMethod" => Some(Rule::MakeGeneric),
            "DefineDynamicAssembly" => Some(Rule::ReflectionEmit),
            "Compile" if args.is_empty() && self.expressions => Some(Rule::ExpressionCompile),
            n if last == "JsonSerializer"
                && (n.starts_with("Serialize") || n.starts_with("Deserialize"))
                && !args.iter().any(|a| self.typed_json(*a))
                && !self.context_overload(args) =>
            {
                Some(Rule::ReflectionJson)
            }
            "SerializeObject"
            | "DeserializeObject"
            | "PopulateObject"
            | "DeserializeAnonymousType"
                if last == "JsonConvert" =>
            {
                Some(Rule::NewtonsoftJson)
            }
            n if SCANNING.contains(&n) => Some(Rule::AssemblyScanningDi),
            "AddAutoMapper" | "AddMediatR"
                if args.iter().any(|a| {
                    let t = self.text(*a);
                    t.contains("Assembly") || t.contains("typeof(") || t.contains("AppDomain")
                }) =>
            {
                Some(Rule::AssemblyScanningDi)
            }
            n if MVC.contains(&n) => Some(Rule::MvcControllers),
            "Create" if last == "LambdaBootstrapBuilder" => Some(Rule::LambdaAotReady),
            "Build"
                if last == "DynamoDBContextBuilder"
                    || receiver_text.contains("DynamoDBContextBuilder") =>
            {
                Some(Rule::DynamoDbContext)
            }
            _ => None,
        }
    }

    /// Whether an argument is known when the code is compiled: a literal, `nameof(…)`, or
    /// literals joined by `+`.
    fn constant(&self, arg: Node<'_>) -> bool {
        let Some(e) =
            arg.named_child(u32::try_from(arg.named_child_count().saturating_sub(1)).unwrap_or(0))
        else {
            return false;
        };
        self.constant_expression(e)
    }

    fn constant_expression(&self, e: Node<'_>) -> bool {
        match e.kind() {
            "string_literal" | "verbatim_string_literal" | "raw_string_literal" => true,
            "invocation_expression" => self.text(e).starts_with("nameof("),
            "binary_expression" => {
                let (l, r) = (
                    e.child_by_field_name("left"),
                    e.child_by_field_name("right"),
                );
                l.zip(r).is_some_and(|(l, r)| {
                    self.constant_expression(l) && self.constant_expression(r)
                })
            }
            "parenthesized_expression" => e
                .named_child(0)
                .is_some_and(|i| self.constant_expression(i)),
            _ => false,
        }
    }

    /// Whether an argument of a `JsonSerializer` call is source-generated metadata: a
    /// context's `Default` or one of its properties, or a value named as type info or context.
    fn typed_json(&self, arg: Node<'_>) -> bool {
        let t: String = self.text(arg).split_whitespace().collect();
        // The options' own defaults are reflection's.
        if t.starts_with("JsonSerializerOptions") {
            return false;
        }
        let last = t.rsplit('.').next().unwrap_or(&t).to_ascii_lowercase();
        t.contains(".Default.")
            || t.ends_with(".Default")
            || last.ends_with("typeinfo")
            || last.ends_with("context")
    }

    /// `Serialize(value, typeof(T), context)`, `Deserialize(json, typeof(T), context)`: the
    /// overloads that take a `JsonSerializerContext` after a type.
    fn context_overload(&self, args: &[Node<'_>]) -> bool {
        args.len() >= 3
            && args
                .iter()
                .position(|a| {
                    a.named_child(0)
                        .is_some_and(|e| e.kind() == "typeof_expression")
                })
                .is_some_and(|i| i + 1 < args.len())
    }

    /// `names.Select(Assembly.Load)`: a method group of a dynamic load, passed along.
    fn method_group(&mut self, node: Node<'_>) {
        if node.parent().is_none_or(|p| p.kind() != "argument") {
            return;
        }
        let (Some(e), Some(n)) = (
            node.child_by_field_name("expression"),
            node.child_by_field_name("name"),
        ) else {
            return;
        };
        let mut on = type_name(self.text(e)).to_string();
        if let Some(real) = self.aliases.get(&on) {
            on = real.clone();
        }
        let name = self.text(n);
        if on == "Assembly" && matches!(name, "Load" | "LoadFrom" | "LoadFile") {
            self.add(Rule::DynamicLoading, node, &format!("Assembly.{name}"));
        }
    }

    fn creation(&mut self, node: Node<'_>) {
        let Some(ty) = node.child_by_field_name("type") else {
            return;
        };
        let base = type_name(self.text(ty));
        let rule = match base {
            "DynamicMethod" | "AssemblyBuilder" => Some(Rule::ReflectionEmit),
            "AssemblyLoadContext" => Some(Rule::DynamicLoading),
            "DefaultLambdaJsonSerializer" => Some(Rule::LambdaReflectionSerializer),
            "DynamoDBContext" => Some(Rule::DynamoDbContext),
            "SourceGeneratorLambdaJsonSerializer" => Some(Rule::LambdaAotReady),
            _ => None,
        };
        if let Some(rule) = rule {
            self.add(rule, node, &format!("new {base}"));
        }
    }

    fn bases(&mut self, node: Node<'_>) {
        let mut c = node.walk();
        for b in node.named_children(&mut c) {
            let base = type_name(self.text(b));
            match base {
                "AssemblyLoadContext" => self.add(Rule::DynamicLoading, b, ": AssemblyLoadContext"),
                "ControllerBase" | "Controller" => {
                    self.add(Rule::MvcControllers, b, &format!(": {base}"));
                }
                _ => {}
            }
        }
    }

    fn attribute(&mut self, node: Node<'_>) {
        let Some(name) = node.child_by_field_name("name") else {
            return;
        };
        let name = self.text(name);
        let short = name.rsplit('.').next().unwrap_or(name);
        let short = short.strip_suffix("Attribute").unwrap_or(short);
        let args = node
            .named_child(u32::try_from(node.named_child_count().saturating_sub(1)).unwrap_or(0))
            .filter(|a| a.kind() == "attribute_argument_list")
            .map(|a| self.text(a))
            .unwrap_or("");
        match short {
            "JsonSerializable" => self.add(Rule::JsonContext, node, "[JsonSerializable]"),
            "LambdaSerializer" if args.contains("SourceGeneratorLambdaJsonSerializer") => {
                self.add(Rule::LambdaAotReady, node, "[LambdaSerializer]");
            }
            "LambdaSerializer" if args.contains("DefaultLambdaJsonSerializer") => self.add(
                Rule::LambdaReflectionSerializer,
                node,
                "[LambdaSerializer(typeof(DefaultLambdaJsonSerializer))]",
            ),
            // Amazon.Lambda.Serialization.Json's serializer is Newtonsoft's.
            "LambdaSerializer" if args.contains("Serialization.Json.JsonSerializer") => {
                self.add(Rule::NewtonsoftJson, node, "[LambdaSerializer(Newtonsoft)]");
            }
            _ => {}
        }
    }

    fn identifier(&mut self, node: Node<'_>) {
        if self.text(node) != "dynamic" {
            return;
        }
        let Some(parent) = node.parent() else {
            return;
        };
        let is = |field: &str| parent.child_by_field_name(field) == Some(node);
        let in_type = is("type")
            || is("returns")
            || matches!(
                parent.kind(),
                "type_argument_list" | "array_type" | "nullable_type" | "ref_type"
            );
        if in_type {
            self.add(Rule::DynamicKeyword, node, "dynamic");
        }
    }

    fn finish(mut self) -> Scanned {
        let invoked = std::mem::take(&mut self.invoked);
        for (m, var, f) in std::mem::take(&mut self.lookups) {
            if !var.is_empty() && invoked.contains(&(m, var)) {
                self.found.push(f);
            }
        }
        self.found.sort_by_key(|f| (f.line, f.column));
        // One finding a rule a line: `AssemblyLoadContext.Default.LoadFromAssemblyPath(…)` is
        // one dynamic load.
        let mut seen: HashMap<(u32, Rule), ()> = HashMap::new();
        self.found
            .retain(|f| seen.insert((f.line, f.rule), ()).is_none());
        Scanned {
            findings: self.found,
            // The first error of the file: a missing token inside the first ERROR region
            // says where better than the region's start; one after it comes later.
            syntax_error: match (self.missing, self.syntax_error) {
                (Some((m, at)), Some((e, range))) => {
                    Some(if range.contains(&at) { m } else { m.min(e) })
                }
                (m, e) => m.map(|m| m.0).or(e.map(|e| e.0)),
            },
        }
    }
}

/// A type's own name, without namespace or type arguments: `System.Runtime.Loader.
/// AssemblyLoadContext` and `Foo<T>` are `AssemblyLoadContext` and `Foo`.
fn type_name(text: &str) -> &str {
    let bare = text.split('<').next().unwrap_or(text);
    bare.rsplit('.').next().unwrap_or(bare).trim()
}

/// Whether a bare call is a member of a type brought in with `using static`.
fn static_member(t: &str, name: &str) -> bool {
    match t {
        "Activator" => name == "CreateInstance",
        "Assembly" => matches!(name, "Load" | "LoadFrom" | "LoadFile"),
        "JsonSerializer" => name.starts_with("Serialize") || name.starts_with("Deserialize"),
        "JsonConvert" => name.ends_with("Object"),
        _ => false,
    }
}

/// The member (method, constructor, accessor, local function) a node is in, by its node id;
/// 0 for top-level statements.
fn member(node: Node<'_>) -> usize {
    let mut n = node.parent();
    while let Some(p) = n {
        if matches!(
            p.kind(),
            "method_declaration"
                | "constructor_declaration"
                | "local_function_statement"
                | "accessor_declaration"
                | "operator_declaration"
                | "conversion_operator_declaration"
                | "destructor_declaration"
        ) {
            return p.id();
        }
        n = p.parent();
    }
    0
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rules(src: &str) -> Vec<(u32, Rule)> {
        scan(src, "F.cs")
            .findings
            .iter()
            .map(|f| (f.line, f.rule))
            .collect()
    }

    #[test]
    fn a_finding_has_its_line_and_character_column() {
        let s = scan(
            "class A {\n  void M() { /* é */ var a = Assembly.LoadFrom(p); }\n}\n",
            "x/A.cs",
        );
        let f = &s.findings[0];
        // Column 30 in characters; the é is two bytes, so 31 in bytes.
        assert_eq!((f.file.as_str(), f.line, f.column), ("x/A.cs", 2, 30));
        assert_eq!(f.what, "Assembly.LoadFrom");
        assert_eq!(s.syntax_error, None);
    }

    #[test]
    fn comments_strings_and_look_alikes_do_not_count() {
        let src = r#"
class A {
  // Assembly.Load("x"); Type.GetType(name);
  /* dynamic d = 1; */
  string s = "Assembly.LoadFrom(\"p.dll\") JsonConvert.SerializeObject(x)";
  void M(string name) {
    var t = Type.GetType("System.String");
    var u = Type.GetType(nameof(A));
    var o = Activator.CreateInstance<A>();
    var j = JsonSerializer.Serialize(o, AppJson.Default.A);
    var k = JsonSerializer.Deserialize(s, typeInfo);
    var e = element.GetProperty("name").GetString();
    var dynamicValue = 1;
    MyAssembly.Load(name);
  }
}
"#;
        assert_eq!(rules(src), []);
    }

    #[test]
    fn a_lookup_counts_only_with_an_invoke_in_the_same_member() {
        let src = r#"
class A {
  void Call(object o) {
    var m = o.GetType().GetMethod("Run");
    m.Invoke(o, null);
  }
  void Read(JsonElement e) { var p = e.GetProperty("x"); }
}
"#;
        assert_eq!(rules(src), [(4, Rule::ReflectionInvoke)]);
    }

    #[test]
    fn a_file_with_syntax_errors_still_gives_the_rest() {
        let s = scan(
            "class A {\n  void M( { \n}\nclass B { void N() { Assembly.Load(x); } }\n",
            "A.cs",
        );
        assert!(s.syntax_error.is_some());
        assert!(s.findings.iter().any(|f| f.rule == Rule::DynamicLoading));
    }
}
