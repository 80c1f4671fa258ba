//! Where a driver is in its session, for whoever measures it (the scale harness, the
//! load test, `ice query`'s timings). Observers get points and byte counts, never
//! secrets; the shipped binaries and the harnesses run the same driver code.

/// Bytes that crossed the connection so far (ciphertext, framing and handshake).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Traffic {
    /// Bytes read.
    pub read: u64,
    /// Bytes written.
    pub written: u64,
}

/// A ledger write the holder driver waits on (each one is fsynced).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LedgerOp {
    /// `request-received`.
    RequestReceived,
    /// Replay check before authorizing, or again before deciding.
    ReplayCheck,
    /// `decision-refused`.
    Refused,
    /// Claim of the request id and `decision-accepted`: the commit evaluation waits on.
    Commit,
    /// `evaluated`.
    Evaluated,
    /// `set-sent`.
    SetSent,
}

/// A point in a session, in the order a driver passes them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Point {
    /// Holder: the `Request` arrived (manifest and approvals parsed).
    RequestReceived,
    /// Holder: every blinded element arrived.
    ElementsReceived,
    /// Holder: about to wait on the ledger.
    LedgerBegin(LedgerOp),
    /// Holder: the ledger write is durable.
    LedgerEnd(LedgerOp),
    /// Holder: the request is accepted and durable; evaluation starts next (the
    /// requester is idle, waiting for the answer).
    Committed,
    /// Holder: the evaluated elements, proofs and `EvaluationDone` are sent.
    EvaluationSent,
    /// Holder: the set (or `SetCached`) is sent.
    SetSent,
    /// Requester: `Welcome` checked; the request and its elements are sent next.
    WelcomeReceived,
    /// Requester: request and elements sent.
    RequestSent,
    /// Requester: the holder's evaluation and proofs arrived.
    EvaluationReceived,
    /// Requester: proofs verified and outputs finalized (the holder is sending the set).
    Finalized,
    /// Requester: the set arrived, decoded and checked (or the cached copy confirmed).
    SetReceived,
    /// Requester: the outputs' fingerprints were looked up in the set.
    LookedUp,
}

/// Receives the points of a session.
pub trait Observer {
    /// The driver reached `point`, with the connection's traffic so far.
    fn at(&mut self, point: Point, traffic: Traffic);
}

/// An observer that ignores everything.
#[derive(Debug, Clone, Copy, Default)]
pub struct Unobserved;

impl Observer for Unobserved {
    fn at(&mut self, _point: Point, _traffic: Traffic) {}
}
