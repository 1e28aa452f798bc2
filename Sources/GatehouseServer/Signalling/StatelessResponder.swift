import SIPMessage

/// Answers, without transaction state, the requests that are not calls: the call engine (`CallEngine`) takes
/// INVITE dialogs, CANCEL, ACK and REGISTER (relayed to a registrar), and hands everything else here.
///
/// It is a UAS in the sense of RFC 3261 §8.2: OPTIONS is answered 200 with what this node supports (§11.2);
/// a CANCEL that reaches it matches no transaction, so 481 (§9.2); ACK is never answered (§17.2.1); other
/// out-of-dialog methods (MESSAGE, SUBSCRIBE… until the IMS core lands) are answered 501. Before that, the
/// request passes `validate()` and the UAS header checks (§8.2.2): an invalid request is answered with the
/// status its error carries.
public struct StatelessResponder: Sendable {
    /// Methods this node handles today, written in Allow: OPTIONS itself, the rest relayed within calls.
    public static let allowedMethods: [SIPMethod] = [
        .invite, .ack, .cancel, .bye, .options, .prack, .update, .info, .register,
    ]
    /// Option tags this node supports (none yet): any tag in Require is answered 420.
    public static let supportedOptionTags: Set<String> = []

    /// A per-node secret mixed into stateless To tags, so tags cannot be predicted from the request alone.
    private let tagSecret: UInt64

    public init(tagSecret: UInt64 = UInt64.random(in: .min ... .max)) {
        self.tagSecret = tagSecret
    }

    /// What to do with a request: the response to send, or nothing (ACK). The checks run in the order of
    /// RFC 3261 §8.2: a malformed request is answered first (400, 416, 483, 505…), then the method (§8.2.1),
    /// then the headers (§8.2.2), then the body (§8.2.3).
    public func respond(to request: SIPMessage, limits: SIPLimits = SIPLimits()) -> SIPMessage? {
        guard let method = request.method, method != .ack else { return nil }
        do {
            try request.validate(limits: limits)
        } catch {
            return response(to: request, status: error.status, reason: error.detail)
        }
        return respond(toValid: request)
    }

    /// `respond(to:limits:)` for a request that has passed `validate(limits:)` already: the ingress stages'
    /// sanity check runs it on every request, and validating twice was a fifth of an OPTIONS' cost in a replay.
    public func respond(toValid request: SIPMessage) -> SIPMessage? {
        guard let method = request.method, method != .ack else { return nil }
        // RFC 3261 §8.2.1, §9.2: CANCEL matches no transaction of a stateless node; other methods but OPTIONS
        // are not implemented yet.
        if method == .cancel { return response(to: request, status: .callDoesNotExist) }
        guard method == .options else {
            var answer = response(to: request, status: .notImplemented)
            answer.headers.append(.allow, Self.allowHeaderValue)
            return answer
        }

        // RFC 3261 §8.2.2.3: every option tag in Require must be supported, or 420 with Unsupported.
        let required = ((try? request.headers.all(.require, as: OptionTag.self)) ?? []).map(\.name)
        let unsupported = required.filter { !Self.supportedOptionTags.contains($0.lowercased()) }
        if !unsupported.isEmpty {
            var answer = response(to: request, status: .badExtension)
            answer.headers.append(.unsupported, unsupported.joined(separator: ", "))
            return answer
        }

        // RFC 3261 §8.2.3: a body this node cannot process is answered 415 with what it accepts.
        if let problem = unsupportedContent(of: request) {
            var answer = response(to: request, status: .unsupportedMediaType, reason: problem)
            answer.headers.append(.accept, "application/sdp")
            answer.headers.append("Accept-Encoding", "identity")
            return answer
        }

        var answer = response(to: request, status: .ok)
        answer.headers.append(.allow, Self.allowHeaderValue)
        answer.headers.append(.accept, "application/sdp")
        return answer
    }

    static let allowHeaderValue = allowedMethods.map(\.rawValue).joined(separator: ", ")

    /// Why the body cannot be processed, or nil: only SDP, without content coding, is understood.
    func unsupportedContent(of request: SIPMessage) -> String? {
        if let encodings = request.headers.firstString(.contentEncoding),
            encodings.split(separator: ",").contains(where: {
                $0.filter { $0 != " " && $0 != "\t" }.lowercased() != "identity"
            })
        {
            return "Unsupported Content-Encoding"
        }
        guard !request.body.isEmpty else { return nil }
        guard let type = try? request.headers.first(.contentType, as: ContentType.self), type.isSDP else {
            return "Unsupported Content-Type"
        }
        return nil
    }

    /// A response built from a request as RFC 3261 §8.2.6.2 says: the same Vias (in order), From, Call-ID and
    /// CSeq, and To with a tag added if it had none. `reason` replaces the default reason phrase, so that a
    /// rejected request learns why (e.g. `400 Missing Call-ID`).
    public func response(to request: SIPMessage, status: SIPStatus, reason: String? = nil) -> SIPMessage {
        var response = SIPMessage.response(
            to: request, status: status, reason: reason.map(Self.safeReasonPhrase), toTag: statelessTag(for: request))
        response.headers.append(.server, GatehouseVersion.productToken)
        return response
    }

    /// The same request (same Call-ID, From tag and top branch) always gets the same To tag, as a stateless UAS
    /// must give (RFC 3261 §8.2.7): FNV-1a over those values and the node's secret.
    func statelessTag(for request: SIPMessage) -> String {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325 ^ tagSecret
        func mix(_ bytes: some Collection<UInt8>) {
            for byte in bytes {
                hash ^= UInt64(byte)
                hash &*= 0x100_0000_01b3
            }
            hash ^= 0xff
            hash &*= 0x100_0000_01b3
        }
        mix(request.headers.first(.callID) ?? [])
        mix(request.headers.first(.from) ?? [])
        mix(((try? request.headers.first(.via, as: Via.self))?.branch ?? "").utf8)
        return "gh" + String(hash, radix: 16)
    }

    /// Reason phrases may hold UTF-8 text but no control characters; a detail is trimmed to one short line.
    static func safeReasonPhrase(_ text: String) -> String {
        let cleaned = String(text.unicodeScalars.map { $0.value < 0x20 || $0.value == 0x7F ? " " : Character($0) })
        return cleaned.count > 100 ? String(cleaned.prefix(100)) : cleaned
    }
}
