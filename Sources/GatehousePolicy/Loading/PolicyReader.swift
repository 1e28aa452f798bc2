import SIPMessage
import Yams

/// The schema of a policy file, read top-down: one function per section, each returning its model value or nil
/// after reporting what is wrong. `policies/README.md` documents every key read here.
enum PolicyReader {
    static let topLevelKeys = ["version", "node", "admin", "sip_limits", "realms"]

    static func read(_ root: Node, reader: inout YAMLReader) -> Policy? {
        guard
            let top = reader.mapping(
                root, "the policy", allowed: topLevelKeys, required: ["version", "node", "realms"])
        else { return nil }

        var version: Int?
        if let node = top["version"], let value = reader.integer(node, "version", in: 0...Int.max) {
            if value == 1 {
                version = value
            } else {
                reader.report(
                    .unsupportedVersion, "policy version \(value) is not supported (this build reads version 1)",
                    at: node)
            }
        }
        let node = top["node"].flatMap { readNode($0, reader: &reader) }
        let admin = top["admin"].flatMap { readAdmin($0, reader: &reader) }
        let limits = top["sip_limits"].map { readLimits($0, reader: &reader) } ?? SIPLimits()
        let realms = top["realms"].flatMap { readRealms($0, reader: &reader) }
        if let realms { checkCrossRealm(realms, reader: &reader) }

        guard let version, let node, let realms else { return nil }
        return Policy(version: version, node: node, admin: admin, sipLimits: limits, realms: realms.map(\.realm))
    }

    // MARK: node, admin, limits

    static func readNode(_ yaml: Node, reader: inout YAMLReader) -> NodeSettings? {
        guard let entries = reader.mapping(yaml, "node", allowed: ["name", "state"], required: ["name"]),
            let nameNode = entries["name"], let name = reader.string(nameNode, "node.name")
        else { return nil }
        guard isValidName(name) else {
            reader.report(.badName, "node.name '\(name)' must be letters, digits, '-' and '_'", at: nameNode)
            return nil
        }
        var settings = NodeSettings(name: name)
        if let stateNode = entries["state"], let state = reader.string(stateNode, "node.state") {
            if state.hasPrefix("sqlite:") && state.count > "sqlite:".count {
                settings.state = state
            } else {
                reader.report(.badValue, "node.state must be 'sqlite:PATH' (PostgreSQL URLs come later)", at: stateNode)
            }
        }
        return settings
    }

    static func readAdmin(_ yaml: Node, reader: inout YAMLReader) -> AdminSettings? {
        guard let entries = reader.mapping(yaml, "admin", allowed: ["listen"], required: ["listen"]),
            let listenNode = entries["listen"], let text = reader.string(listenNode, "admin.listen")
        else { return nil }
        switch parseHostPort(text) {
        case .success(let address):
            return AdminSettings(host: address.host, port: address.port)
        case .failure(let problem):
            reader.report(.badAddress, "admin.listen '\(text)': \(problem.message)", at: listenNode)
            return nil
        }
    }

    static func readLimits(_ yaml: Node, reader: inout YAMLReader) -> SIPLimits {
        var limits = SIPLimits()
        let keys: [(String, WritableKeyPath<SIPLimits, Int>, ClosedRange<Int>)] = [
            ("max_message_size", \.maxMessageSize, 512...1_048_576),
            ("max_header_section_size", \.maxHeaderSectionSize, 512...1_048_576),
            ("max_header_count", \.maxHeaderCount, 8...4_096),
            ("max_header_length", \.maxHeaderLength, 64...65_536),
            ("max_request_uri_length", \.maxRequestURILength, 32...65_536),
            ("max_via_count", \.maxViaCount, 1...256),
            ("max_body_size", \.maxBodySize, 0...1_048_576),
        ]
        guard let entries = reader.mapping(yaml, "sip_limits", allowed: keys.map(\.0)) else { return limits }
        for (key, path, range) in keys {
            if let node = entries[key], let value = reader.integer(node, "sip_limits.\(key)", in: range) {
                limits[keyPath: path] = value
            }
        }
        return limits
    }

    // MARK: realms

    struct ReadRealm {
        var realm: Realm
        var listenerNodes: [Node]
        var mediaNode: Node?
    }

    static func readRealms(_ yaml: Node, reader: inout YAMLReader) -> [ReadRealm]? {
        guard let named = reader.namedEntries(yaml, "realms") else { return nil }
        if named.isEmpty { reader.report(.missingKey, "realms must define at least one realm", at: yaml) }
        var realms: [ReadRealm] = []
        for (name, keyNode, value) in named {
            guard isValidName(name) else {
                reader.report(.badName, "realm name '\(name)' must be letters, digits, '-' and '_'", at: keyNode)
                continue
            }
            guard
                let entries = reader.mapping(
                    value, "realm '\(name)'", allowed: ["listen", "media"], required: ["listen"])
            else { continue }
            var listeners: [SIPEndpoint] = []
            var listenerNodes: [Node] = []
            if let listenNode = entries["listen"], let items = reader.sequence(listenNode, "realm '\(name)' listen") {
                if items.isEmpty { reader.report(.missingKey, "realm '\(name)' must listen somewhere", at: listenNode) }
                for item in items {
                    guard let text = reader.string(item, "a listener") else { continue }
                    switch parseListener(text) {
                    case .success(let listener):
                        listeners.append(listener)
                        listenerNodes.append(item)
                    case .failure(let problem):
                        reader.report(.badListener, "'\(text)': \(problem.message)", at: item)
                    }
                }
            }
            let media = entries["media"].flatMap { readMedia($0, realm: name, reader: &reader) }
            realms.append(
                ReadRealm(
                    realm: Realm(name: name, listeners: listeners, media: media), listenerNodes: listenerNodes,
                    mediaNode: entries["media"]))
        }
        return realms
    }

    static func readMedia(_ yaml: Node, realm: String, reader: inout YAMLReader) -> MediaSettings? {
        guard
            let entries = reader.mapping(
                yaml, "realm '\(realm)' media", allowed: ["address", "ports"], required: ["address", "ports"]),
            let addressNode = entries["address"], let address = reader.string(addressNode, "media.address"),
            let portsNode = entries["ports"], let portsText = reader.string(portsNode, "media.ports")
        else { return nil }
        guard let host = parseIPLiteral(address) else {
            reader.report(.badAddress, "media.address must be an IP address, not '\(address)'", at: addressNode)
            return nil
        }
        let bounds = portsText.split(separator: "-", omittingEmptySubsequences: false)
        guard bounds.count == 2, let low = Int(bounds[0]), let high = Int(bounds[1]), low >= 1024, high <= 65_535,
            high - low >= 3
        else {
            reader.report(
                .badPortRange,
                "media.ports must be 'LOW-HIGH' within 1024-65535 with room for two streams, not '\(portsText)'",
                at: portsNode)
            return nil
        }
        return MediaSettings(address: host, ports: low...high)
    }

    /// Two realms may not bind the same listener, nor hand out the same media ports on one address.
    static func checkCrossRealm(_ realms: [ReadRealm], reader: inout YAMLReader) {
        var seenListeners: [SIPEndpoint: String] = [:]
        for realm in realms {
            for (listener, node) in zip(realm.realm.listeners, realm.listenerNodes) {
                if let other = seenListeners[listener] {
                    let owner = other == realm.realm.name ? "this realm" : "realm '\(other)'"
                    reader.report(.duplicateListener, "\(listener) is already a listener of \(owner)", at: node)
                } else {
                    seenListeners[listener] = realm.realm.name
                }
            }
        }
        for (index, realm) in realms.enumerated() {
            guard let media = realm.realm.media else { continue }
            for other in realms[..<index] {
                guard let otherMedia = other.realm.media, otherMedia.address == media.address,
                    otherMedia.ports.overlaps(media.ports)
                else { continue }
                reader.report(
                    .overlappingPortRange,
                    "media ports \(media.ports.lowerBound)-\(media.ports.upperBound) overlap realm '\(other.realm.name)' on \(media.address)",
                    at: realm.mediaNode)
            }
        }
    }

    // MARK: Small parsers

    static func isValidName(_ name: String) -> Bool {
        !name.isEmpty && name.utf8.count <= 64
            && name.utf8.allSatisfy {
                $0 == UInt8(ascii: "-") || $0 == UInt8(ascii: "_")
                    || ($0 < 0x80 && Character(UnicodeScalar($0)).isLetter) || ($0 >= 0x30 && $0 <= 0x39)
            }
    }

    struct ListenerProblem: Error {
        var message: String
    }

    /// `udp://127.0.0.10:5060`, `tcp://[::1]:5060`.
    static func parseListener(_ text: String) -> Result<SIPEndpoint, ListenerProblem> {
        guard let schemeEnd = text.range(of: "://") else {
            return .failure(ListenerProblem(message: "a listener is written TRANSPORT://ADDRESS:PORT"))
        }
        let scheme = String(text[..<schemeEnd.lowerBound]).lowercased()
        guard let transport = SIPTransport(rawValue: scheme) else {
            return .failure(ListenerProblem(message: "transport '\(scheme)' is not one of udp, tcp, tls"))
        }
        return parseHostPort(String(text[schemeEnd.upperBound...])).map {
            SIPEndpoint(transport: transport, host: $0.host, port: $0.port)
        }
    }

    /// `IP:PORT` or `[IPv6]:PORT`; the port is required. Names are refused: a listener binds an address.
    static func parseHostPort(_ text: String) -> Result<(host: String, port: Int), ListenerProblem> {
        let hostPart: Substring
        let portPart: Substring
        if text.hasPrefix("[") {
            guard let close = text.firstIndex(of: "]"), text[text.index(after: close)...].hasPrefix(":") else {
                return .failure(ListenerProblem(message: "an IPv6 address is written [ADDRESS]:PORT"))
            }
            hostPart = text[text.index(after: text.startIndex)..<close]
            portPart = text[text.index(close, offsetBy: 2)...]
        } else {
            guard let colon = text.lastIndex(of: ":") else {
                return .failure(ListenerProblem(message: "the port is missing (ADDRESS:PORT)"))
            }
            hostPart = text[..<colon]
            portPart = text[text.index(after: colon)...]
            if hostPart.contains(":") {
                return .failure(ListenerProblem(message: "an IPv6 address must be in brackets: [ADDRESS]:PORT"))
            }
        }
        guard let host = parseIPLiteral(String(hostPart)) else {
            return .failure(
                ListenerProblem(message: "'\(hostPart)' is not an IP address (listeners bind addresses, not names)"))
        }
        guard let port = Int(portPart), (1...65_535).contains(port) else {
            return .failure(ListenerProblem(message: "port '\(portPart)' is not a number from 1 to 65535"))
        }
        return .success((host, port))
    }

    /// An IPv4 or IPv6 literal (IPv6 without brackets), returned as written.
    static func parseIPLiteral(_ text: String) -> String? {
        if (try? IPv4Address(parsing: text)) != nil { return text }
        if (try? IPv6Address(parsing: text)) != nil { return text }
        return nil
    }
}
