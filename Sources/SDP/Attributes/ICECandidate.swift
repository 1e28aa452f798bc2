/// `a=candidate` (RFC 8839 §5.1):
///
///     candidate:<foundation> <component-id> <transport> <priority> <connection-address> <port>
///         typ <cand-type> [raddr <address>] [rport <port>] *(<extension-name> <extension-value>)
///
/// Kept whole so a relaying B2BUA can pass candidates through; an anchoring SBC removes them
/// (`SDPAttributes.removeICEAttributes()`).
public struct ICECandidate: SDPAttributeValue {
    public static let attributeName = "candidate"

    /// `host`, `srflx`, `prflx`, `relay`, or an extension token.
    public struct CandidateType: Hashable, Sendable, RawRepresentable, CustomStringConvertible {
        public var rawValue: String
        public init(rawValue: String) { self.rawValue = rawValue }
        public var description: String { rawValue }

        public static let host = Self(rawValue: "host")
        public static let serverReflexive = Self(rawValue: "srflx")
        public static let peerReflexive = Self(rawValue: "prflx")
        public static let relayed = Self(rawValue: "relay")
    }

    /// An extension attribute pair such as `generation 0` or `tcptype active` (RFC 6544 §4.5).
    public struct Extension: Hashable, Sendable {
        public var name: String
        public var value: String

        public init(name: String, value: String) {
            self.name = name
            self.value = value
        }
    }

    public var foundation: String
    /// 1 for RTP, 2 for RTCP.
    public var component: UInt16
    /// `UDP`, or `TCP` (RFC 6544); case as written.
    public var transport: String
    public var priority: UInt32
    public var address: String
    public var port: UInt16
    public var type: CandidateType
    public var relatedAddress: String?
    public var relatedPort: UInt16?
    public var extensions: [Extension]

    public init(
        foundation: String, component: UInt16, transport: String = "UDP", priority: UInt32, address: String,
        port: UInt16, type: CandidateType, relatedAddress: String? = nil, relatedPort: UInt16? = nil,
        extensions: [Extension] = []
    ) {
        self.foundation = foundation
        self.component = component
        self.transport = transport
        self.priority = priority
        self.address = address
        self.port = port
        self.type = type
        self.relatedAddress = relatedAddress
        self.relatedPort = relatedPort
        self.extensions = extensions
    }

    public init?(attributeValue: String) {
        let fields = Lex.fields(attributeValue)
        guard fields.count >= 8, fields[6] == "typ",
            let component = Lex.decimal(fields[1], as: UInt16.self),
            let priority = Lex.decimal(fields[3], as: UInt32.self),
            let port = Lex.decimal(fields[5], as: UInt16.self)
        else { return nil }
        var rest = fields[8...]
        var relatedAddress: String?
        var relatedPort: UInt16?
        if rest.count >= 2, rest.first == "raddr" {
            relatedAddress = rest[rest.startIndex + 1]
            rest = rest.dropFirst(2)
        }
        if rest.count >= 2, rest.first == "rport" {
            guard let parsed = Lex.decimal(rest[rest.startIndex + 1], as: UInt16.self) else { return nil }
            relatedPort = parsed
            rest = rest.dropFirst(2)
        }
        guard rest.count % 2 == 0 else { return nil }
        var extensions: [Extension] = []
        var index = rest.startIndex
        while index < rest.endIndex {
            extensions.append(Extension(name: rest[index], value: rest[index + 1]))
            index += 2
        }
        self.init(
            foundation: fields[0], component: component, transport: fields[2], priority: priority,
            address: fields[4], port: port, type: CandidateType(rawValue: fields[7]), relatedAddress: relatedAddress,
            relatedPort: relatedPort, extensions: extensions)
    }

    public var attributeValue: String {
        var fields = [
            foundation, String(component), transport, String(priority), address, String(port), "typ", type.rawValue,
        ]
        if let relatedAddress { fields += ["raddr", relatedAddress] }
        if let relatedPort { fields += ["rport", String(relatedPort)] }
        for item in extensions { fields += [item.name, item.value] }
        return fields.joined(separator: " ")
    }
}

/// `a=remote-candidates` (RFC 8839 §5.2): the candidates the controlling agent selected, `<component> <address>
/// <port>` repeated.
public struct RemoteCandidates: SDPAttributeValue {
    public static let attributeName = "remote-candidates"

    public struct Candidate: Hashable, Sendable {
        public var component: UInt16
        public var address: String
        public var port: UInt16

        public init(component: UInt16, address: String, port: UInt16) {
            self.component = component
            self.address = address
            self.port = port
        }
    }

    public var candidates: [Candidate]

    public init(candidates: [Candidate]) { self.candidates = candidates }

    public init?(attributeValue: String) {
        let fields = Lex.fields(attributeValue)
        guard !fields.isEmpty, fields.count % 3 == 0 else { return nil }
        var candidates: [Candidate] = []
        for start in stride(from: 0, to: fields.count, by: 3) {
            guard let component = Lex.decimal(fields[start], as: UInt16.self),
                let port = Lex.decimal(fields[start + 2], as: UInt16.self)
            else { return nil }
            candidates.append(Candidate(component: component, address: fields[start + 1], port: port))
        }
        self.init(candidates: candidates)
    }

    public var attributeValue: String {
        candidates.map { "\($0.component) \($0.address) \($0.port)" }.joined(separator: " ")
    }
}
