import SIPMessage

/// Which headers of a message cross from one leg to the other: the end-to-end ones by policy, nothing else.
///
/// The mapping writes the leg-specific headers itself (Via, Route, Record-Route, Path, Contact, From, To,
/// Call-ID, CSeq, Max-Forwards, Content-Length, RAck), so these never pass, whatever the list says. Every other
/// header passes only when its name is in `names`. The option-tag headers (Supported, Require, Proxy-Require)
/// pass with only the tags in `supportedOptionTags`: advertising or requiring an extension on the far leg that
/// Gatehouse cannot relay would break the call later. P-* and X-* headers are in no default; a policy that trusts
/// a peer adds them by name.
public struct HeaderPassList: Sendable, Hashable {
    /// Headers copied from one leg to the other, in the order they came.
    public var names: Set<HeaderName>
    /// The extensions Gatehouse relays end to end; other tags are removed from Supported, Require and
    /// Proxy-Require, and a request that requires one (and not a terminated one) is refused with 420.
    public var supportedOptionTags: Set<OptionTag>
    /// The extensions Gatehouse implements on each leg itself (`timer`: session timers per leg): a request may
    /// require them, but the tags never cross; the mapping writes them where its leg needs them.
    public var terminatedOptionTags: Set<OptionTag>
    /// More headers copied toward one leg only: the names, or `X-*`-style prefixes, that the policy lets the
    /// party on that leg see (a trusted carrier that receives P-Asserted-Identity). Leg-specific headers never
    /// pass, whatever is listed. Default: none.
    public var extraToward: [CallLegs.Side: [HeaderPattern]]

    /// - Parameters:
    ///   - names: defaults to `endToEnd`.
    ///   - supportedOptionTags: defaults to none (`100rel` works once listed, as the mapping translates RAck).
    ///   - terminatedOptionTags: defaults to none (`timer` works once listed and the call has session-timer
    ///     settings).
    public init(
        names: Set<HeaderName> = HeaderPassList.endToEnd, supportedOptionTags: Set<OptionTag> = [],
        terminatedOptionTags: Set<OptionTag> = [], extraToward: [CallLegs.Side: [HeaderPattern]] = [:]
    ) {
        self.names = names
        self.supportedOptionTags = supportedOptionTags
        self.terminatedOptionTags = terminatedOptionTags
        self.extraToward = extraToward
    }

    /// The default: headers about the session and its body that hold no address of either side.
    public static let endToEnd: Set<HeaderName> = [
        .accept, "Accept-Encoding", "Accept-Language", .allow, .allowEvents, .contentDisposition, .contentEncoding,
        "Content-Language", "MIME-Version", .subject, "Priority", .event,
        .subscriptionState, .reason, .rseq, .retryAfter, .expires, .unsupported,
    ]

    /// Written by the mapping for each leg; never copied. Session-Expires and Min-SE belong to each leg's own
    /// session timer.
    public static let legSpecific: Set<HeaderName> = [
        .via, .route, .recordRoute, .path, .contact, .from, .to, .callID, .cseq, .maxForwards, .contentLength,
        .contentType, .rack, .sessionExpires, .minSE,
    ]

    /// The headers whose option tags are filtered by `supportedOptionTags`.
    public static let optionTagHeaders: Set<HeaderName> = [.supported, .require, .proxyRequire]

    /// Identity headers a policy may let pass (a trusted carrier receives P-Asserted-Identity): their URIs name a
    /// party, and a sender often writes its own address as the host.
    public static let identityHeaders: Set<HeaderName> = [.pAssertedIdentity, .pPreferredIdentity]

    /// Copies the headers of `source` that pass onto `target`, the message toward `side`, option-tag headers
    /// filtered. An identity header that passes keeps its user and display name, but a SIP URI whose host is an IP
    /// address takes `endpoint`'s host instead, as the From does (topology hiding: an address says where the
    /// other side is, a domain only who vouches for the identity); without an endpoint such a value does not pass,
    /// nor does one that cannot be parsed.
    func copyPassing(
        from source: SIPHeaders, into target: inout SIPHeaders, toward side: CallLegs.Side,
        hidingAddressesBehind endpoint: SIPEndpoint?
    ) {
        let extra = extraToward[side] ?? []
        var identitiesCopied: Set<HeaderName> = []
        for index in 0..<source.count {
            let name = source.name(at: index)
            if Self.legSpecific.contains(name) { continue }
            if Self.optionTagHeaders.contains(name) {
                let tags = (try? source.values(name))?.compactMap { try? OptionTag(parsing: $0) } ?? []
                let kept = tags.filter { supportedOptionTags.contains($0) }
                if !kept.isEmpty { target.append(name, kept.map(\.name).joined(separator: ", ")) }
                continue
            }
            guard names.contains(name) || extra.contains(where: { $0.matches(name) }) else { continue }
            if Self.identityHeaders.contains(name) {
                // Every value of the header at its first field, each on its own line.
                guard identitiesCopied.insert(name).inserted,
                    let identities = try? source.all(name, as: NameAddress.self)
                else { continue }
                for var identity in identities {
                    if case .sip(let uri) = identity.uri, uri.host.isIPAddress {
                        guard let endpoint else { continue }
                        identity.uri = Self.hidingAddress(of: identity.uri, behind: endpoint)
                    }
                    target.append(name, identity)
                }
                continue
            }
            target.append(name, source.value(at: index))
        }
    }

    /// `uri` with an IP-address host replaced by `endpoint`'s host, its port dropped and, of its parameters, only
    /// `user` kept (`;user=phone` says how to read the user part; `maddr` or `transport` would say where).
    static func hidingAddress(of uri: URI, behind endpoint: SIPEndpoint) -> URI {
        guard case .sip(var sipURI) = uri else { return uri }
        let userParameter = sipURI.userParameter
        sipURI.host = endpoint.uriHost
        sipURI.port = nil
        sipURI.parameters = []
        sipURI.headers = []
        if let userParameter { sipURI.userParameter = userParameter }
        return .sip(sipURI)
    }

    /// The tags of Require that Gatehouse does not support (RFC 3261 §8.2.2.3); empty when all are.
    func unsupportedRequirements(of message: SIPMessage) throws(B2BUAError) -> [OptionTag] {
        do {
            return try message.headers.optionTags(.require).filter {
                !supportedOptionTags.contains($0) && !terminatedOptionTags.contains($0)
            }
        } catch {
            throw B2BUAError(parsing: error)
        }
    }
}
