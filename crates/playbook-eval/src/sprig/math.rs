//! sprig's arithmetic: integer (`add`, `sub`, `mul`, `div`, `mod`, `max`, `min`, `add1`,
//! all on `int64` after `cast.ToInt64`), float (`floor`, `ceil`, `round`, `maxf`, `minf`),
//! and decimal (`addf`, `subf`, `mulf`, `divf`, `add1f`: the arguments' shortest decimal
//! forms computed exactly, as shopspring/decimal does, then read back as float64).

use super::convert::{arg, int_arg, to_float64, to_int64};
use crate::Value;
use crate::functions::Context;

pub(crate) fn add1(_: &Context<'_>, args: &[Value]) -> Result<Value, String> {
    Ok(Value::Int64(to_int64(arg(args, 0)).wrapping_add(1)))
}

pub(crate) fn add(_: &Context<'_>, args: &[Value]) -> Result<Value, String> {
    Ok(Value::Int64(
        args.iter().fold(0i64, |a, b| a.wrapping_add(to_int64(b))),
    ))
}

pub(crate) fn sub(_: &Context<'_>, args: &[Value]) -> Result<Value, String> {
    Ok(Value::Int64(
        to_int64(arg(args, 0)).wrapping_sub(to_int64(arg(args, 1))),
    ))
}

const DIVIDE_BY_ZERO: &str = "runtime error: integer divide by zero";

pub(crate) fn div(_: &Context<'_>, args: &[Value]) -> Result<Value, String> {
    let b = to_int64(arg(args, 1));
    if b == 0 {
        return Err(DIVIDE_BY_ZERO.to_owned());
    }
    Ok(Value::Int64(to_int64(arg(args, 0)).wrapping_div(b)))
}

pub(crate) fn modulo(_: &Context<'_>, args: &[Value]) -> Result<Value, String> {
    let b = to_int64(arg(args, 1));
    if b == 0 {
        return Err(DIVIDE_BY_ZERO.to_owned());
    }
    Ok(Value::Int64(to_int64(arg(args, 0)).wrapping_rem(b)))
}

pub(crate) fn mul(_: &Context<'_>, args: &[Value]) -> Result<Value, String> {
    let first = to_int64(arg(args, 0));
    Ok(Value::Int64(
        args.iter()
            .skip(1)
            .fold(first, |a, b| a.wrapping_mul(to_int64(b))),
    ))
}

pub(crate) fn max(_: &Context<'_>, args: &[Value]) -> Result<Value, String> {
    let first = to_int64(arg(args, 0));
    Ok(Value::Int64(
        args.iter().skip(1).map(to_int64).fold(first, i64::max),
    ))
}

pub(crate) fn min(_: &Context<'_>, args: &[Value]) -> Result<Value, String> {
    let first = to_int64(arg(args, 0));
    Ok(Value::Int64(
        args.iter().skip(1).map(to_int64).fold(first, i64::min),
    ))
}

/// Go's `math.Max`: NaN wins, and +0 beats -0.
fn go_max(a: f64, b: f64) -> f64 {
    if a.is_nan() || b.is_nan() {
        f64::NAN
    } else if a == 0.0 && b == 0.0 {
        if a.is_sign_negative() { b } else { a }
    } else {
        a.max(b)
    }
}

/// Go's `math.Min`: NaN wins, and -0 beats +0.
fn go_min(a: f64, b: f64) -> f64 {
    if a.is_nan() || b.is_nan() {
        f64::NAN
    } else if a == 0.0 && b == 0.0 {
        if a.is_sign_negative() { a } else { b }
    } else {
        a.min(b)
    }
}

pub(crate) fn maxf(_: &Context<'_>, args: &[Value]) -> Result<Value, String> {
    let first = to_float64(arg(args, 0));
    Ok(Value::Float(
        args.iter().skip(1).map(to_float64).fold(first, go_max),
    ))
}

pub(crate) fn minf(_: &Context<'_>, args: &[Value]) -> Result<Value, String> {
    let first = to_float64(arg(args, 0));
    Ok(Value::Float(
        args.iter().skip(1).map(to_float64).fold(first, go_min),
    ))
}

pub(crate) fn floor(_: &Context<'_>, args: &[Value]) -> Result<Value, String> {
    Ok(Value::Float(to_float64(arg(args, 0)).floor()))
}

pub(crate) fn ceil(_: &Context<'_>, args: &[Value]) -> Result<Value, String> {
    Ok(Value::Float(to_float64(arg(args, 0)).ceil()))
}

/// `round VALUE PLACES [HALF]`: rounds up when the fraction at PLACES is at least HALF
/// (0.5 by default), else down.
pub(crate) fn round(_: &Context<'_>, args: &[Value]) -> Result<Value, String> {
    let round_on = match args.get(2) {
        Some(Value::Float(f)) => *f,
        Some(other) => to_float64(other),
        None => 0.5,
    };
    let value = to_float64(arg(args, 0));
    let pow = 10f64.powf(int_arg(args, 1) as f64);
    let digit = pow * value;
    let fraction = if digit.is_infinite() {
        0.0
    } else {
        digit.fract()
    };
    let rounded = if fraction >= round_on {
        digit.ceil()
    } else {
        digit.floor()
    };
    Ok(Value::Float(rounded / pow))
}

/// A decimal number: `mantissa × 10^exponent`.
#[derive(Clone, Copy)]
struct Decimal {
    mantissa: i128,
    exponent: i32,
}

/// The shortest decimal form of a float, as `decimal.NewFromFloat` takes it.
fn decimal_from(f: f64) -> Option<Decimal> {
    if !f.is_finite() {
        return None;
    }
    if f == 0.0 {
        return Some(Decimal {
            mantissa: 0,
            exponent: 0,
        });
    }
    let text = format!("{f:e}");
    let (mantissa, exponent) = text.split_once('e')?;
    let exponent: i32 = exponent.parse().ok()?;
    let fraction_digits = mantissa.split_once('.').map_or(0, |(_, f)| f.len()) as i32;
    let digits: String = mantissa.chars().filter(|c| *c != '.').collect();
    Some(Decimal {
        mantissa: digits.parse().ok()?,
        exponent: exponent - fraction_digits,
    })
}

fn pow10(n: u32) -> Option<i128> {
    10i128.checked_pow(n)
}

/// The float64 nearest to a decimal (Go's `Decimal.Float64`).
fn decimal_to_f64(d: Decimal) -> f64 {
    format!("{}e{}", d.mantissa, d.exponent)
        .parse()
        .unwrap_or(f64::NAN)
}

/// Both numbers with the same exponent, if that fits.
fn align(a: Decimal, b: Decimal) -> Option<(i128, i128, i32)> {
    let exponent = a.exponent.min(b.exponent);
    let scale = |d: Decimal| {
        d.mantissa
            .checked_mul(pow10((d.exponent - exponent) as u32)?)
    };
    Some((scale(a)?, scale(b)?, exponent))
}

enum Op {
    Add,
    Sub,
    Mul,
    Div,
}

/// `DivisionPrecision` of shopspring/decimal: quotients keep 16 decimal places.
const DIVISION_PLACES: i32 = 16;

/// The exact result of `a OP b`, `None` when it does not fit (then float arithmetic is
/// used, which may differ in the last bit).
fn apply(op: &Op, da: Decimal, db: Decimal) -> Result<Option<Decimal>, String> {
    Ok(match op {
        Op::Add | Op::Sub => align(da, db).and_then(|(x, y, exponent)| {
            let sum = match op {
                Op::Add => x.checked_add(y)?,
                _ => x.checked_sub(y)?,
            };
            Some(Decimal {
                mantissa: sum,
                exponent,
            })
        }),
        Op::Mul => da
            .mantissa
            .checked_mul(db.mantissa)
            .map(|mantissa| Decimal {
                mantissa,
                exponent: da.exponent + db.exponent,
            }),
        Op::Div => {
            if db.mantissa == 0 {
                return Err("decimal division by 0".to_owned());
            }
            divide(da, db)
        }
    })
}

fn float_op(op: &Op, a: f64, b: f64) -> f64 {
    match op {
        Op::Add => a + b,
        Op::Sub => a - b,
        Op::Mul => a * b,
        Op::Div => a / b,
    }
}

/// decimal.NewFromFloat panics on NaN and infinities.
fn not_decimal(f: f64) -> String {
    format!(
        "Cannot create a Decimal from {}",
        super::convert::format_float_v(f)
    )
}

/// `a / b` rounded half away from zero to 16 decimal places.
fn divide(a: Decimal, b: Decimal) -> Option<Decimal> {
    // a/b × 10^16 = (ma × 10^(ea - eb + 16)) / mb
    let shift = a.exponent - b.exponent + DIVISION_PLACES;
    let (numerator, denominator) = if shift >= 0 {
        (a.mantissa.checked_mul(pow10(shift as u32)?)?, b.mantissa)
    } else {
        match b.mantissa.checked_mul(pow10((-shift) as u32)?) {
            Some(denominator) => (a.mantissa, denominator),
            None => {
                return Some(Decimal {
                    mantissa: 0,
                    exponent: 0,
                });
            }
        }
    };
    let quotient = numerator / denominator;
    let remainder = numerator % denominator;
    let rounded = if remainder.unsigned_abs() * 2 >= denominator.unsigned_abs() {
        if (numerator < 0) != (denominator < 0) {
            quotient - 1
        } else {
            quotient + 1
        }
    } else {
        quotient
    };
    Some(Decimal {
        mantissa: rounded,
        exponent: -DIVISION_PLACES,
    })
}

/// sprig's `execDecimalOp`: the operation applied left to right in decimal, the result
/// read back as a float64.
fn fold(op: Op, first: f64, rest: &[Value]) -> Result<Value, String> {
    let mut exact = Some(decimal_from(first).ok_or_else(|| not_decimal(first))?);
    let mut approx = first;
    for value in rest {
        let f = to_float64(value);
        let d = decimal_from(f).ok_or_else(|| not_decimal(f))?;
        if let Some(acc) = exact {
            approx = decimal_to_f64(acc);
            exact = apply(&op, acc, d)?;
        } else if matches!(op, Op::Div) && d.mantissa == 0 {
            return Err("decimal division by 0".to_owned());
        }
        if exact.is_none() {
            approx = float_op(&op, approx, f);
        }
    }
    Ok(Value::Float(exact.map_or(approx, decimal_to_f64)))
}

pub(crate) fn addf(_: &Context<'_>, args: &[Value]) -> Result<Value, String> {
    fold(Op::Add, 0.0, args)
}

pub(crate) fn add1f(_: &Context<'_>, args: &[Value]) -> Result<Value, String> {
    fold(Op::Add, to_float64(arg(args, 0)), &[Value::Int(1)])
}

pub(crate) fn subf(_: &Context<'_>, args: &[Value]) -> Result<Value, String> {
    fold(
        Op::Sub,
        to_float64(arg(args, 0)),
        args.get(1..).unwrap_or_default(),
    )
}

pub(crate) fn mulf(_: &Context<'_>, args: &[Value]) -> Result<Value, String> {
    fold(
        Op::Mul,
        to_float64(arg(args, 0)),
        args.get(1..).unwrap_or_default(),
    )
}

pub(crate) fn divf(_: &Context<'_>, args: &[Value]) -> Result<Value, String> {
    fold(
        Op::Div,
        to_float64(arg(args, 0)),
        args.get(1..).unwrap_or_default(),
    )
}
