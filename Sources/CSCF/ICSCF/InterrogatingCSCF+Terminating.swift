import IMSInterfaces
import SIPMessage

/// S-CSCF selection for a request that terminates at a public identity (TS 24.229 §5.3.2.1, TS 29.228 §6.1.4).
extension InterrogatingCSCF {
    /// The location information query for `identity`: the S-CSCF that serves it, or, for an identity that is not
    /// registered but has services for that state, a configured one chosen by the capabilities the HSS returns.
    ///
    /// The HSS's S-CSCF name is used as given: it is where the user's registration lives, known or not. Refusals:
    /// an unknown user (or one the HSS refuses) 404; a known user with no S-CSCF and no unregistered services, an HSS
    /// that throws or fails, 480; no capable S-CSCF, 600.
    public func selectServer(forTerminating identity: PublicIdentity) -> Result<String, CSCFRejection> {
        let answer: LocationInfoAnswer
        do {
            answer = try cx.locationInfo(LocationInfoRequest(publicIdentity: identity))
        } catch {
            return .failure(Self.hssUnreachable(error))
        }
        guard answer.result.isSuccess else {
            switch answer.result {
            case .identityNotRegistered:
                return .failure(
                    CSCFRejection(.temporarilyUnavailable, reason: "not-registered", "\(identity) is not registered"))
            case .unableToComply:
                return .failure(
                    CSCFRejection(.temporarilyUnavailable, reason: "hss-error", "the HSS answered \(answer.result)"))
            default:
                return .failure(
                    CSCFRejection(.notFound, reason: "user-unknown", "\(identity): the HSS answered \(answer.result)"))
            }
        }
        if let serverName = answer.serverName { return .success(serverName) }
        let capabilities = answer.capabilities ?? .none
        return server(with: capabilities).map { .success($0) } ?? .failure(Self.noCapableServer(capabilities))
    }
}
