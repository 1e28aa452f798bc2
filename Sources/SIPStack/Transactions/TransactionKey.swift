import SIPMessage

/// What identifies a transaction, for matching messages to it (RFC 3261 §17.1.3, §17.2.3).
///
/// - Client side (`init(clientSide:)`, for the transaction's own request and for each response): the branch of the
///   top Via and the CSeq method (§17.1.3). The branch is Gatehouse's own, so it always has the magic cookie; the
///   method keeps a CANCEL apart from the INVITE it cancels.
/// - Server side (`init(serverSide:)`), branch with the magic cookie `z9hG4bK` (§17.2.3): the branch, the sent-by of
///   the top Via (host compared as `Host` does, port defaulted by transport) and the method, where an ACK counts as
///   INVITE, so the ACK for a non-2xx response matches its INVITE transaction. A CANCEL keeps its own method: it is a
///   transaction of its own, and `TransactionTable.inviteServerKey(cancelledBy:)` finds the INVITE it targets (§9.2).
/// - Server side, branch without the cookie (an RFC 2543 peer, §17.2.3): the Request-URI (as written), From tag,
///   Call-ID, CSeq number, the whole top Via and the method (ACK again counting as INVITE), plus the To tag for every
///   method but INVITE and ACK. §17.2.3 compares the To tag of an INVITE retransmission (none) and of the ACK (the tag
///   of the server's response) separately; leaving it out of the INVITE/ACK key lets one key match both. The check
///   that the ACK's To tag is the one the server sent is left out: a server transaction sends one final response,
///   so an ACK equal in everything else can only be for it.
public struct TransactionKey: Hashable, Sendable, CustomStringConvertible {
    /// Whether the key names a client or a server transaction; the two never match each other.
    public enum Side: Hashable, Sendable {
        case client
        case server
    }

    /// The sent-by of a top Via (§18.2.1).
    struct SentBy: Hashable, Sendable {
        var host: Host
        var port: UInt16
    }

    /// The RFC 2543 identity of a request (§17.2.3).
    struct LegacyIdentity: Hashable, Sendable {
        var requestURI: [UInt8]
        var fromTag: String?
        var toTag: String?
        var callID: String
        var sequence: UInt32
        var topVia: Via
    }

    enum Identity: Hashable, Sendable {
        /// RFC 3261: the branch, with the sent-by on the server side.
        case branch(String, sentBy: SentBy?)
        /// RFC 2543 fallback (server side only).
        case legacy(LegacyIdentity)
    }

    public let side: Side
    /// The method the transaction was created for (INVITE for an ACK matching its INVITE).
    public let method: SIPMethod
    let identity: Identity

    /// The key of a client transaction, from its request or from a response to it (§17.1.3): top Via branch and
    /// CSeq method.
    ///
    /// - Throws: `.malformedMessage` without a parsable top Via or CSeq, `.missingBranch` without a branch.
    public init(clientSide message: SIPMessage) throws(TransactionError) {
        let via: Via
        let cseq: CSeq
        do {
            via = try message.topVia
            cseq = try message.cseq
        } catch {
            throw TransactionError(.malformedMessage, "transaction key: \(error.detail)")
        }
        guard let branch = via.branch, !branch.isEmpty else {
            throw TransactionError(.missingBranch, "transaction key: the top Via has no branch")
        }
        self.side = .client
        self.method = cseq.method
        self.identity = .branch(branch, sentBy: nil)
    }

    /// The key of the server transaction a request belongs to (§17.2.3): branch, sent-by and method for an
    /// RFC 3261 branch, the RFC 2543 fields otherwise; an ACK gets the key of its INVITE.
    ///
    /// - Throws: `.wrongMessageKind` for a response, `.malformedMessage` without a parsable top Via or CSeq (or, on
    ///   the RFC 2543 path, From, To and Call-ID).
    public init(serverSide request: SIPMessage) throws(TransactionError) {
        guard let method = request.method else {
            throw TransactionError(.wrongMessageKind, "transaction key: a response has no server transaction")
        }
        try self.init(serverSide: request, method: method == .ack ? .invite : method)
    }

    /// The server-side key of `request` as if its method were `method`: how a CANCEL finds its INVITE (§9.2).
    init(serverSide request: SIPMessage, method: SIPMethod) throws(TransactionError) {
        self.side = .server
        self.method = method
        do {
            let via = try request.topVia
            if via.isRFC3261Branch, let branch = via.branch {
                // RFC 3261 §17.2.3: branch, sent-by and method.
                self.identity = .branch(branch, sentBy: SentBy(host: via.host, port: via.portOrDefault))
                return
            }
            // RFC 3261 §17.2.3, the RFC 2543 fallback.
            let keepsToTag = method != .invite
            self.identity = .legacy(
                LegacyIdentity(
                    requestURI: request.requestLine?.uri ?? [],
                    fromTag: try request.from.tag,
                    toTag: keepsToTag ? try request.to.tag : nil,
                    callID: try request.callID.value,
                    sequence: try request.cseq.sequence,
                    topVia: via))
        } catch {
            throw TransactionError(.malformedMessage, "transaction key: \(error.detail)")
        }
    }

    /// Whether the key came from an RFC 3261 branch (with the magic cookie, §8.1.1.7).
    public var isRFC3261: Bool {
        if case .legacy = identity { return false }
        return true
    }

    /// The branch the key holds, if it is an RFC 3261 key.
    public var branch: String? {
        if case .branch(let branch, _) = identity { return branch }
        return nil
    }

    /// `client z9hG4bK776 INVITE`, `server rfc2543 INVITE 1@host`.
    public var description: String {
        switch identity {
        case .branch(let branch, let sentBy):
            let via = sentBy.map { " \($0.host):\($0.port)" } ?? ""
            return "\(side) \(branch)\(via) \(method)"
        case .legacy(let legacy):
            return "\(side) rfc2543 \(method) \(legacy.sequence) \(legacy.callID)"
        }
    }
}
