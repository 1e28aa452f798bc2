import Border
import GatehousePolicy
import SIPMessage
import SIPStack

/// `to: enum` routes: the called number's NAPTR records (RFC 6116) under the policy's suffix, asked off the loop,
/// then `BorderPolicy.enumRoute` picks the peer (or the static table, or a refusal).
extension CallEngine {
    func routeByENUM(_ inbound: InboundCall, decision: RouteDecision, query: RouteQuery) {
        let border = snapshot.border
        guard let number = border.enumNumber(of: inbound.invite) else {
            let code = policy.enumSettings.notFound
            refuseInitialInvite(
                inbound.invite, inbound.serverKey, SIPStatus(code, RouteTarget.defaultReason(for: code)),
                "The Request-URI carries no E.164 number for ENUM")
            return
        }
        let settings = policy.enumSettings
        guard settings.useDNS else {
            finishENUM(inbound, number: number, answer: .notAsked, decision: decision, query: query)
            return
        }
        let domain = border.enumDomain(for: number)
        let dns = settings.dnsSettings(general: policy.dns)
        let snapshot = snapshot
        pendingLookups.insert(inbound.serverKey)
        Task { [self] in
            let answer = await locator.enumRecords(domain, settings: dns)
            loop.execute { [self] in
                guard pendingLookups.remove(inbound.serverKey) != nil else { return }
                self.snapshot = snapshot
                finishENUM(inbound, number: number, answer: answer, decision: decision, query: query)
            }
        }
    }

    private func finishENUM(
        _ inbound: InboundCall, number: E164Number, answer: ENUMAnswer, decision: RouteDecision, query: RouteQuery
    ) {
        var trace = PipelineTrace(recording: true)
        let decided = snapshot.border.enumRoute(for: number, answer: answer, query: query, trace: &trace)
        logger.info(
            "ENUM \(number): \(decided)",
            metadata: [
                "steps": "\(trace.entries.map(\.text))",
                "call-id": "\(inbound.invite.headers.firstString(.callID) ?? "-")",
            ])
        switch decided {
        case .reject(let status, let reason):
            refuseInitialInvite(inbound.invite, inbound.serverKey, status, reason)
        case .peer(let peer, _):
            route(inbound, toPeer: peer, decision: decision, user: decided.requestUser)
        }
    }
}
