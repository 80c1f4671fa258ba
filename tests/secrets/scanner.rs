//! Looks for a secret in a log in the encodings a log line could carry it in.

const STANDARD: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
const URL_SAFE: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

/// Base64 of whole 3-byte groups only (no padding needed).
fn base64_groups(bytes: &[u8], alphabet: &[u8; 64]) -> Vec<u8> {
    bytes
        .chunks_exact(3)
        .flat_map(|g| {
            let n = u32::from(g[0]) << 16 | u32::from(g[1]) << 8 | u32::from(g[2]);
            [18, 12, 6, 0].map(|shift| alphabet[(n >> shift & 63) as usize])
        })
        .collect()
}

fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    haystack.windows(needle.len()).any(|w| w == needle)
}

/// The encodings of `secret` to look for, each with its name. A secret is also
/// found when only half of it (16 bytes, 128 bits) is present, so a truncated print
/// counts; base64 is searched at each of the three alignments a secret can have
/// inside a longer encoded value, which also covers padded and unpadded forms.
pub fn patterns(secret: &[u8; 32]) -> Vec<(String, Vec<u8>)> {
    let mut out = Vec::new();
    for (part, bytes) in [
        ("first half", &secret[..16]),
        ("second half", &secret[16..]),
    ] {
        out.push((format!("raw bytes, {part}"), bytes.to_vec()));
        out.push((format!("hex, {part}"), hex::encode(bytes).into_bytes()));
        out.push((
            format!("HEX, {part}"),
            hex::encode_upper(bytes).into_bytes(),
        ));
        let decimal: Vec<String> = bytes.iter().map(u8::to_string).collect();
        out.push((
            format!("decimal array, {part}"),
            decimal.join(",").into_bytes(),
        ));
        let lower_hex: Vec<String> = bytes.iter().map(|b| format!("{b:x}")).collect();
        out.push((
            format!("{{:x?}} array, {part}"),
            lower_hex.join(",").into_bytes(),
        ));
        let prefixed: Vec<String> = bytes.iter().map(|b| format!("{b:#04x}")).collect();
        out.push((format!("0x array, {part}"), prefixed.join(",").into_bytes()));
    }
    for offset in 0..3 {
        // 18 bytes from `offset`: 24 base64 characters that do not depend on what
        // precedes the secret in the encoded stream.
        let window = &secret[offset..offset + 18];
        out.push((
            format!("base64 at +{offset}"),
            base64_groups(window, STANDARD),
        ));
        out.push((
            format!("base64url at +{offset}"),
            base64_groups(window, URL_SAFE),
        ));
    }
    out
}

/// The name of the first encoding of `secret` found in `log`. Whitespace is
/// ignored for the array forms (`[12, 34]` and `[12,34]` both match).
pub fn find(log: &[u8], secret: &[u8; 32]) -> Option<String> {
    let squeezed: Vec<u8> = log
        .iter()
        .copied()
        .filter(|b| !b.is_ascii_whitespace())
        .collect();
    patterns(secret).into_iter().find_map(|(name, pattern)| {
        let haystack = if name.contains("array") {
            &squeezed
        } else {
            log
        };
        contains(haystack, &pattern).then_some(name)
    })
}

#[test]
fn a_planted_secret_is_found_in_every_encoding() {
    let secret: [u8; 32] = std::array::from_fn(|i| (i as u8).wrapping_mul(37) ^ 0xa5);
    let other: [u8; 32] = std::array::from_fn(|i| i as u8);
    // A complete encoder (with the last partial group, padded or not), independent
    // of the scanner's group-only one.
    let base64 = |bytes: &[u8], alphabet: &[u8; 64], pad: bool| {
        let mut out = String::new();
        for group in bytes.chunks(3) {
            let mut n = 0u32;
            for (i, b) in group.iter().enumerate() {
                n |= u32::from(*b) << (16 - 8 * i);
            }
            for i in 0..4 {
                if i <= group.len() {
                    out.push(alphabet[(n >> (18 - 6 * i) & 63) as usize] as char);
                } else if pad {
                    out.push('=');
                }
            }
        }
        out
    };
    let plants: Vec<Vec<u8>> = vec![
        secret.to_vec(),
        format!("key={}", hex::encode(secret)).into_bytes(),
        format!("KEY {}", hex::encode_upper(secret)).into_bytes(),
        format!("Scalar {{ bytes: {secret:?} }}").into_bytes(),
        format!("{secret:#?}").into_bytes(),
        format!("{secret:x?}").into_bytes(),
        format!("{secret:#04x?}").into_bytes(),
        format!("short {}", hex::encode(&secret[..16])).into_bytes(),
    ]
    .into_iter()
    .chain((0..3).flat_map(|shift| {
        let mut framed = vec![7u8; shift];
        framed.extend_from_slice(&secret);
        [
            (STANDARD, true),
            (STANDARD, false),
            (URL_SAFE, true),
            (URL_SAFE, false),
        ]
        .map(|(alphabet, pad)| base64(&framed, alphabet, pad).into_bytes())
    }))
    .collect();
    for plant in plants {
        let mut log = b"2026-01-01T00:00:00Z TRACE irs: something happened ".to_vec();
        log.extend_from_slice(&plant);
        log.extend_from_slice(b" and more\n");
        assert!(
            find(&log, &secret).is_some(),
            "missed: {}",
            String::from_utf8_lossy(&plant)
        );
        assert_eq!(
            find(&log, &other),
            None,
            "{}",
            String::from_utf8_lossy(&plant)
        );
    }
    assert_eq!(find(b"nothing to see", &secret), None);
}
