//! The sprig library's functions (github.com/Masterminds/sprig v3), as the platform links it,
//! each declared with the Go types of its parameters.
//!
//! Not implemented (out of scope: non-deterministic, cryptographic, or about time, the
//! network or the environment): dates (`ago`, `date`, `dateInZone`, `dateModify`,
//! `duration`, `durationRound`, `htmlDate`, `htmlDateInZone`, `now`, `toDate`, `unixEpoch`,
//! ...), random values (`randAlpha`, `randAlphaNum`, `randAscii`, `randNumeric`,
//! `randBytes`, `randInt`, `shuffle`, `uuidv4`), cryptography (`sha1sum`, `sha256sum`,
//! `bcrypt`, `htpasswd`, `genPrivateKey`, `derivePassword`, `genCA`..., `encryptAES`,
//! `decryptAES`), `semver`, `semverCompare`, `env`, `expandenv`, `getHostByName`, `urlParse`,
//! `urlJoin`, the `os*` path functions, and sprig's `get`, which the platform's `get`
//! replaces.

mod conversion;
mod convert;
mod defaults;
mod dicts;
mod encoding;
mod json;
mod lists;
mod math;
mod paths;
mod regex;
mod strings;
mod words;

pub(crate) use convert::{strval, to_lower as go_to_lower, to_upper as go_to_upper};

use crate::functions::{Function, Param};
use Param::{Any, Bool, Float64, Int, Map, String as Str};

macro_rules! f {
    ($name:literal, [$($p:expr),*], $body:path) => {
        Function { name: $name, params: &[$($p),*], variadic: None, body: $body }
    };
    ($name:literal, [$($p:expr),*], ...$var:expr, $body:path) => {
        Function { name: $name, params: &[$($p),*], variadic: Some($var), body: $body }
    };
}

/// Every sprig function implemented here, with its Go parameter types.
#[rustfmt::skip]
pub(crate) static FUNCTIONS: &[Function] = &[
    // Strings.
    f!("hello", [], strings::hello),
    f!("abbrev", [Int, Str], strings::abbrev),
    f!("abbrevboth", [Int, Int, Str], strings::abbrevboth),
    f!("trunc", [Int, Str], strings::trunc),
    f!("trim", [Str], strings::trim),
    f!("upper", [Str], strings::upper),
    f!("lower", [Str], strings::lower),
    f!("title", [Str], strings::title),
    f!("untitle", [Str], strings::untitle),
    f!("substr", [Int, Int, Str], strings::substr),
    f!("repeat", [Int, Str], strings::repeat),
    f!("trimall", [Str, Str], strings::trim_all),
    f!("trimAll", [Str, Str], strings::trim_all),
    f!("trimSuffix", [Str, Str], strings::trim_suffix),
    f!("trimPrefix", [Str, Str], strings::trim_prefix),
    f!("nospace", [Str], strings::nospace),
    f!("initials", [Str], strings::initials),
    f!("swapcase", [Str], strings::swapcase),
    f!("snakecase", [Str], words::snakecase),
    f!("camelcase", [Str], words::camelcase),
    f!("kebabcase", [Str], words::kebabcase),
    f!("wrap", [Int, Str], strings::wrap),
    f!("wrapWith", [Int, Str, Str], strings::wrap_with),
    f!("contains", [Str, Str], strings::contains),
    f!("hasPrefix", [Str, Str], strings::has_prefix),
    f!("hasSuffix", [Str, Str], strings::has_suffix),
    f!("quote", [], ...Any, strings::quote),
    f!("squote", [], ...Any, strings::squote),
    f!("cat", [], ...Any, strings::cat),
    f!("indent", [Int, Str], strings::indent),
    f!("nindent", [Int, Str], strings::nindent),
    f!("replace", [Str, Str, Str], strings::replace),
    f!("plural", [Str, Str, Int], strings::plural),
    f!("adler32sum", [Str], words::adler32sum),
    f!("toString", [Any], strings::to_string),
    f!("fail", [Str], strings::fail),
    // Conversions, splitting and joining.
    f!("atoi", [Str], conversion::atoi),
    f!("int64", [Any], conversion::int64),
    f!("int", [Any], conversion::int),
    f!("float64", [Any], conversion::float64),
    f!("toDecimal", [Any], conversion::to_decimal),
    f!("split", [Str, Str], conversion::split),
    f!("splitList", [Str, Str], conversion::split_list),
    f!("splitn", [Str, Int, Str], conversion::splitn),
    f!("toStrings", [Any], conversion::to_strings),
    f!("join", [Str, Any], conversion::join),
    // Integer, float and decimal arithmetic.
    f!("add1", [Any], math::add1),
    f!("add", [], ...Any, math::add),
    f!("sub", [Any, Any], math::sub),
    f!("div", [Any, Any], math::div),
    f!("mod", [Any, Any], math::modulo),
    f!("mul", [Any], ...Any, math::mul),
    f!("add1f", [Any], math::add1f),
    f!("addf", [], ...Any, math::addf),
    f!("subf", [Any], ...Any, math::subf),
    f!("divf", [Any], ...Any, math::divf),
    f!("mulf", [Any], ...Any, math::mulf),
    f!("biggest", [Any], ...Any, math::max),
    f!("max", [Any], ...Any, math::max),
    f!("min", [Any], ...Any, math::min),
    f!("maxf", [Any], ...Any, math::maxf),
    f!("minf", [Any], ...Any, math::minf),
    f!("ceil", [Any], math::ceil),
    f!("floor", [Any], math::floor),
    f!("round", [Any, Int], ...Float64, math::round),
    // Lists.
    f!("until", [Int], lists::until),
    f!("untilStep", [Int, Int, Int], lists::until_step_fn),
    f!("seq", [], ...Int, lists::seq),
    f!("sortAlpha", [Any], lists::sort_alpha),
    f!("tuple", [], ...Any, lists::list_fn),
    f!("list", [], ...Any, lists::list_fn),
    f!("append", [Any, Any], lists::push),
    f!("push", [Any, Any], lists::push),
    f!("mustAppend", [Any, Any], lists::push),
    f!("mustPush", [Any, Any], lists::push),
    f!("prepend", [Any, Any], lists::prepend),
    f!("mustPrepend", [Any, Any], lists::prepend),
    f!("first", [Any], lists::first),
    f!("mustFirst", [Any], lists::first),
    f!("rest", [Any], lists::rest),
    f!("mustRest", [Any], lists::rest),
    f!("last", [Any], lists::last),
    f!("mustLast", [Any], lists::last),
    f!("initial", [Any], lists::initial),
    f!("mustInitial", [Any], lists::initial),
    f!("reverse", [Any], lists::reverse),
    f!("mustReverse", [Any], lists::reverse),
    f!("compact", [Any], lists::compact),
    f!("mustCompact", [Any], lists::compact),
    f!("uniq", [Any], lists::uniq),
    f!("mustUniq", [Any], lists::uniq),
    f!("without", [Any], ...Any, lists::without),
    f!("mustWithout", [Any], ...Any, lists::without),
    f!("has", [Any, Any], lists::has),
    f!("mustHas", [Any, Any], lists::has),
    f!("slice", [Any], ...Any, lists::slice),
    f!("mustSlice", [Any], ...Any, lists::slice),
    f!("concat", [], ...Any, lists::concat),
    f!("chunk", [Int, Any], lists::chunk),
    f!("mustChunk", [Int, Any], lists::chunk),
    // Dictionaries.
    f!("dict", [], ...Any, dicts::dict),
    f!("set", [Map, Str, Any], dicts::set),
    f!("unset", [Map, Str], dicts::unset),
    f!("hasKey", [Map, Str], dicts::has_key),
    f!("pluck", [Str], ...Map, dicts::pluck),
    f!("keys", [], ...Map, dicts::keys),
    f!("pick", [Map], ...Str, dicts::pick),
    f!("omit", [Map], ...Str, dicts::omit),
    f!("merge", [Map], ...Map, dicts::merge),
    f!("mustMerge", [Map], ...Map, dicts::merge),
    f!("mergeOverwrite", [Map], ...Map, dicts::merge_overwrite),
    f!("mustMergeOverwrite", [Map], ...Map, dicts::merge_overwrite),
    f!("values", [Map], dicts::values),
    f!("dig", [], ...Any, dicts::dig),
    f!("deepCopy", [Any], dicts::deep_copy),
    f!("mustDeepCopy", [Any], dicts::deep_copy),
    // Defaults, JSON, reflection.
    f!("default", [Any], ...Any, defaults::default),
    f!("empty", [Any], defaults::empty_fn),
    f!("coalesce", [], ...Any, defaults::coalesce),
    f!("all", [], ...Any, defaults::all),
    f!("any", [], ...Any, defaults::any),
    f!("ternary", [Any, Any, Bool], defaults::ternary),
    f!("fromJson", [Str], json::from_json),
    f!("mustFromJson", [Str], json::must_from_json),
    f!("toJson", [Any], json::to_json),
    f!("mustToJson", [Any], json::must_to_json),
    f!("toPrettyJson", [Any], json::to_pretty_json),
    f!("mustToPrettyJson", [Any], json::must_to_pretty_json),
    f!("toRawJson", [Any], json::to_raw_json),
    f!("mustToRawJson", [Any], json::must_to_raw_json),
    f!("typeOf", [Any], defaults::type_of),
    f!("typeIs", [Str, Any], defaults::type_is),
    f!("typeIsLike", [Str, Any], defaults::type_is_like),
    f!("kindOf", [Any], defaults::kind_of),
    f!("kindIs", [Str, Any], defaults::kind_is),
    f!("deepEqual", [Any, Any], defaults::deep_equal_fn),
    // Paths.
    f!("base", [Str], paths::base),
    f!("dir", [Str], paths::dir),
    f!("clean", [Str], paths::clean),
    f!("ext", [Str], paths::ext),
    f!("isAbs", [Str], paths::is_abs),
    // Encodings.
    f!("b64enc", [Str], encoding::b64enc),
    f!("b64dec", [Str], encoding::b64dec),
    f!("b32enc", [Str], encoding::b32enc),
    f!("b32dec", [Str], encoding::b32dec),
    // Regular expressions.
    f!("regexMatch", [Str, Str], regex::regex_match),
    f!("mustRegexMatch", [Str, Str], regex::must_regex_match),
    f!("regexFindAll", [Str, Str, Int], regex::regex_find_all),
    f!("mustRegexFindAll", [Str, Str, Int], regex::must_regex_find_all),
    f!("regexFind", [Str, Str], regex::regex_find),
    f!("mustRegexFind", [Str, Str], regex::must_regex_find),
    f!("regexReplaceAll", [Str, Str, Str], regex::regex_replace_all),
    f!("mustRegexReplaceAll", [Str, Str, Str], regex::must_regex_replace_all),
    f!("regexReplaceAllLiteral", [Str, Str, Str], regex::regex_replace_all_literal),
    f!("mustRegexReplaceAllLiteral", [Str, Str, Str], regex::must_regex_replace_all_literal),
    f!("regexSplit", [Str, Str, Int], regex::regex_split),
    f!("mustRegexSplit", [Str, Str, Int], regex::must_regex_split),
    f!("regexQuoteMeta", [Str], regex::regex_quote_meta),
];

/// `toJson` of `value`; a value JSON cannot hold gives the empty string, as `toJson` does.
pub(crate) fn json_text(value: &crate::Value) -> String {
    json::encode(value, true, false).unwrap_or_default()
}
