//! Both drivers against each other over a Unix socket pair: the holder's service in a
//! thread, the requester's driver here.

use std::os::unix::net::UnixStream;

use blindlink_core::fingerprint::EncodedSet;
use blindlink_protocol::driver::{
    HolderError, HolderService, Observer, RequesterError, RequesterJob, RequesterOutcome, Served,
    Unobserved, run,
};
use blindlink_protocol::wire::{Channel, Metered, NoiseStaticKey};

use super::{Request, TestLedger};

/// The holder's outcome of one session.
pub type HolderResult = Result<Served, HolderError<std::io::Error>>;

/// The two parties' Noise keys.
pub struct Peers {
    pub holder: NoiseStaticKey,
    pub requester: NoiseStaticKey,
}

/// Fresh keys for both parties.
pub fn peers() -> Peers {
    Peers {
        holder: NoiseStaticKey::generate().unwrap(),
        requester: NoiseStaticKey::generate().unwrap(),
    }
}

/// One session of `req` against `service`; both outcomes.
pub fn session(
    service: &HolderService<TestLedger>,
    peers: &Peers,
    req: Request,
    holder_observer: &mut (dyn Observer + Send),
) -> (HolderResult, Result<RequesterOutcome, RequesterError>) {
    let (a, b) = UnixStream::pair().unwrap();
    let allowed = [peers.requester.public_key()];
    std::thread::scope(|s| {
        let holder = s.spawn(|| {
            let (mut channel, _) =
                Channel::accept(Metered::new(a), &peers.holder, &allowed).unwrap();
            service.serve(&mut channel, "ice-test", &mut rand::rng(), holder_observer)
        });
        let mut channel = Channel::connect(
            Metered::new(b),
            &peers.requester,
            &peers.holder.public_key(),
        )
        .unwrap();
        let accept_any = |_: &EncodedSet| Ok(());
        let job = RequesterJob {
            params: req.params,
            blinded: &req.blinded,
            inputs: &req.inputs,
            blinds: req.blinds,
            cached_set: None,
            check_set: &accept_any,
            keep_receipt: &|_| Ok(()),
        };
        let outcome = run(&mut channel, job, &mut Unobserved);
        drop(channel);
        (holder.join().unwrap(), outcome)
    })
}

/// A holder service over `ledger`, at the fixed clock `NOW`.
pub fn service(h: super::Holder, ledger: TestLedger) -> HolderService<TestLedger> {
    let epoch = blindlink_protocol::driver::ServedEpoch {
        key: h.key,
        params: h.params,
        set_bytes: h.set_bytes,
        set_hash: h.set_hash,
    };
    HolderService::new(epoch, h.policy, ledger, Box::new(|| super::NOW)).unwrap()
}
