//! sprig's `b64enc`, `b64dec`, `b32enc` and `b32dec` (standard alphabets, with padding).
//! A decoding error is not an error in sprig: the decoder's message becomes the result.

use super::convert::{from_bytes, str_arg};
use crate::Value;
use crate::functions::Context;

const B64: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
const B32: &[u8; 32] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";

fn b64_value(b: u8) -> Option<u8> {
    B64.iter().position(|&c| c == b).map(|p| p as u8)
}

fn b32_value(b: u8) -> Option<u8> {
    B32.iter().position(|&c| c == b).map(|p| p as u8)
}

/// Base64 with padding.
pub(crate) fn base64_encode(data: &[u8]) -> String {
    let mut out = String::with_capacity(data.len().div_ceil(3) * 4);
    for chunk in data.chunks(3) {
        let n = chunk.len();
        let word = (u32::from(chunk[0]) << 16)
            | (u32::from(*chunk.get(1).unwrap_or(&0)) << 8)
            | u32::from(*chunk.get(2).unwrap_or(&0));
        for i in 0..4 {
            if i <= n {
                out.push(char::from(B64[((word >> (18 - 6 * i)) & 63) as usize]));
            } else {
                out.push('=');
            }
        }
    }
    out
}

fn is_newline(b: u8) -> bool {
    b == b'\n' || b == b'\r'
}

/// Go's `base64.StdEncoding.DecodeString`; the error is the offset Go reports.
pub(crate) fn base64_decode(src: &[u8]) -> Result<Vec<u8>, usize> {
    let mut out = Vec::with_capacity(src.len() / 4 * 3);
    let mut si = 0;
    loop {
        let mut quantum = [0u8; 4];
        let mut len = 4;
        let mut j = 0;
        let mut finished = false;
        while j < 4 {
            if si == src.len() {
                if j == 0 {
                    return Ok(out);
                }
                return Err(si - j);
            }
            let b = src[si];
            si += 1;
            if let Some(v) = b64_value(b) {
                quantum[j] = v;
                j += 1;
                continue;
            }
            if is_newline(b) {
                continue;
            }
            if b != b'=' || j < 2 {
                return Err(si - 1);
            }
            if j == 2 {
                while si < src.len() && is_newline(src[si]) {
                    si += 1;
                }
                if si == src.len() {
                    return Err(src.len());
                }
                if src[si] != b'=' {
                    return Err(si - 1);
                }
                si += 1;
            }
            while si < src.len() && is_newline(src[si]) {
                si += 1;
            }
            if si < src.len() {
                return Err(si);
            }
            len = j;
            finished = true;
            break;
        }
        let word = quantum
            .iter()
            .fold(0u32, |acc, &v| (acc << 6) | u32::from(v));
        let bytes = [(word >> 16) as u8, (word >> 8) as u8, word as u8];
        out.extend_from_slice(&bytes[..len - 1]);
        if finished {
            return Ok(out);
        }
    }
}

/// Base32 with padding.
pub(crate) fn base32_encode(data: &[u8]) -> String {
    let mut out = String::with_capacity(data.len().div_ceil(5) * 8);
    for chunk in data.chunks(5) {
        let mut buf = [0u8; 5];
        buf[..chunk.len()].copy_from_slice(chunk);
        let word = buf.iter().fold(0u64, |acc, &b| (acc << 8) | u64::from(b));
        let chars = match chunk.len() {
            1 => 2,
            2 => 4,
            3 => 5,
            4 => 7,
            _ => 8,
        };
        for i in 0..8 {
            if i < chars {
                out.push(char::from(B32[((word >> (35 - 5 * i)) & 31) as usize]));
            } else {
                out.push('=');
            }
        }
    }
    out
}

/// Go's `base32.StdEncoding.DecodeString` (newlines removed first); the error is the offset
/// Go reports.
pub(crate) fn base32_decode(text: &[u8]) -> Result<Vec<u8>, usize> {
    let src: Vec<u8> = text.iter().copied().filter(|&b| !is_newline(b)).collect();
    let olen = src.len();
    let mut rest: &[u8] = &src;
    let mut out = Vec::new();
    let mut end = false;
    while !rest.is_empty() && !end {
        let mut quantum = [0u8; 8];
        let mut dlen = 8;
        let mut j = 0;
        while j < 8 {
            if rest.is_empty() {
                return Err(olen - j);
            }
            let b = rest[0];
            rest = &rest[1..];
            if b == b'=' && j >= 2 && rest.len() < 8 {
                if rest.len() + j < 7 {
                    return Err(olen);
                }
                for k in 0..7 - j {
                    if rest.len() > k && rest[k] != b'=' {
                        return Err(olen - rest.len() + k - 1);
                    }
                }
                dlen = j;
                end = true;
                if matches!(dlen, 1 | 3 | 6) {
                    return Err(olen - rest.len() - 1);
                }
                break;
            }
            match b32_value(b) {
                Some(v) => quantum[j] = v,
                None => return Err(olen - rest.len() - 1),
            }
            j += 1;
        }
        let word = quantum
            .iter()
            .fold(0u64, |acc, &v| (acc << 5) | u64::from(v));
        let bytes = [
            (word >> 32) as u8,
            (word >> 24) as u8,
            (word >> 16) as u8,
            (word >> 8) as u8,
            word as u8,
        ];
        let n = match dlen {
            8 => 5,
            7 => 4,
            5 => 3,
            4 => 2,
            2 => 1,
            _ => 0,
        };
        out.extend_from_slice(&bytes[..n]);
    }
    Ok(out)
}

pub(crate) fn b64enc(_: &Context<'_>, args: &[Value]) -> Result<Value, String> {
    Ok(Value::string(base64_encode(str_arg(args, 0).as_bytes())))
}

pub(crate) fn b64dec(_: &Context<'_>, args: &[Value]) -> Result<Value, String> {
    Ok(Value::string(
        match base64_decode(str_arg(args, 0).as_bytes()) {
            Ok(bytes) => from_bytes(&bytes),
            Err(at) => format!("illegal base64 data at input byte {at}"),
        },
    ))
}

pub(crate) fn b32enc(_: &Context<'_>, args: &[Value]) -> Result<Value, String> {
    Ok(Value::string(base32_encode(str_arg(args, 0).as_bytes())))
}

pub(crate) fn b32dec(_: &Context<'_>, args: &[Value]) -> Result<Value, String> {
    Ok(Value::string(
        match base32_decode(str_arg(args, 0).as_bytes()) {
            Ok(bytes) => from_bytes(&bytes),
            Err(at) => format!("illegal base32 data at input byte {at}"),
        },
    ))
}
