import Foundation
import Media
import NIOCore
import PCF
import SIPMessage

/// The CDR of every call that ends, however it ends (a BYE from either side, a CANCEL, a failure response, a
/// timeout, a refused answer, a drain): built on the loop from the call and its accounting, completed with the
/// media counters on the relay loop, and appended off both loops by the `CDRWriter`.
extension CallEngine {
    /// Called by `endCall` before the call's media is released. `side` and `status` say who ended the call and
    /// with what (`status` is the SIP status of the end: 200 for a BYE).
    func recordCallEnd(_ call: Call, reason: String, status: Int, side: CallDetailRecord.Side) {
        let key = call.legs.inbound.callID
        let record = accounting.removeValue(forKey: key)
        // Entries of INVITEs that never became calls (their anchoring failed) go with the next call that ends.
        if accounting.count > calls.count {
            accounting = accounting.filter { callIndex.call(inboundCallID: $0.key) != nil }
        }
        guard let record,
            let destination = CDRDestination(
                policy.cdr, state: policy.node.state, policyDirectory: snapshot.directory)
        else { return }
        let now = Date()
        let answerTime = call.isAnswered ? record.answerTime : nil
        let cdr = CallDetailRecord(
            icid: record.icid, node: policy.node.name, call: call.id,
            caller: CallDetailRecord.Party(
                uri: record.callerParty, number: PolicyControlContext.number(in: record.callerParty),
                peer: call.sourcePeer?.name, realm: record.callerContext.realm,
                address: CallDetailRecord.Party.address(
                    of: SIPEndpoint(
                        transport: call.inboundContext.transport, host: call.inboundContext.remote.ipAddress ?? "?",
                        port: call.inboundContext.remote.port ?? 0))),
            callee: CallDetailRecord.Party(
                uri: record.calleeParty, number: PolicyControlContext.number(in: record.calleeParty),
                peer: call.outboundPeer?.name, realm: record.calleeContext.realm,
                address: CallDetailRecord.Party.address(of: call.outboundDestination)),
            setupTime: record.setupTime, answerTime: answerTime, endTime: now,
            durationSeconds: answerTime.map { (now.timeIntervalSince($0) * 1_000).rounded() / 1_000 },
            disconnect: CallDetailRecord.Disconnect(status: status, reason: reason, side: side),
            codecs: record.codecs, media: [], policyControl: record.decision)
        let writer = cdrWriter
        guard let session = call.media else {
            writer.write(cdr, to: destination)
            return
        }
        session.reports().whenComplete { result in
            var complete = cdr
            if case .success(let reports) = result {
                complete.media = reports.map(CallDetailRecord.MediaCounters.init)
            }
            writer.write(complete, to: destination)
        }
    }
}

extension CallDetailRecord.Party {
    /// `udp:127.0.0.2:5060`, `tcp:[::1]:5060`: transport, address and port as the record documents them.
    static func address(of endpoint: SIPEndpoint) -> String {
        let host = endpoint.host.contains(":") ? "[\(endpoint.host)]" : endpoint.host
        return "\(endpoint.transport):\(host):\(endpoint.port)"
    }
}

extension CallDetailRecord.MediaCounters {
    init(_ report: StreamReport) {
        self.init(stream: report.index, caller: Leg(report.inbound), callee: Leg(report.outbound))
    }
}

extension CallDetailRecord.MediaCounters.Leg {
    init(_ leg: StreamReport.Leg) {
        self.init(
            rtpPackets: leg.rtpPackets, rtpBytes: leg.rtpBytes, rtcpPackets: leg.rtcpPackets, lost: leg.lost,
            jitterMilliseconds: (leg.jitterMilliseconds * 1_000).rounded() / 1_000, dropped: leg.dropped)
    }
}
