import SIPMessage
import Yams

extension PolicyReader {
    static let peerKeys = [
        "realm", "addresses", "port", "transport", "trust", "credentials", "next_hop", "limits", "numbering",
        "topology", "normalize", "codecs", "srtp", "sanity",
    ]

    struct ReadPeer {
        var peer: Peer
        var addressNodes: [Node]
    }

    static func readPeers(_ yaml: Node, realms: [ReadRealm], reader: inout YAMLReader) -> [ReadPeer]? {
        guard let named = reader.namedEntries(yaml, "peers") else { return nil }
        var peers: [ReadPeer] = []
        for (name, keyNode, value) in named {
            guard isValidName(name) else {
                reader.report(.badName, "peer name '\(name)' must be letters, digits, '-' and '_'", at: keyNode)
                continue
            }
            if let peer = readPeer(name, keyNode: keyNode, value, realms: realms, reader: &reader) {
                peers.append(peer)
            }
        }
        checkPeerAddresses(peers, reader: &reader)
        checkNormalizationPeers(yaml, known: Set(named.map(\.name)), reader: &reader)
        return peers
    }

    static func readPeer(
        _ name: String, keyNode: Node, _ yaml: Node, realms: [ReadRealm], reader: inout YAMLReader
    ) -> ReadPeer? {
        let what = "peer '\(name)'"
        guard let entries = reader.mapping(yaml, what, allowed: peerKeys, required: ["realm"]) else { return nil }

        var realm: Realm?
        if let node = entries["realm"], let realmName = reader.string(node, "\(what) realm") {
            realm = realms.first { $0.realm.name == realmName }?.realm
            if realm == nil {
                let known = realms.map(\.realm.name).joined(separator: ", ")
                reader.report(
                    .unknownRealm, "\(what): realm '\(realmName)' is not defined (realms: \(known))", at: node)
            }
        }
        var addresses: [PeerAddress] = []
        var addressNodes: [Node] = []
        if let node = entries["addresses"], let items = reader.sequence(node, "\(what) addresses") {
            for item in items {
                guard let text = reader.string(item, "a peer address") else { continue }
                switch parsePeerAddress(text) {
                case .success(let address):
                    addresses.append(address)
                    addressNodes.append(item)
                case .failure(let problem):
                    reader.report(problem.code, "\(what) address '\(text)': \(problem.message)", at: item)
                }
            }
        }
        let port = entries["port"].flatMap { reader.integer($0, "\(what) port", in: 1...65_535) }
        var transport = SIPTransport.udp
        if let node = entries["transport"], let text = reader.string(node, "\(what) transport") {
            if let value = SIPTransport(rawValue: text) {
                transport = value
            } else {
                reader.report(.badValue, "\(what) transport '\(text)' is not one of udp, tcp, tls", at: node)
            }
        }
        var trust = PeerTrust.untrusted
        if let node = entries["trust"], let text = reader.string(node, "\(what) trust") {
            if let value = PeerTrust(rawValue: text) {
                trust = value
            } else {
                reader.report(.badValue, "\(what) trust '\(text)' is not one of trusted, untrusted", at: node)
            }
        }
        let credentials = entries["credentials"].flatMap { readCredentials($0, peer: name, reader: &reader) }
        let nextHop = entries["next_hop"].flatMap { readNextHop($0, "\(what) next_hop", reader: &reader) }
        let limits =
            entries["limits"].flatMap {
                readTrafficLimits($0, "\(what) limits", allowsConcurrency: true, reader: &reader)
            } ?? TrafficLimits()
        let numbering = entries["numbering"].flatMap { readNumbering($0, peer: name, reader: &reader) }
        let topology =
            entries["topology"].flatMap { readTopology($0, peer: name, reader: &reader) } ?? TopologySettings()
        let normalization = entries["normalize"].flatMap { readNormalization($0, peer: name, reader: &reader) }
        let codecs = entries["codecs"].flatMap { reader.stringOrList($0, "\(what) codecs") }.map { items in
            Set(items.map { $0.0.uppercased() })
        }

        let srtp = entries["srtp"].flatMap { readSRTP($0, "\(what) srtp", reader: &reader) }
        let sanity = entries["sanity"].flatMap { readSanityOverride($0, "\(what) sanity", reader: &reader) }

        if entries["addresses"] == nil && entries["credentials"] == nil {
            reader.report(
                .missingKey, "\(what) needs 'addresses' (or 'credentials', for a trunk known by its registration)",
                at: yaml)
        }
        if let realm, !realm.listeners.isEmpty, !realm.listeners.contains(where: { $0.transport == transport }) {
            let served = Set(realm.listeners.map(\.transport.rawValue)).sorted().joined(separator: ", ")
            reader.report(
                .transportNotServed,
                "\(what) uses \(transport) but realm '\(realm.name)' listens only on \(served)",
                at: entries["transport"] ?? keyNode)
        }
        guard let realm else { return nil }
        var peer = Peer(
            name: name, realm: realm.name, addresses: addresses, port: port, transport: transport, trust: trust,
            credentials: credentials, nextHop: nextHop, limits: limits, numbering: numbering, topology: topology,
            normalization: normalization ?? PeerNormalization())
        peer.codecs = codecs
        peer.srtp = srtp
        peer.sanity = sanity
        return ReadPeer(peer: peer, addressNodes: addressNodes)
    }

    static func readCredentials(_ yaml: Node, peer: String, reader: inout YAMLReader) -> PeerCredentials? {
        let what = "peer '\(peer)' credentials"
        guard
            let entries = reader.mapping(
                yaml, what, allowed: ["username", "password", "ha1", "realm"], required: ["username"])
        else { return nil }
        let username = entries["username"].flatMap { reader.string($0, "\(what) username") }
        let realm = entries["realm"].flatMap { reader.string($0, "\(what) realm") }
        var secret: PeerCredentials.Secret?
        switch (entries["password"], entries["ha1"]) {
        case (nil, nil):
            reader.report(.badCredentials, "\(what) need one of 'password' and 'ha1'", at: yaml)
        case (.some, .some):
            reader.report(.badCredentials, "\(what) take 'password' or 'ha1', not both", at: entries["ha1"])
        case (let node?, nil):
            if let password = reader.string(node, "\(what) password") {
                if password.isEmpty {
                    reader.report(.badCredentials, "\(what) password is empty", at: node)
                } else {
                    secret = .password(password)
                }
            }
        case (nil, let node?):
            if let ha1 = reader.string(node, "\(what) ha1") {
                if (ha1.count == 32 || ha1.count == 64) && ha1.allSatisfy(\.isHexDigit) {
                    secret = .ha1(ha1.lowercased())
                } else {
                    reader.report(
                        .badCredentials, "\(what) ha1 must be 32 (MD5) or 64 (SHA-256) hex digits", at: node)
                }
                if realm == nil {
                    reader.report(
                        .missingKey, "\(what): an ha1 is bound to one digest realm, so 'realm' is required", at: yaml)
                }
            }
        }
        guard let username, let secret else { return nil }
        if username.isEmpty {
            reader.report(.badCredentials, "\(what) username is empty", at: entries["username"])
            return nil
        }
        return PeerCredentials(username: username, secret: secret, realm: realm)
    }

    /// A `sip:` URI with an optional `transport` of udp, tcp or tls.
    static func readNextHop(_ yaml: Node, _ what: String, reader: inout YAMLReader) -> SIPURI? {
        guard let text = reader.string(yaml, what) else { return nil }
        let uri: SIPURI
        do {
            uri = try SIPURI(parsing: text)
        } catch {
            reader.report(.badURI, "\(what) '\(text)' is not a SIP URI: \(error.detail)", at: yaml)
            return nil
        }
        if let transport = uri.transport, SIPTransport(rawValue: transport.lowercased()) == nil {
            reader.report(.badURI, "\(what) transport '\(transport)' is not one of udp, tcp, tls", at: yaml)
            return nil
        }
        return uri
    }

    /// Whether a call can be sent to the peer: a single address, a `next_hop`, or credentials to register with.
    /// Route and ENUM targets must have one (`no-destination`).
    static func hasDestination(_ peer: Peer) -> Bool {
        !peer.signallingEndpoints.isEmpty || peer.nextHop != nil || peer.credentials != nil
    }

    /// Within a realm an address block belongs to one peer: a source address must name one peer. Blocks of
    /// different lengths may overlap; the longest prefix wins.
    static func checkPeerAddresses(_ peers: [ReadPeer], reader: inout YAMLReader) {
        var owners: [String: [IPPrefix: String]] = [:]
        for read in peers {
            for (address, node) in zip(read.peer.addresses, read.addressNodes) {
                if let other = owners[read.peer.realm]?[address.prefix] {
                    let owner = other == read.peer.name ? "this peer" : "peer '\(other)'"
                    reader.report(
                        .duplicatePeerAddress,
                        "\(address.prefix) already belongs to \(owner) in realm '\(read.peer.realm)'", at: node)
                } else {
                    owners[read.peer.realm, default: [:]][address.prefix] = read.peer.name
                }
            }
        }
    }

    struct AddressProblem: Error {
        var code: PolicyDiagnostic.Code
        var message: String
    }

    /// `198.51.100.7`, `198.51.100.0/24`, `2001:db8::/64`, `127.0.0.2:5070`, `[2001:db8::5]:5060`.
    static func parsePeerAddress(_ text: String) -> Result<PeerAddress, AddressProblem> {
        if let slash = text.firstIndex(of: "/") {
            let addressText = String(text[..<slash])
            let lengthText = text[text.index(after: slash)...]
            guard let address = IPAddress(parsing: addressText), !addressText.hasPrefix("[") else {
                return .failure(AddressProblem(code: .badAddress, message: "'\(addressText)' is not an IP address"))
            }
            guard let length = Int(lengthText), (0...address.bitWidth).contains(length) else {
                return .failure(
                    AddressProblem(
                        code: .badPrefixLength,
                        message: "the prefix length must be 0 to \(address.bitWidth), not '\(lengthText)'"))
            }
            guard let prefix = IPPrefix(network: address, length: length) else {
                let network = IPPrefix.masked(address, to: length)
                return .failure(
                    AddressProblem(
                        code: .badPrefixLength,
                        message: "bits are set after the first \(length); did you mean \(network)/\(length)?"))
            }
            return .success(PeerAddress(prefix: prefix))
        }
        if !text.hasPrefix("["), let address = IPAddress(parsing: text) {
            return .success(PeerAddress(prefix: IPPrefix(address: address)))
        }
        switch parseHostPort(text) {
        case .success(let hostPort):
            guard let address = IPAddress(parsing: hostPort.host) else {
                return .failure(AddressProblem(code: .badAddress, message: "'\(hostPort.host)' is not an IP address"))
            }
            return .success(PeerAddress(prefix: IPPrefix(address: address), port: hostPort.port))
        case .failure(let problem):
            let message =
                text.contains(":") || text.contains("[")
                ? problem.message : "write an IP address, ADDRESS/LENGTH or ADDRESS:PORT"
            return .failure(AddressProblem(code: .badAddress, message: message))
        }
    }
}
