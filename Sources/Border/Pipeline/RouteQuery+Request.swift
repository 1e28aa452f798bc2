import GatehousePolicy
import SIPMessage

extension RouteQuery {
    /// The route table's question about an initial request from `sourcePeer` on `sourceRealm`.
    ///
    /// A tel Request-URI is read as the SIP URI it would be (RFC 3261 §19.1.6): its number, with its parameters,
    /// is the user, and it has no host. A number that carries a routing number (RFC 4694 `;rn=`, global or under
    /// a global `rn-context`) is routed by it (`routingNumber`); `;npdi` alone changes nothing, the dialled number
    /// routes. Live traffic, `gatehouse explain` and replay ask the same question.
    public init(request: SIPMessage, sourceRealm: String, sourcePeer: String?, method: SIPMethod) {
        let uri = (try? request.requestURI) ?? nil
        self.init(
            sourceRealm: sourceRealm, sourcePeer: sourcePeer, method: method, requestURIHost: uri?.sipURI?.host,
            user: uri.flatMap(TelephoneURIConversion.sipUser(of:)),
            routingNumber: uri.flatMap { NumberPortability(uri: $0).routingE164?.description })
    }
}
