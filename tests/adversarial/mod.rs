//! The arena of the adversarial suite: one `irs serve` (standard error to a file), the
//! hand-built clients of `blindlink_testkit::{hostile, forge, honest}`, and the checks run
//! after every case: the client's view, the audit entry, the process, its memory, and an
//! honest request answered correctly right after.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

pub mod messages;
pub mod requests;
pub mod transport;

use std::path::PathBuf;
use std::process::Stdio;
use std::time::{Duration, Instant};

use blindlink_protocol::bundle::RecordResult;
use blindlink_protocol::wire::{
    AbortReason, Hello, Message, NoiseStaticKey, PROTOCOL_VERSION, SUITE,
};
use blindlink_testkit::Server;
use blindlink_testkit::forge::{ForgedRequest, Signer};
use blindlink_testkit::honest::HonestRequester;
use blindlink_testkit::hostile::{Closed, Ending, HostileClient};
use blindlink_testkit::rogue::{holder_noise_key, read_bundle, requester_noise_key};
use serde_json::Value;

use crate::common::{REQUESTER_ID, World, answered, audit_entries, results};

/// Most resident memory the holder may ever have used (`VmHWM`): a 4 GiB frame length,
/// or anything else a client announces, must not be allocated.
const MAX_RESIDENT_BYTES: u64 = 256 << 20;
/// Most address space it may ever have mapped (`VmPeak`): thread stacks and allocator
/// arenas of a few sessions fit easily, a 4 GiB reservation does not.
const MAX_MAPPED_BYTES: u64 = 2 << 30;
/// How long a client waits for the holder to end a connection.
const WAIT: Duration = Duration::from_secs(20);

/// What a case must end in.
#[derive(Clone, Copy, Debug)]
pub enum Expect {
    /// A `Refusal` with this code, audited as `decision-refused` with the same reason.
    Refused(&'static str),
    /// An `Abort` with this reason, audited as `session-error` with this code.
    Aborted(AbortReason, &'static str),
    /// The connection closed with nothing sent (the peer is not authenticated, or the
    /// channel itself failed), audited as `session-error` with this code.
    Closed(&'static str),
}

/// One server under attack, and what every case is checked against.
pub struct Arena {
    pub w: World,
    pub server: Server,
    stderr: PathBuf,
    /// The allowed requester's Noise key.
    pub key: NoiseStaticKey,
    /// The holder's Noise public key.
    pub holder_key: [u8; 32],
    /// The `dhs-secretary` approver the policy requires.
    pub signer: Signer,
    /// An approved request of 30 records.
    pub bundle: PathBuf,
    /// What `ice query` answered for it.
    expected: Vec<RecordResult>,
    /// Audit entries already accounted for.
    seen: usize,
    /// Cases run.
    pub cases: Vec<&'static str>,
}

impl Arena {
    /// A world serving `policy` (the default when `None`) with `extra` serve options;
    /// `ice` answers one request first, which every honest check must reproduce.
    pub fn new(w: World, policy: Option<blindlink_testkit::PolicySpec>, extra: &[&str]) -> Arena {
        let policy = policy.unwrap_or_else(|| w.policy());
        let stderr = w.path("irs-serve.stderr");
        let file = std::fs::File::create(&stderr).unwrap();
        let server = Server::start_with_stderr(
            w.serve_command(&policy, &[], extra),
            Duration::from_secs(60),
            Stdio::from(file),
        )
        .unwrap();
        let (request, _) = w.request("honest", 30, 3, "realistic");
        let bundle = w.prepare(&request, "honest.bundle").bundle;
        let approval = w.sign(&w.secretary, &bundle);
        let report = answered(w.query(&server, &bundle, &[&approval]));
        let expected = results(&report);
        assert!(expected.iter().any(|r| r.matched_rule.is_some()));
        w.holder_audit_after("set-sent", 1);
        let seen = w.holder_audit().len();
        Arena {
            key: requester_noise_key(w.ice.dir()).unwrap(),
            holder_key: holder_noise_key(&w.holder.holder_json()).unwrap(),
            signer: Signer::of(&w.secretary).unwrap(),
            bundle,
            expected,
            seen,
            cases: Vec::new(),
            server,
            stderr,
            w,
        }
    }

    /// A connection that completed the handshake with the allowed requester's key.
    pub fn connect(&self) -> HostileClient {
        HostileClient::connect(self.server.addr(), &self.key, &self.holder_key, WAIT).unwrap()
    }

    /// A connection past `Hello` and `Welcome`.
    pub fn welcomed(&self) -> HostileClient {
        let mut client = self.connect();
        client.send(&hello()).unwrap();
        match client.recv().unwrap() {
            Some(Message::Welcome(_)) => client,
            other => panic!("expected Welcome, got {other:?}"),
        }
    }

    /// The honest request with a fresh request id, unsigned.
    pub fn forged(&self) -> ForgedRequest {
        ForgedRequest::from_bundle(&read_bundle(&self.bundle).unwrap())
    }

    /// The honest request with a fresh id, signed by the required approver.
    pub fn approved(&self) -> ForgedRequest {
        self.forged().signed_by(&self.signer).unwrap()
    }

    /// Runs the checks after case `name`, whose client ended as `ending`.
    pub fn check(&mut self, name: &'static str, ending: &Ending, expect: Expect) {
        self.cases.push(name);
        let context = format!("case {name}: {ending:?}");
        assert_ne!(ending.closed, Closed::StillOpen, "{context}: still open");
        let last = ending.messages.last();
        match expect {
            Expect::Refused(code) => match last {
                Some(Message::Refusal(r)) if r.code == code => {}
                _ => panic!("{context}: expected a `{code}` refusal"),
            },
            Expect::Aborted(reason, _) => match last {
                Some(Message::Abort(a)) if a.reason == reason => {}
                _ => panic!("{context}: expected an {reason:?} abort"),
            },
            Expect::Closed(_) => assert!(
                ending
                    .messages
                    .iter()
                    .all(|m| matches!(m, Message::Welcome(_))),
                "{context}: expected the connection closed without an answer"
            ),
        }
        self.check_audit(name, expect);
        self.check_process(name);
        self.check_honest(name);
    }

    /// The checks after a case whose client never completed the handshake.
    pub fn check_closed(&mut self, name: &'static str, closed: Closed, code: &'static str) {
        let ending = Ending {
            messages: Vec::new(),
            closed,
        };
        self.check(name, &ending, Expect::Closed(code));
    }

    /// The audit entries appended since the last check, once the session's end
    /// (`decision-refused` or `session-error`) is among them: the holder audits the end
    /// after it closed the connection, so the client can see the close first (up to 20 s).
    fn new_entries(&mut self) -> Vec<Value> {
        let deadline = Instant::now() + Duration::from_secs(20);
        loop {
            let entries = audit_entries(&self.w.holder.audit_log());
            let new = entries.get(self.seen..).unwrap_or_default().to_vec();
            let ended = new
                .iter()
                .any(|e| e["kind"] == "decision-refused" || e["kind"] == "session-error");
            if ended || Instant::now() > deadline {
                self.seen = entries.len();
                return new;
            }
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    fn check_audit(&mut self, name: &str, expect: Expect) {
        let new = self.new_entries();
        let (kind, code) = match expect {
            Expect::Refused(code) => ("decision-refused", code),
            Expect::Aborted(_, code) | Expect::Closed(code) => ("session-error", code),
        };
        let reason = |e: &Value| match kind {
            "decision-refused" => e["reason"].clone(),
            _ => e["details"]["reason"].clone(),
        };
        let ends: Vec<&Value> = new
            .iter()
            .filter(|e| e["kind"] == "decision-refused" || e["kind"] == "session-error")
            .collect();
        assert!(
            matches!(ends.as_slice(), [end] if end["kind"] == kind && reason(end) == code),
            "case {name}: expected one `{kind}` entry with reason `{code}`, got {new:#?}"
        );
        // Nothing was evaluated for a hostile request (a case that is answered first, like
        // a replay or a second request after the answer, accounts for its own entries).
        let evaluated = new.iter().filter(|e| e["kind"] == "evaluated").count();
        let accepted = new
            .iter()
            .filter(|e| e["kind"] == "decision-accepted")
            .count();
        assert_eq!(evaluated, accepted, "case {name}: {new:#?}");
    }

    fn check_process(&mut self, name: &str) {
        assert!(self.server.is_running(), "case {name}: irs serve died");
        let stderr = std::fs::read_to_string(&self.stderr).unwrap();
        assert!(
            !stderr.contains("panicked"),
            "case {name}: irs serve panicked:\n{stderr}"
        );
        let pid = self.server.pid();
        let resident = memory_kib(pid, "VmHWM") * 1024;
        assert!(
            resident < MAX_RESIDENT_BYTES,
            "case {name}: irs serve peaked at {resident} bytes resident"
        );
        // Address space too: a reservation of an announced length that is never
        // touched would not show as resident.
        let mapped = memory_kib(pid, "VmPeak") * 1024;
        assert!(
            mapped < MAX_MAPPED_BYTES,
            "case {name}: irs serve peaked at {mapped} bytes of address space"
        );
    }

    /// An honest request right after: answered, with the results `ice` got.
    fn check_honest(&mut self, name: &str) {
        let honest = HonestRequester {
            addr: self.server.addr(),
            holder_json: &self.w.holder.holder_json(),
            key: &self.key,
            requester_id: REQUESTER_ID,
            signer: &self.signer,
        };
        let results = honest
            .query(&self.bundle)
            .unwrap_or_else(|e| panic!("case {name}: the next honest request failed: {e}"));
        assert_eq!(results, self.expected, "case {name}: honest results differ");
        // The holder audits `set-sent` after the last set chunk is on its way.
        let deadline = Instant::now() + WAIT;
        let new = loop {
            let entries = audit_entries(&self.w.holder.audit_log());
            let new = entries.get(self.seen..).unwrap_or_default().to_vec();
            if new.iter().any(|e| e["kind"] == "set-sent") || Instant::now() > deadline {
                self.seen = entries.len();
                break new;
            }
            std::thread::sleep(Duration::from_millis(10));
        };
        let kinds: Vec<&str> = new.iter().filter_map(|e| e["kind"].as_str()).collect();
        assert_eq!(
            kinds,
            [
                "request-received",
                "decision-accepted",
                "evaluated",
                "set-sent"
            ],
            "case {name}: honest request"
        );
    }

    /// Ends the run: the real `ice` is answered a fresh request, the audit log verifies,
    /// and the memory peak is reported.
    pub fn finish(mut self, at_least: usize) {
        let (request, _) = self.w.request("final", 30, 3, "realistic");
        let bundle = self.w.prepare(&request, "final.bundle").bundle;
        let approval = self.w.sign(&self.w.secretary, &bundle);
        let report = answered(self.w.query(&self.server, &bundle, &[&approval]));
        assert_eq!(results(&report), self.expected);
        self.check_process("final");
        self.w.assert_audits_intact();
        assert!(
            self.cases.len() >= at_least,
            "{} cases run: {:?}",
            self.cases.len(),
            self.cases
        );
        let mut unique = self.cases.clone();
        unique.sort_unstable();
        unique.dedup();
        assert_eq!(unique.len(), self.cases.len(), "case names repeat");
        let pid = self.server.pid();
        eprintln!(
            "{} hostile cases; irs serve peak memory {} KiB resident, {} KiB mapped",
            self.cases.len(),
            memory_kib(pid, "VmHWM"),
            memory_kib(pid, "VmPeak")
        );
    }
}

/// A valid `Hello` from the allowed requester.
pub fn hello() -> Message {
    Message::Hello(Hello {
        version: PROTOCOL_VERSION,
        suite: SUITE.to_owned(),
        requester_id: REQUESTER_ID.to_owned(),
        cached_set: None,
        holder_log_size: 0,
    })
}

/// A `/proc/PID/status` field in KiB (`VmHWM`, `VmRSS`, ...).
pub fn memory_kib(pid: u32, field: &str) -> u64 {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap();
    status
        .lines()
        .find_map(|line| line.strip_prefix(field)?.strip_prefix(':'))
        .and_then(|rest| rest.trim().strip_suffix("kB"))
        .and_then(|kib| kib.trim().parse().ok())
        .unwrap_or_else(|| panic!("no {field} in /proc/{pid}/status"))
}
