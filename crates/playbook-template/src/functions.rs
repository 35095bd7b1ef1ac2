//! The functions a template may call: Go's `text/template` builtins, the sprig library and
//! the platform's own (`secret`, `get`, `ieq`, `ine`), with their arity, argument and result
//! types where known, and a one-line summary for hover and completion.

/// The type of a template value, as far as it is known statically.
#[derive(Clone, Copy, PartialEq, Eq, Hash, Debug)]
pub enum Ty {
    /// Anything: no check is made.
    Any,
    String,
    Bool,
    Int,
    /// An integer or a float.
    Number,
    List,
    Map,
}

impl Ty {
    pub fn name(self) -> &'static str {
        match self {
            Ty::Any => "any",
            Ty::String => "string",
            Ty::Bool => "bool",
            Ty::Int => "int",
            Ty::Number => "number",
            Ty::List => "list",
            Ty::Map => "map",
        }
    }

    /// The type's name with its article: "a string", "an int", "any value".
    pub fn with_article(self) -> &'static str {
        match self {
            Ty::Any => "any value",
            Ty::String => "a string",
            Ty::Bool => "a bool",
            Ty::Int => "an int",
            Ty::Number => "a number",
            Ty::List => "a list",
            Ty::Map => "a map",
        }
    }

    /// Whether a value of type `self` may be passed where `expected` is wanted. Unknown types
    /// are accepted everywhere, and so is everything where `Any` is wanted. Template values
    /// convert loosely (an int is printed where a string is wanted), so only clear mismatches
    /// are refused: a list or map where a scalar is wanted, a string where a number is.
    pub fn fits(self, expected: Ty) -> bool {
        match (self, expected) {
            (Ty::Any, _) | (_, Ty::Any) => true,
            (a, b) if a == b => true,
            (Ty::Int, Ty::Number) => true,
            (Ty::Int | Ty::Number | Ty::Bool, Ty::String) => true,
            _ => false,
        }
    }
}

/// Where a function comes from.
#[derive(Clone, Copy, PartialEq, Eq, Hash, Debug)]
pub enum Origin {
    /// Go's `text/template` builtins.
    Go,
    /// The sprig function library.
    Sprig,
    /// The platform's own functions.
    Platform,
}

/// One function of the table.
#[derive(Debug)]
pub struct Function {
    pub name: &'static str,
    /// The types of the fixed parameters, in order.
    pub params: &'static [Ty],
    /// How many of `params` may be left out at the end.
    pub optional: usize,
    /// The type of any further arguments, for variadic functions.
    pub variadic: Option<Ty>,
    pub returns: Ty,
    pub origin: Origin,
    /// The signature as documentation shows it: `eq ARG1 ARG2...`.
    pub signature: &'static str,
    pub summary: &'static str,
}

impl Function {
    pub fn min_args(&self) -> usize {
        self.params.len() - self.optional
    }

    /// `None` for a variadic function.
    pub fn max_args(&self) -> Option<usize> {
        self.variadic.is_none().then_some(self.params.len())
    }

    /// Whether `n` arguments are accepted.
    pub fn accepts(&self, n: usize) -> bool {
        n >= self.min_args() && self.max_args().is_none_or(|max| n <= max)
    }

    /// The expected type of argument `i` (0-based), if there is one.
    pub fn param(&self, i: usize) -> Option<Ty> {
        self.params.get(i).copied().or(self.variadic)
    }

    /// "1 argument", "2 or 3 arguments", "at least 1 argument".
    pub fn arity_text(&self) -> std::string::String {
        let plural = |n: usize| if n == 1 { "argument" } else { "arguments" };
        let min = self.min_args();
        match self.max_args() {
            None => format!("at least {min} {}", plural(min)),
            Some(max) if max == min => format!("{min} {}", plural(min)),
            Some(max) => format!("{min} to {max} {}", plural(max)),
        }
    }
}

/// The function named `name`.
pub fn lookup(name: &str) -> Option<&'static Function> {
    FUNCTIONS.iter().find(|f| f.name == name)
}

/// The names of every function, for suggestions and completion.
pub fn names() -> impl Iterator<Item = &'static str> {
    FUNCTIONS.iter().map(|f| f.name)
}

use Origin::*;
use Ty::*;

macro_rules! f {
    ($name:literal, [$($p:expr),*], $opt:expr, $var:expr, $ret:expr, $origin:expr, $sig:literal, $summary:literal) => {
        Function {
            name: $name,
            params: &[$($p),*],
            optional: $opt,
            variadic: $var,
            returns: $ret,
            origin: $origin,
            signature: $sig,
            summary: $summary,
        }
    };
}

/// Every function, sorted by origin then name.
pub static FUNCTIONS: &[Function] = &[
    // Go text/template builtins.
    f!(
        "and",
        [Any],
        0,
        Some(Any),
        Any,
        Go,
        "and ARG1 ARG2...",
        "The first empty argument, or the last one."
    ),
    f!(
        "call",
        [Any],
        0,
        Some(Any),
        Any,
        Go,
        "call FUNC ARGS...",
        "Calls a function value with the arguments."
    ),
    f!(
        "eq",
        [Any, Any],
        0,
        Some(Any),
        Bool,
        Go,
        "eq ARG1 ARG2...",
        "Whether ARG1 equals ARG2 (or any of the later arguments)."
    ),
    f!(
        "ge",
        [Any, Any],
        0,
        None,
        Bool,
        Go,
        "ge ARG1 ARG2",
        "Whether ARG1 >= ARG2."
    ),
    f!(
        "gt",
        [Any, Any],
        0,
        None,
        Bool,
        Go,
        "gt ARG1 ARG2",
        "Whether ARG1 > ARG2."
    ),
    f!(
        "html",
        [Any],
        0,
        Some(Any),
        String,
        Go,
        "html ARGS...",
        "The arguments, HTML-escaped."
    ),
    f!(
        "index",
        [Any],
        0,
        Some(Any),
        Any,
        Go,
        "index COLLECTION KEYS...",
        "The element of a list or map at the given keys."
    ),
    f!(
        "js",
        [Any],
        0,
        Some(Any),
        String,
        Go,
        "js ARGS...",
        "The arguments, JavaScript-escaped."
    ),
    f!(
        "le",
        [Any, Any],
        0,
        None,
        Bool,
        Go,
        "le ARG1 ARG2",
        "Whether ARG1 <= ARG2."
    ),
    f!(
        "len",
        [Any],
        0,
        None,
        Int,
        Go,
        "len COLLECTION",
        "The length of a string, list or map."
    ),
    f!(
        "lt",
        [Any, Any],
        0,
        None,
        Bool,
        Go,
        "lt ARG1 ARG2",
        "Whether ARG1 < ARG2."
    ),
    f!(
        "ne",
        [Any, Any],
        0,
        None,
        Bool,
        Go,
        "ne ARG1 ARG2",
        "Whether ARG1 differs from ARG2."
    ),
    f!(
        "not",
        [Any],
        0,
        None,
        Bool,
        Go,
        "not ARG",
        "Whether the argument is empty (false, 0, nil, empty)."
    ),
    f!(
        "or",
        [Any],
        0,
        Some(Any),
        Any,
        Go,
        "or ARG1 ARG2...",
        "The first non-empty argument, or the last one."
    ),
    f!(
        "print",
        [],
        0,
        Some(Any),
        String,
        Go,
        "print ARGS...",
        "The arguments formatted as by Go's fmt.Sprint."
    ),
    f!(
        "printf",
        [String],
        0,
        Some(Any),
        String,
        Go,
        "printf FORMAT ARGS...",
        "The arguments formatted by FORMAT, as by Go's fmt.Sprintf."
    ),
    f!(
        "println",
        [],
        0,
        Some(Any),
        String,
        Go,
        "println ARGS...",
        "The arguments formatted as by Go's fmt.Sprintln."
    ),
    f!(
        "slice",
        [Any],
        0,
        Some(Int),
        Any,
        Go,
        "slice COLLECTION INDEXES...",
        "A slice of a string or list: `slice x 1 2` is x[1:2]."
    ),
    f!(
        "urlquery",
        [Any],
        0,
        Some(Any),
        String,
        Go,
        "urlquery ARGS...",
        "The arguments, escaped for a URL query."
    ),
    // The platform's own.
    f!(
        "get",
        [String, Any],
        1,
        None,
        Any,
        Platform,
        "get PATH",
        "The value at a path of the run's context, e.g. `get \"$.event.Type\"`."
    ),
    f!(
        "ieq",
        [Any, Any],
        0,
        None,
        Bool,
        Platform,
        "ieq ARG1 ARG2",
        "Whether two strings are equal, ignoring case."
    ),
    f!(
        "ine",
        [Any, Any],
        0,
        None,
        Bool,
        Platform,
        "ine ARG1 ARG2",
        "Whether two strings differ, ignoring case."
    ),
    f!(
        "secret",
        [Any],
        0,
        None,
        String,
        Platform,
        "secret NAME",
        "The value of a secret: a secret parameter, or a secret name."
    ),
    // Sprig: strings.
    f!(
        "abbrev",
        [Int, String],
        0,
        None,
        String,
        Sprig,
        "abbrev WIDTH STRING",
        "The string cut to WIDTH with an ellipsis."
    ),
    f!(
        "camelcase",
        [String],
        0,
        None,
        String,
        Sprig,
        "camelcase STRING",
        "The string in CamelCase."
    ),
    f!(
        "cat",
        [],
        0,
        Some(Any),
        String,
        Sprig,
        "cat ARGS...",
        "The arguments joined by spaces."
    ),
    f!(
        "contains",
        [String, String],
        0,
        None,
        Bool,
        Sprig,
        "contains SUBSTRING STRING",
        "Whether STRING contains SUBSTRING."
    ),
    f!(
        "hasPrefix",
        [String, String],
        0,
        None,
        Bool,
        Sprig,
        "hasPrefix PREFIX STRING",
        "Whether STRING starts with PREFIX."
    ),
    f!(
        "hasSuffix",
        [String, String],
        0,
        None,
        Bool,
        Sprig,
        "hasSuffix SUFFIX STRING",
        "Whether STRING ends with SUFFIX."
    ),
    f!(
        "indent",
        [Int, String],
        0,
        None,
        String,
        Sprig,
        "indent N STRING",
        "Every line of STRING indented by N spaces."
    ),
    f!(
        "initials",
        [String],
        0,
        None,
        String,
        Sprig,
        "initials STRING",
        "The first letter of each word."
    ),
    f!(
        "kebabcase",
        [String],
        0,
        None,
        String,
        Sprig,
        "kebabcase STRING",
        "The string in kebab-case."
    ),
    f!(
        "lower",
        [String],
        0,
        None,
        String,
        Sprig,
        "lower STRING",
        "The string in lower case."
    ),
    f!(
        "nindent",
        [Int, String],
        0,
        None,
        String,
        Sprig,
        "nindent N STRING",
        "A line break, then STRING indented by N spaces."
    ),
    f!(
        "nospace",
        [String],
        0,
        None,
        String,
        Sprig,
        "nospace STRING",
        "The string without whitespace."
    ),
    f!(
        "plural",
        [String, String, Int],
        0,
        None,
        String,
        Sprig,
        "plural ONE MANY COUNT",
        "ONE if COUNT is 1, else MANY."
    ),
    f!(
        "quote",
        [],
        0,
        Some(Any),
        String,
        Sprig,
        "quote ARGS...",
        "The arguments in double quotes."
    ),
    f!(
        "regexFind",
        [String, String],
        0,
        None,
        String,
        Sprig,
        "regexFind REGEX STRING",
        "The first match of REGEX in STRING."
    ),
    f!(
        "regexFindAll",
        [String, String, Int],
        0,
        None,
        List,
        Sprig,
        "regexFindAll REGEX STRING N",
        "Up to N matches (-1: all)."
    ),
    f!(
        "regexMatch",
        [String, String],
        0,
        None,
        Bool,
        Sprig,
        "regexMatch REGEX STRING",
        "Whether STRING matches REGEX."
    ),
    f!(
        "regexReplaceAll",
        [String, String, String],
        0,
        None,
        String,
        Sprig,
        "regexReplaceAll REGEX STRING REPLACEMENT",
        "STRING with every match replaced (with $1 expansion)."
    ),
    f!(
        "regexReplaceAllLiteral",
        [String, String, String],
        0,
        None,
        String,
        Sprig,
        "regexReplaceAllLiteral REGEX STRING REPLACEMENT",
        "STRING with every match replaced literally."
    ),
    f!(
        "regexSplit",
        [String, String, Int],
        0,
        None,
        List,
        Sprig,
        "regexSplit REGEX STRING N",
        "STRING split around matches."
    ),
    f!(
        "repeat",
        [Int, String],
        0,
        None,
        String,
        Sprig,
        "repeat COUNT STRING",
        "STRING repeated COUNT times."
    ),
    f!(
        "replace",
        [String, String, String],
        0,
        None,
        String,
        Sprig,
        "replace OLD NEW STRING",
        "STRING with every OLD replaced by NEW."
    ),
    f!(
        "snakecase",
        [String],
        0,
        None,
        String,
        Sprig,
        "snakecase STRING",
        "The string in snake_case."
    ),
    f!(
        "squote",
        [],
        0,
        Some(Any),
        String,
        Sprig,
        "squote ARGS...",
        "The arguments in single quotes."
    ),
    f!(
        "substr",
        [Int, Int, String],
        0,
        None,
        String,
        Sprig,
        "substr START END STRING",
        "The part of STRING from START to END."
    ),
    f!(
        "swapcase",
        [String],
        0,
        None,
        String,
        Sprig,
        "swapcase STRING",
        "The string with the case of each letter swapped."
    ),
    f!(
        "title",
        [String],
        0,
        None,
        String,
        Sprig,
        "title STRING",
        "The string in Title Case."
    ),
    f!(
        "trim",
        [String],
        0,
        None,
        String,
        Sprig,
        "trim STRING",
        "The string without leading and trailing whitespace."
    ),
    f!(
        "trimAll",
        [String, String],
        0,
        None,
        String,
        Sprig,
        "trimAll CHARS STRING",
        "The string without the given leading and trailing characters."
    ),
    f!(
        "trimPrefix",
        [String, String],
        0,
        None,
        String,
        Sprig,
        "trimPrefix PREFIX STRING",
        "The string without PREFIX."
    ),
    f!(
        "trimSuffix",
        [String, String],
        0,
        None,
        String,
        Sprig,
        "trimSuffix SUFFIX STRING",
        "The string without SUFFIX."
    ),
    f!(
        "trunc",
        [Int, String],
        0,
        None,
        String,
        Sprig,
        "trunc N STRING",
        "The first N characters (the last -N if negative)."
    ),
    f!(
        "untitle",
        [String],
        0,
        None,
        String,
        Sprig,
        "untitle STRING",
        "The string with each word's first letter in lower case."
    ),
    f!(
        "upper",
        [String],
        0,
        None,
        String,
        Sprig,
        "upper STRING",
        "The string in upper case."
    ),
    f!(
        "wrap",
        [Int, String],
        0,
        None,
        String,
        Sprig,
        "wrap WIDTH STRING",
        "The string wrapped at WIDTH columns."
    ),
    f!(
        "wrapWith",
        [Int, String, String],
        0,
        None,
        String,
        Sprig,
        "wrapWith WIDTH SEPARATOR STRING",
        "The string wrapped at WIDTH with SEPARATOR."
    ),
    // Sprig: string lists and conversions.
    f!(
        "atoi",
        [String],
        0,
        None,
        Int,
        Sprig,
        "atoi STRING",
        "The string as an integer."
    ),
    f!(
        "float64",
        [Any],
        0,
        None,
        Number,
        Sprig,
        "float64 VALUE",
        "The value as a float."
    ),
    f!(
        "int",
        [Any],
        0,
        None,
        Int,
        Sprig,
        "int VALUE",
        "The value as an integer."
    ),
    f!(
        "int64",
        [Any],
        0,
        None,
        Int,
        Sprig,
        "int64 VALUE",
        "The value as a 64-bit integer."
    ),
    f!(
        "join",
        [String, Any],
        0,
        None,
        String,
        Sprig,
        "join SEPARATOR LIST",
        "The list's elements joined by SEPARATOR."
    ),
    f!(
        "split",
        [String, String],
        0,
        None,
        Map,
        Sprig,
        "split SEPARATOR STRING",
        "STRING split into a map `_0`, `_1`, ..."
    ),
    f!(
        "splitList",
        [String, String],
        0,
        None,
        List,
        Sprig,
        "splitList SEPARATOR STRING",
        "STRING split into a list."
    ),
    f!(
        "toString",
        [Any],
        0,
        None,
        String,
        Sprig,
        "toString VALUE",
        "The value as a string."
    ),
    f!(
        "toStrings",
        [Any],
        0,
        None,
        List,
        Sprig,
        "toStrings LIST",
        "Every element of the list as a string."
    ),
    // Sprig: math.
    f!(
        "add",
        [Any],
        0,
        Some(Any),
        Int,
        Sprig,
        "add N...",
        "The sum of the numbers."
    ),
    f!("add1", [Any], 0, None, Int, Sprig, "add1 N", "N + 1."),
    f!(
        "ceil",
        [Any],
        0,
        None,
        Number,
        Sprig,
        "ceil N",
        "The smallest integer >= N."
    ),
    f!(
        "div",
        [Any, Any],
        0,
        None,
        Int,
        Sprig,
        "div A B",
        "A / B, as integers."
    ),
    f!(
        "floor",
        [Any],
        0,
        None,
        Number,
        Sprig,
        "floor N",
        "The largest integer <= N."
    ),
    f!(
        "max",
        [Any],
        0,
        Some(Any),
        Int,
        Sprig,
        "max N...",
        "The largest of the numbers."
    ),
    f!(
        "min",
        [Any],
        0,
        Some(Any),
        Int,
        Sprig,
        "min N...",
        "The smallest of the numbers."
    ),
    f!(
        "mod",
        [Any, Any],
        0,
        None,
        Int,
        Sprig,
        "mod A B",
        "A modulo B."
    ),
    f!(
        "mul",
        [Any],
        0,
        Some(Any),
        Int,
        Sprig,
        "mul N...",
        "The product of the numbers."
    ),
    f!(
        "round",
        [Any, Int, Number],
        1,
        None,
        Number,
        Sprig,
        "round N DIGITS [HALF]",
        "N rounded to DIGITS decimals."
    ),
    f!("sub", [Any, Any], 0, None, Int, Sprig, "sub A B", "A - B."),
    // Sprig: defaults, JSON and flow.
    f!(
        "coalesce",
        [Any],
        0,
        Some(Any),
        Any,
        Sprig,
        "coalesce ARGS...",
        "The first non-empty argument."
    ),
    f!(
        "default",
        [Any, Any],
        0,
        None,
        Any,
        Sprig,
        "default DEFAULT VALUE",
        "VALUE, or DEFAULT when VALUE is empty."
    ),
    f!(
        "empty",
        [Any],
        0,
        None,
        Bool,
        Sprig,
        "empty VALUE",
        "Whether the value is empty (false, 0, nil, \"\", empty list or map)."
    ),
    f!(
        "fail",
        [String],
        0,
        None,
        Any,
        Sprig,
        "fail MESSAGE",
        "Fails the template with MESSAGE."
    ),
    f!(
        "fromJson",
        [String],
        0,
        None,
        Any,
        Sprig,
        "fromJson STRING",
        "The JSON string decoded."
    ),
    f!(
        "ternary",
        [Any, Any, Bool],
        0,
        None,
        Any,
        Sprig,
        "ternary IF_TRUE IF_FALSE CONDITION",
        "IF_TRUE when CONDITION holds, else IF_FALSE."
    ),
    f!(
        "toJson",
        [Any],
        0,
        None,
        String,
        Sprig,
        "toJson VALUE",
        "The value encoded as JSON."
    ),
    f!(
        "toPrettyJson",
        [Any],
        0,
        None,
        String,
        Sprig,
        "toPrettyJson VALUE",
        "The value encoded as indented JSON."
    ),
    f!(
        "toRawJson",
        [Any],
        0,
        None,
        String,
        Sprig,
        "toRawJson VALUE",
        "The value encoded as JSON without HTML escaping."
    ),
    // Sprig: encodings and hashes.
    f!(
        "adler32sum",
        [String],
        0,
        None,
        String,
        Sprig,
        "adler32sum STRING",
        "The Adler-32 checksum of the string."
    ),
    f!(
        "b32dec",
        [String],
        0,
        None,
        String,
        Sprig,
        "b32dec STRING",
        "The base32 string decoded."
    ),
    f!(
        "b32enc",
        [String],
        0,
        None,
        String,
        Sprig,
        "b32enc STRING",
        "The string encoded in base32."
    ),
    f!(
        "b64dec",
        [String],
        0,
        None,
        String,
        Sprig,
        "b64dec STRING",
        "The base64 string decoded."
    ),
    f!(
        "b64enc",
        [String],
        0,
        None,
        String,
        Sprig,
        "b64enc STRING",
        "The string encoded in base64."
    ),
    f!(
        "sha1sum",
        [String],
        0,
        None,
        String,
        Sprig,
        "sha1sum STRING",
        "The SHA-1 hash of the string, in hex."
    ),
    f!(
        "sha256sum",
        [String],
        0,
        None,
        String,
        Sprig,
        "sha256sum STRING",
        "The SHA-256 hash of the string, in hex."
    ),
    f!(
        "uuidv4",
        [],
        0,
        None,
        String,
        Sprig,
        "uuidv4",
        "A random UUID."
    ),
    // Sprig: lists.
    f!(
        "append",
        [List, Any],
        0,
        None,
        List,
        Sprig,
        "append LIST VALUE",
        "The list with VALUE added at the end."
    ),
    f!(
        "compact",
        [List],
        0,
        None,
        List,
        Sprig,
        "compact LIST",
        "The list without empty elements."
    ),
    f!(
        "concat",
        [List],
        0,
        Some(List),
        List,
        Sprig,
        "concat LISTS...",
        "The lists joined into one."
    ),
    f!(
        "first",
        [Any],
        0,
        None,
        Any,
        Sprig,
        "first LIST",
        "The first element of the list."
    ),
    f!(
        "has",
        [Any, List],
        0,
        None,
        Bool,
        Sprig,
        "has VALUE LIST",
        "Whether the list contains VALUE."
    ),
    f!(
        "initial",
        [List],
        0,
        None,
        List,
        Sprig,
        "initial LIST",
        "Every element but the last."
    ),
    f!(
        "last",
        [Any],
        0,
        None,
        Any,
        Sprig,
        "last LIST",
        "The last element of the list."
    ),
    f!(
        "list",
        [],
        0,
        Some(Any),
        List,
        Sprig,
        "list ARGS...",
        "A list of the arguments."
    ),
    f!(
        "prepend",
        [List, Any],
        0,
        None,
        List,
        Sprig,
        "prepend LIST VALUE",
        "The list with VALUE added at the start."
    ),
    f!(
        "rest",
        [Any],
        0,
        None,
        List,
        Sprig,
        "rest LIST",
        "Every element but the first."
    ),
    f!(
        "reverse",
        [List],
        0,
        None,
        List,
        Sprig,
        "reverse LIST",
        "The list in reverse order."
    ),
    f!(
        "sortAlpha",
        [List],
        0,
        None,
        List,
        Sprig,
        "sortAlpha LIST",
        "The list sorted alphabetically."
    ),
    f!(
        "uniq",
        [List],
        0,
        None,
        List,
        Sprig,
        "uniq LIST",
        "The list without duplicates."
    ),
    f!(
        "without",
        [List],
        0,
        Some(Any),
        List,
        Sprig,
        "without LIST VALUES...",
        "The list without the given values."
    ),
    // Sprig: dictionaries.
    f!(
        "deepCopy",
        [Any],
        0,
        None,
        Any,
        Sprig,
        "deepCopy VALUE",
        "A deep copy of the value."
    ),
    f!(
        "dict",
        [],
        0,
        Some(Any),
        Map,
        Sprig,
        "dict KEY VALUE...",
        "A map of the key/value pairs."
    ),
    f!(
        "hasKey",
        [Map, String],
        0,
        None,
        Bool,
        Sprig,
        "hasKey MAP KEY",
        "Whether the map has KEY."
    ),
    f!(
        "keys",
        [Map],
        0,
        Some(Map),
        List,
        Sprig,
        "keys MAPS...",
        "The keys of the maps."
    ),
    f!(
        "merge",
        [Map],
        0,
        Some(Map),
        Map,
        Sprig,
        "merge DEST SOURCES...",
        "The maps merged into DEST."
    ),
    f!(
        "omit",
        [Map],
        0,
        Some(String),
        Map,
        Sprig,
        "omit MAP KEYS...",
        "The map without the given keys."
    ),
    f!(
        "pick",
        [Map],
        0,
        Some(String),
        Map,
        Sprig,
        "pick MAP KEYS...",
        "The map with only the given keys."
    ),
    f!(
        "pluck",
        [String],
        0,
        Some(Map),
        List,
        Sprig,
        "pluck KEY MAPS...",
        "The value of KEY in each map."
    ),
    f!(
        "set",
        [Map, String, Any],
        0,
        None,
        Map,
        Sprig,
        "set MAP KEY VALUE",
        "The map with KEY set to VALUE."
    ),
    f!(
        "unset",
        [Map, String],
        0,
        None,
        Map,
        Sprig,
        "unset MAP KEY",
        "The map without KEY."
    ),
    f!(
        "values",
        [Map],
        0,
        None,
        List,
        Sprig,
        "values MAP",
        "The values of the map."
    ),
    // Sprig: dates.
    f!(
        "ago",
        [Any],
        0,
        None,
        String,
        Sprig,
        "ago TIME",
        "The time elapsed since TIME."
    ),
    f!(
        "date",
        [String, Any],
        0,
        None,
        String,
        Sprig,
        "date FORMAT TIME",
        "TIME formatted with Go's layout FORMAT."
    ),
    f!(
        "dateInZone",
        [String, Any, String],
        0,
        None,
        String,
        Sprig,
        "dateInZone FORMAT TIME ZONE",
        "TIME formatted in a time zone."
    ),
    f!(
        "dateModify",
        [String, Any],
        0,
        None,
        Any,
        Sprig,
        "dateModify DURATION TIME",
        "TIME moved by DURATION (\"-1.5h\")."
    ),
    f!(
        "duration",
        [Any],
        0,
        None,
        String,
        Sprig,
        "duration SECONDS",
        "The seconds as a duration (\"1m35s\")."
    ),
    f!(
        "durationRound",
        [Any],
        0,
        None,
        String,
        Sprig,
        "durationRound DURATION",
        "The duration rounded to its largest unit."
    ),
    f!(
        "htmlDate",
        [Any],
        0,
        None,
        String,
        Sprig,
        "htmlDate TIME",
        "TIME as YYYY-MM-DD."
    ),
    f!("now", [], 0, None, Any, Sprig, "now", "The current time."),
    f!(
        "toDate",
        [String, String],
        0,
        None,
        Any,
        Sprig,
        "toDate FORMAT STRING",
        "The string parsed as a time."
    ),
    f!(
        "unixEpoch",
        [Any],
        0,
        None,
        String,
        Sprig,
        "unixEpoch TIME",
        "TIME as seconds since the Unix epoch."
    ),
    // Sprig: reflection and misc.
    f!(
        "deepEqual",
        [Any, Any],
        0,
        None,
        Bool,
        Sprig,
        "deepEqual A B",
        "Whether A and B are deeply equal."
    ),
    f!(
        "env",
        [String],
        0,
        None,
        String,
        Sprig,
        "env NAME",
        "The value of an environment variable."
    ),
    f!(
        "expandenv",
        [String],
        0,
        None,
        String,
        Sprig,
        "expandenv STRING",
        "STRING with $VARIABLES expanded."
    ),
    f!(
        "kindIs",
        [String, Any],
        0,
        None,
        Bool,
        Sprig,
        "kindIs KIND VALUE",
        "Whether the value is of a Go kind (\"string\", \"map\"...)."
    ),
    f!(
        "kindOf",
        [Any],
        0,
        None,
        String,
        Sprig,
        "kindOf VALUE",
        "The Go kind of the value."
    ),
    f!(
        "semver",
        [String],
        0,
        None,
        Any,
        Sprig,
        "semver VERSION",
        "The version parsed as a semantic version."
    ),
    f!(
        "semverCompare",
        [String, String],
        0,
        None,
        Bool,
        Sprig,
        "semverCompare CONSTRAINT VERSION",
        "Whether VERSION satisfies CONSTRAINT."
    ),
    f!(
        "typeIs",
        [String, Any],
        0,
        None,
        Bool,
        Sprig,
        "typeIs TYPE VALUE",
        "Whether the value is of a Go type."
    ),
    f!(
        "typeOf",
        [Any],
        0,
        None,
        String,
        Sprig,
        "typeOf VALUE",
        "The Go type of the value."
    ),
    f!(
        "urlJoin",
        [Map],
        0,
        None,
        String,
        Sprig,
        "urlJoin MAP",
        "A URL built from its parts."
    ),
    f!(
        "urlParse",
        [String],
        0,
        None,
        Map,
        Sprig,
        "urlParse URL",
        "The parts of a URL as a map."
    ),
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_unique() {
        let mut names: Vec<&str> = names().collect();
        names.sort_unstable();
        let before = names.len();
        names.dedup();
        assert_eq!(before, names.len());
    }

    #[test]
    fn every_function_of_the_spec_is_known() {
        for name in [
            "secret",
            "toJson",
            "eq",
            "ieq",
            "len",
            "toPrettyJson",
            "gt",
            "and",
            "ne",
            "b64enc",
            "get",
            "ine",
            "slice",
            "rest",
            "not",
            "empty",
            "or",
            "index",
            "lt",
            "le",
            "ge",
            "print",
            "printf",
            "println",
            "html",
            "js",
            "urlquery",
            "call",
            "b64dec",
            "default",
            "first",
            "last",
            "upper",
            "lower",
            "trim",
            "split",
            "join",
            "replace",
            "contains",
            "hasPrefix",
            "hasSuffix",
            "regexMatch",
        ] {
            assert!(lookup(name).is_some(), "{name} is missing");
        }
    }

    #[test]
    fn arity() {
        let eq = lookup("eq").unwrap();
        assert!(!eq.accepts(1) && eq.accepts(2) && eq.accepts(5));
        assert_eq!(eq.arity_text(), "at least 2 arguments");
        let get = lookup("get").unwrap();
        assert!(get.accepts(1) && get.accepts(2) && !get.accepts(3));
        assert_eq!(get.arity_text(), "1 to 2 arguments");
        assert_eq!(lookup("len").unwrap().arity_text(), "1 argument");
        assert_eq!(lookup("now").unwrap().arity_text(), "0 arguments");
    }

    #[test]
    fn types_fit_loosely() {
        assert!(Ty::Int.fits(Ty::String));
        assert!(Ty::Int.fits(Ty::Number));
        assert!(!Ty::String.fits(Ty::Int));
        assert!(!Ty::List.fits(Ty::String));
        assert!(Ty::Any.fits(Ty::Map));
    }
}
