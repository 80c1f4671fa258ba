//! Writes the seed corpora: real encodings made with the project's own encoders, from
//! synthetic records and keys (fixed RNG seeds, so the output is reproducible).
//!
//! `cargo run --bin seeds -- [DIR]` (default `corpus`) writes `DIR/<target>/<name>`.

mod stateful;

use std::fs;
use std::path::PathBuf;

use anyhow::{Context, Result};
use blindlink_core::fingerprint::{EncodedSet, SetParams, fingerprint};
use blindlink_core::match_key::RuleSet;
use blindlink_core::oprf::{
    BlindedBatch, Mode, SecretKey, blind_evaluate_and_prove, evaluate_batch,
};
use blindlink_core::record::Record;
use blindlink_protocol::approval::{ApproverSigningKey, Role, SignedManifest};
use blindlink_protocol::bundle::{PrepareParams, RequestBundle, RequestRow};
use blindlink_protocol::manifest::{LegalBasis, RequesterId};
use blindlink_protocol::wire::{
    Abort, AbortReason, CachedSet, ElementsChunk, Evaluated, Hello, Limits, Message,
    PROTOCOL_VERSION, Proof, Refusal, Request, SUITE, SetChunk, SetHeader, Welcome, encode_frame,
};
use blindlink_store::key_file::{self, ApproverPublic, ApproverSecret};
use rand::SeedableRng;
use rand::rngs::StdRng;

const RECORD_HEADER: &str =
    "record_id,given_names,family_names,suffix,street,unit,city,state,zip,dob";

/// Synthetic records (invented names and addresses), covering the normalizer's cases.
const RECORDS: [[&str; 10]; 8] = [
    [
        "A-0001",
        "Maria Guadalupe",
        "Garcia Lopez",
        "",
        "100 N Main St Apt 4B",
        "",
        "Boston",
        "MA",
        "02134-1234",
        "1980-02-29",
    ],
    [
        "A-0002",
        "John",
        "Smith",
        "Jr",
        "12 Park Avenue",
        "",
        "Albany",
        "NY",
        "12207",
        "",
    ],
    [
        "A-0003", "J.", "Doe", "", "7 Elm St", "", "Austin", "TX", "73301", "",
    ],
    [
        "A-0004",
        "Dr. Peggy",
        "Van der Berg",
        "",
        "P.O. Box 17",
        "",
        "Springfield",
        "IL",
        "2134",
        "1975-12-01",
    ],
    [
        "A-0005",
        "José",
        "O'Neil-Muñoz",
        "III",
        "12 1/2 W 42nd Street NW",
        "Suite 300",
        "New York",
        "NY",
        "10036 0001",
        "1990-01-02",
    ],
    [
        "A-0006",
        "Søren Æbelø",
        "Łukasz Þór",
        "Sr",
        "RR 2 Box 152",
        "",
        "Fargo",
        "ND",
        "58102",
        "2001-07-04",
    ],
    [
        "A-0007",
        "Wei Jun",
        "Chen",
        "",
        "123-45 Queens Blvd # 7",
        "Bsmt",
        "Queens",
        "NY",
        "11375",
        "1969-13-01",
    ],
    [
        "A-0008",
        "Mr Robert",
        "McDonald PhD",
        "II",
        "1 Mt Vernon Rd Rear",
        "",
        "Mount Vernon",
        "VA",
        "221210000",
        "0001-01-01",
    ],
];

struct Seeds {
    root: PathBuf,
}

impl Seeds {
    fn write(&self, target: &str, name: &str, bytes: &[u8]) -> Result<()> {
        let dir = self.root.join(target);
        fs::create_dir_all(&dir).with_context(|| format!("cannot create {}", dir.display()))?;
        let path = dir.join(name);
        fs::write(&path, bytes).with_context(|| format!("cannot write {}", path.display()))
    }
}

fn csv_line(fields: &[&str]) -> String {
    let quoted: Vec<String> = fields
        .iter()
        .map(|f| {
            if f.contains([',', '"', '\n']) {
                format!("\"{}\"", f.replace('"', "\"\""))
            } else {
                (*f).to_owned()
            }
        })
        .collect();
    quoted.join(",") + "\n"
}

fn request_rows() -> Vec<RequestRow> {
    RECORDS
        .iter()
        .enumerate()
        .map(|(i, fields)| RequestRow {
            record: Record::from_fields(*fields),
            case_ref: format!("CASE-{:04}", i + 1),
            final_order_ref: format!("FO-{:06}", i + 1),
        })
        .collect()
}

/// The bundle, the holder key, and the approval keys everything else is built from.
struct World {
    bundle: RequestBundle,
    holder: SecretKey,
    approvers: Vec<(Role, ApproverSigningKey)>,
}

fn world() -> Result<World> {
    let mut rng = StdRng::seed_from_u64(5);
    let holder = SecretKey::generate(&mut rng);
    let params = PrepareParams {
        requester_id: RequesterId::new("ice-hsi-newark")?,
        legal_basis: LegalBasis::new("26 U.S.C. 6103(i)(2); ex parte order 24-MJ-0001")?,
        rules: RuleSet::all(),
        key_epoch: [7; 16],
        holder_oprf_public_key: holder.public_key().to_bytes(),
        // The seeds' encoded set is built from the bundle, so the manifest cannot name
        // its hash; a fixed one stands in.
        set_hash: [0x5e; 32],
        issued_at: 1_700_000_000,
        expires_at: 1_700_086_400,
    };
    let bundle = RequestBundle::prepare(request_rows(), params, &mut rng)?;
    let approvers = ["dhs-secretary", "ice-director", "irs-counsel"]
        .into_iter()
        .map(|name| Ok((Role::new(name)?, ApproverSigningKey::generate(&mut rng))))
        .collect::<Result<_>>()?;
    Ok(World {
        bundle,
        holder,
        approvers,
    })
}

fn manifests_and_approvals(seeds: &Seeds, w: &World) -> Result<(Vec<u8>, Vec<Vec<u8>>)> {
    let manifest = w.bundle.manifest().clone();
    let pretty = manifest.to_json_pretty();
    seeds.write("manifest", "pretty.json", pretty.as_bytes())?;
    let compact: serde_json::Value = serde_json::from_str(&pretty)?;
    let compact = serde_json::to_vec(&compact)?;
    seeds.write("manifest", "compact.json", &compact)?;

    let approvals: Vec<_> = w
        .approvers
        .iter()
        .map(|(role, key)| key.approve(role, &manifest))
        .collect();
    let mut wire_approvals = Vec::new();
    for (i, approval) in approvals.iter().enumerate() {
        let json = serde_json::to_vec(approval)?;
        seeds.write("approval", &format!("approval-{i}.json"), &json)?;
        wire_approvals.push(json);
    }
    let signed = SignedManifest {
        manifest,
        approvals,
    };
    seeds.write(
        "approval",
        "signed-manifest.json",
        signed.to_json_pretty().as_bytes(),
    )?;
    let (role, key) = w.approvers.first().context("no approver")?;
    let _ = role;
    let public = key_file::encode::<ApproverPublic>(&key.public_key());
    seeds.write("approval", "public.key", &public)?;
    seeds.write(
        "approval",
        "secret.key",
        &key_file::encode::<ApproverSecret>(key),
    )?;
    Ok((compact, wire_approvals))
}

fn encoded_set(w: &World) -> Result<Vec<u8>> {
    let inputs: Vec<&Vec<u8>> = w.bundle.element_inputs().iter().collect();
    let outputs = evaluate_batch(Mode::Voprf, &w.holder, &inputs)?;
    let bits = 40;
    let fps = outputs.iter().map(|o| fingerprint(o, bits)).collect();
    let params = SetParams {
        bits,
        rule_set: RuleSet::all().bits(),
        key_epoch: [7; 16],
    };
    Ok(EncodedSet::from_fingerprints(fps, params)?.to_bytes())
}

fn messages(
    w: &World,
    manifest: Vec<u8>,
    approvals: Vec<Vec<u8>>,
    set: &[u8],
) -> Result<Vec<Message>> {
    let blinded = w.bundle.blinded_elements().to_vec();
    let batch = BlindedBatch::decode(blinded.clone())?;
    let (evaluated, proofs) =
        blind_evaluate_and_prove(&w.holder, &batch, &mut StdRng::seed_from_u64(6))?;
    let proof = proofs.first().context("no proof")?;
    let epoch = [7; 16];
    let set_hash = EncodedSet::from_bytes(set, u64::MAX)?.content_hash();
    Ok(vec![
        Message::Hello(Hello {
            version: PROTOCOL_VERSION,
            suite: SUITE.to_owned(),
            requester_id: "ice-hsi-newark".to_owned(),
            cached_set: None,
            holder_log_size: 0,
        }),
        Message::Hello(Hello {
            version: PROTOCOL_VERSION,
            suite: SUITE.to_owned(),
            requester_id: "ice-hsi-newark".to_owned(),
            cached_set: Some(CachedSet { epoch, set_hash }),
            holder_log_size: 41,
        }),
        Message::Welcome(Welcome {
            version: PROTOCOL_VERSION,
            key_epoch: epoch,
            public_key: w.holder.public_key().to_bytes(),
            set_size: 12,
            fingerprint_bits: 40,
            rules_answered: 0b0011,
            max_records: 5000,
            max_elements: 20_000,
            max_chunk_elements: 4096,
        }),
        Message::Request(Request {
            manifest,
            approvals,
            element_count: blinded.len() as u64,
        }),
        Message::ElementsChunk(ElementsChunk {
            index: 0,
            elements: blinded,
        }),
        Message::ElementsDone,
        Message::Refusal(Refusal {
            code: "approval-missing".to_owned(),
            message: "no approval under role irs-counsel".to_owned(),
        }),
        Message::Evaluated(Evaluated {
            index: 0,
            elements: evaluated,
        }),
        Message::Proof(Proof {
            first_element: proof.start as u64,
            count: u32::try_from(proof.count)?,
            proof: proof.proof.to_bytes(),
        }),
        Message::EvaluationDone,
        Message::SetHeader(SetHeader {
            epoch,
            total_bytes: set.len() as u64,
            set_hash,
        }),
        Message::SetChunk(SetChunk {
            bytes: set.to_vec(),
        }),
        Message::SetDone,
        Message::SetCached(CachedSet { epoch, set_hash }),
        Message::Goodbye,
        Message::Abort(Abort {
            reason: AbortReason::Malformed,
            detail: "bad chunk index".to_owned(),
        }),
    ])
}

fn policies(seeds: &Seeds, w: &World) -> Result<()> {
    let keys: Vec<String> = w
        .approvers
        .iter()
        .map(|(role, key)| format!("{} = [\"{}\"]\n", role.as_str(), key.public_key()))
        .collect();
    let full = format!(
        "allowed_purposes = [\"criminal-investigation\"]\nallowed_rules = [\"R1\", \"R2\"]\n\n\
         [approvers]\n{}\n[required_roles]\nany_of = [\"dhs-secretary\", \"ice-director\"]\n\
         all_of = [\"irs-counsel\"]\n\n[limits]\nmax_records_per_request = 5000\n\
         max_elements_per_request = 20000\nmax_records_per_day = 50000\n\
         max_request_age_secs = 86400\nmax_validity_secs = 604800\nclock_skew_secs = 300\n",
        keys.concat()
    );
    seeds.write("policy_toml", "full.toml", full.as_bytes())?;
    let minimal = format!(
        "[approvers]\n{}\n[required_roles]\nall_of = [\"dhs-secretary\"]\n",
        keys.first().context("no key")?
    );
    seeds.write("policy_toml", "minimal.toml", minimal.as_bytes())?;
    let paused = format!(
        "allowed_purposes = []\nallowed_rules = [\"R1\", \"R2\", \"R3\", \"R4\"]\n\
         [approvers]\n{}[required_roles]\nany_of = [\"ice-director\"]\n[limits]\nmax_records_per_day = 1\n",
        keys.concat()
    );
    seeds.write("policy_toml", "paused.toml", paused.as_bytes())
}

fn csv_files(seeds: &Seeds) -> Result<()> {
    let rows: Vec<String> = RECORDS.iter().map(|r| csv_line(r)).collect();
    let file = format!("{RECORD_HEADER}\n{}", rows.concat());
    // Mode byte: bit 0 prepends the header, bits 1..=4 pick the rules (taxpayer_row).
    seeds.write("taxpayer_row", "file", &[&[0x00], file.as_bytes()].concat())?;
    seeds.write(
        "taxpayer_row",
        "rows",
        &[&[0x01], rows.concat().as_bytes()].concat(),
    )?;
    seeds.write(
        "taxpayer_row",
        "rows-r1r2",
        &[&[0x07], rows.concat().as_bytes()].concat(),
    )?;
    let crlf = String::from(
        "\u{feff}zip,DOB,record_id,Given_Names,family_names,suffix,street,unit,city,state,extra\r\n\
         02134,1980-02-29,X-1,Ana,Silva,,5 Oak Rd,,Boston,MA,ignored\r\n\
         \"10001\",,\"X,2\",\"Wei\nJun\",Chen,,7 Elm St,,NYC,NY,\r\n",
    );
    seeds.write(
        "taxpayer_row",
        "reordered-crlf",
        &[&[0x00], crlf.as_bytes()].concat(),
    )?;
    for (i, row) in rows.iter().enumerate().take(3) {
        seeds.write(
            "taxpayer_row",
            &format!("row-{i}"),
            &[&[0x01], row.as_bytes()].concat(),
        )?;
    }

    let header = format!("{RECORD_HEADER},case_ref,final_order_ref\n");
    let request_rows: Vec<String> = RECORDS
        .iter()
        .enumerate()
        .map(|(i, r)| {
            let case = format!("CASE-{:04}", i + 1);
            let order = format!("FO-{:06}", i + 1);
            let mut fields = r.to_vec();
            fields.push(&case);
            fields.push(&order);
            csv_line(&fields)
        })
        .collect();
    let file = format!("{header}{}", request_rows.concat());
    seeds.write("request_row", "file", &[&[0x00], file.as_bytes()].concat())?;
    seeds.write(
        "request_row",
        "rows",
        &[&[0x01], request_rows.concat().as_bytes()].concat(),
    )?;
    for (i, row) in request_rows.iter().enumerate().take(3) {
        seeds.write(
            "request_row",
            &format!("row-{i}"),
            &[&[0x01], row.as_bytes()].concat(),
        )?;
    }

    for (i, record) in RECORDS.iter().enumerate() {
        seeds.write(
            "normalizer",
            &format!("record-{i}"),
            record.join("|").as_bytes(),
        )?;
    }
    Ok(())
}

fn main() -> Result<()> {
    let root = std::env::args_os()
        .nth(1)
        .map_or_else(|| PathBuf::from("corpus"), PathBuf::from);
    let seeds = Seeds { root };
    let w = world()?;
    let (manifest, approvals) = manifests_and_approvals(&seeds, &w)?;
    let set = encoded_set(&w)?;

    let limits = Limits::default();
    let messages = messages(&w, manifest, approvals, &set)?;
    let mut stream = Vec::new();
    for (i, message) in messages.iter().enumerate() {
        let bytes = message.encode(&limits)?;
        seeds.write("message", &format!("{i:02}-{}", message.name()), &bytes)?;
        stream.extend(encode_frame(&bytes, limits.max_message_bytes)?);
    }
    // frame: byte 0 picks the maximum (255 = 4 MiB), byte 1 the piece size.
    seeds.write("frame", "session", &[&[255, 3], &stream[..]].concat())?;
    seeds.write("frame", "small-max", &[&[40, 0], &stream[..]].concat())?;
    seeds.write(
        "frame",
        "empty-frames",
        &[255, 1, 0, 0, 0, 0, 0, 0, 0, 1, 42],
    )?;

    // encoded_set: byte 0 is the mode (bit 0 reseals the checksum, bit 1 a small max).
    seeds.write("encoded_set", "set-40", &[&[0], &set[..]].concat())?;
    seeds.write("encoded_set", "set-40-resealed", &[&[3], &set[..]].concat())?;
    for (bits, count) in [(1u32, 2u128), (7, 90), (64, 20), (128, 5)] {
        let fps = (0..count)
            .map(|i| (i * 0x9e37_79b9_7f4a_7c15) & mask(bits))
            .collect();
        let params = SetParams {
            bits,
            rule_set: 0b0011,
            key_epoch: [9; 16],
        };
        let bytes = EncodedSet::from_fingerprints(fps, params)?.to_bytes();
        seeds.write(
            "encoded_set",
            &format!("set-{bits}"),
            &[&[1], &bytes[..]].concat(),
        )?;
    }
    let empty = EncodedSet::from_fingerprints(
        Vec::new(),
        SetParams {
            bits: 40,
            rule_set: 1,
            key_epoch: [0; 16],
        },
    )?;
    seeds.write(
        "encoded_set",
        "empty",
        &[&[2], &empty.to_bytes()[..]].concat(),
    )?;

    policies(&seeds, &w)?;
    csv_files(&seeds)?;
    seeds.write("bundle", "bundle", &w.bundle.to_bytes())?;
    stateful::session_seeds(&seeds)?;
    stateful::record_seeds(&seeds)?;
    println!("seeds written to {}", seeds.root.display());
    Ok(())
}

fn mask(bits: u32) -> u128 {
    if bits >= 128 {
        u128::MAX
    } else {
        (1u128 << bits) - 1
    }
}
