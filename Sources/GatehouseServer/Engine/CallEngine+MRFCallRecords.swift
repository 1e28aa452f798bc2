import Foundation
import MRF
import Media
import NIOCore
import PCF
import SIPMessage

/// MRF calls are calls like the B2BUA's: each has a CDR when it ends (answered, refused by its session, cancelled,
/// ended by either side), a line in `gatehouse calls`, and a place in a drain's count. The MRF is the callee: the
/// PSI, in the realm the caller came from, at the listener that answered.
extension CallEngine {
    /// The call's CDR: built on the loop, completed with the media's counters once its socket is closed.
    func recordMRFCallEnd(_ call: MRFCall, reason: String) {
        guard
            let destination = CDRDestination(
                policy.cdr, state: policy.node.state, policyDirectory: snapshot.directory)
        else { return }
        let now = Date()
        let realm = realms[call.context.listener] ?? "?"
        let codec = call.answerTime == nil ? nil : call.session.plan?.codec
        let callee = call.psi.description
        let cdr = CallDetailRecord(
            icid: call.icid, node: policy.node.name, call: call.id,
            caller: CallDetailRecord.Party(
                uri: call.callerParty, number: PolicyControlContext.number(in: call.callerParty),
                peer: call.callerPeer,
                realm: realm,
                address: CallDetailRecord.Party.address(
                    of: SIPEndpoint(
                        transport: call.context.transport, host: call.context.remote.ipAddress ?? "?",
                        port: call.context.remote.port ?? 0))),
            callee: CallDetailRecord.Party(
                uri: callee, number: PolicyControlContext.number(in: callee), peer: nil, realm: realm,
                address: CallDetailRecord.Party.address(of: call.context.listener)),
            setupTime: call.setupTime, answerTime: call.answerTime, endTime: now,
            durationSeconds: call.answerTime.map { (now.timeIntervalSince($0) * 1_000).rounded() / 1_000 },
            disconnect: call.disconnect
                ?? CallDetailRecord.Disconnect(status: 200, reason: reason, side: .gatehouse),
            codecs: codec.map { ["audio \($0.rawValue)"] } ?? [], media: [], policyControl: nil)
        let writer = cdrWriter
        guard let counted = call.mediaCounters else {
            writer.write(cdr, to: destination)
            return
        }
        counted.whenComplete { result in
            var complete = cdr
            if case .success(let counted) = result { complete.media = [CallDetailRecord.MediaCounters(counted)] }
            writer.write(complete, to: destination)
        }
    }

    /// An MRF call as `gatehouse calls` lists it: `kind` `mrf`, its peer `mrf` toward the PSI.
    func summary(of call: MRFCall) -> CallSummary {
        let realm = realms[call.context.listener] ?? "?"
        let isAnswered = if case .active = call.session.state { true } else { call.answerTime != nil }
        return CallSummary(
            id: call.id, state: isAnswered ? "answered" : "setup", caller: call.callerParty,
            callee: call.psi.description, fromRealm: realm, fromPeer: call.callerPeer ?? "none",
            fromAddress: "\(call.context.remote)",
            toRealm: realm, toPeer: "mrf", toAddress: "\(call.context.listener)", route: "mrf \(call.resource)",
            durationSeconds: Double((NIODeadline.now() - call.startedAt).nanoseconds) / 1e9, icid: call.icid,
            policyControl: nil, kind: "mrf")
    }

    /// The drain's deadline: every MRF call left ends, a playing one with the MRF's BYE, one whose 200 has not
    /// left yet with 503 to its INVITE.
    func endMRFCallsLeft() {
        for callID in mrf.calls.keys.sorted() {
            guard let call = mrf.calls[callID] else { continue }
            guard call.dialog != nil else {
                failMRFCall(callID, status: .serviceUnavailable, reason: "node shutting down")
                continue
            }
            var actions: [MRFAction] = []
            updateMRFCall(callID) { call in
                call.noteEnd(status: 503, reason: "Node shutting down", side: .gatehouse)
                actions = call.session.hangUp(rooms: &mrf.rooms)
            }
            performMRF(actions, callID: callID)
        }
    }
}

extension CallDetailRecord.MediaCounters {
    /// The MRF's one stream: what the caller sent it, and what it played (or mixed) to the caller. The MRF
    /// measures neither loss nor jitter (it plays, it does not relay), so those stay 0.
    init(_ counted: MRFMediaCounters) {
        self.init(
            stream: 0,
            caller: Leg(
                rtpPackets: counted.receivedPackets, rtpBytes: counted.receivedBytes,
                rtcpPackets: counted.receivedRTCPPackets, lost: 0, jitterMilliseconds: 0, dropped: 0),
            callee: Leg(
                rtpPackets: counted.sentPackets, rtpBytes: counted.sentBytes, rtcpPackets: 0, lost: 0,
                jitterMilliseconds: 0, dropped: 0))
    }
}
