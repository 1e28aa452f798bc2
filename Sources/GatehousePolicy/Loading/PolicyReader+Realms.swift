import SIPMessage
import Yams

extension PolicyReader {
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
                    value, "realm '\(name)'", allowed: ["listen", "media", "tls", "limits", "nat", "sanity"],
                    required: ["listen"]
                )
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
            let tls = entries["tls"].flatMap { readTLS($0, realm: name, reader: &reader) }
            let limits =
                entries["limits"].flatMap {
                    readTrafficLimits($0, "realm '\(name)' limits", allowsConcurrency: false, reader: &reader)
                } ?? TrafficLimits()
            let nat = entries["nat"].map { readNAT($0, realm: name, reader: &reader) } ?? NATSettings()
            let sanity = entries["sanity"].flatMap { readSanityOverride($0, "realm '\(name)' sanity", reader: &reader) }
            checkTLS(
                realm: name, listeners: Array(zip(listeners, listenerNodes)), tlsNode: entries["tls"], reader: &reader)
            var realm = Realm(name: name, listeners: listeners, media: media, tls: tls, limits: limits, nat: nat)
            realm.sanity = sanity
            realms.append(ReadRealm(realm: realm, listenerNodes: listenerNodes, mediaNode: entries["media"]))
        }
        return realms
    }

    static func readMedia(_ yaml: Node, realm: String, reader: inout YAMLReader) -> MediaSettings? {
        guard
            let entries = reader.mapping(
                yaml, "realm '\(realm)' media", allowed: ["address", "ports", "timeout", "latching", "srtp"],
                required: ["address", "ports"]),
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
        var settings = MediaSettings(address: host, ports: low...high)
        if let node = entries["timeout"] {
            guard let timeout = reader.duration(node, "media.timeout", in: .seconds(1)...Duration.seconds(3600))
            else { return nil }
            settings.timeout = timeout
        }
        if let node = entries["latching"] {
            guard let text = reader.string(node, "media.latching") else { return nil }
            guard let latching = MediaSettings.Latching(rawValue: text) else {
                reader.report(.badValue, "media.latching must be any or signalled, not '\(text)'", at: node)
                return nil
            }
            settings.latching = latching
        }
        if let node = entries["srtp"] {
            guard let srtp = readSRTP(node, "realm '\(realm)' media.srtp", reader: &reader) else { return nil }
            settings.srtp = srtp
        }
        return settings
    }

    static func readTLS(_ yaml: Node, realm: String, reader: inout YAMLReader) -> RealmTLSSettings? {
        let what = "realm '\(realm)' tls"
        guard
            let entries = reader.mapping(
                yaml, what, allowed: ["certificate", "key", "client_cas", "require_client_certificate"],
                required: ["certificate", "key"])
        else { return nil }
        func path(_ key: String) -> String? {
            guard let node = entries[key], let text = reader.string(node, "\(what).\(key)") else { return nil }
            guard !text.isEmpty else {
                reader.report(.badValue, "\(what).\(key) must be a file path", at: node)
                return nil
            }
            return text
        }
        let certificate = path("certificate")
        let key = path("key")
        let clientCAs = path("client_cas")
        var required = false
        if let node = entries["require_client_certificate"],
            let value = reader.boolean(node, "\(what).require_client_certificate")
        {
            required = value
            if value && entries["client_cas"] == nil {
                reader.report(
                    .missingKey, "\(what): require_client_certificate needs client_cas (the CAs to trust)", at: node)
            }
        }
        guard let certificate, let key else { return nil }
        return RealmTLSSettings(
            certificate: certificate, key: key, clientCAs: clientCAs, requireClientCertificate: required)
    }

    /// TLS settings go with `tls://` listeners: required by the first, an error without one.
    static func checkTLS(
        realm: String, listeners: [(SIPEndpoint, Node)], tlsNode: Node?, reader: inout YAMLReader
    ) {
        let tlsListener = listeners.first { $0.0.transport == .tls }
        if let (listener, node) = tlsListener, tlsNode == nil {
            reader.report(
                .missingTLS, "\(listener) needs realm '\(realm)' to have tls settings (certificate, key)", at: node)
        }
        if let tlsNode, tlsListener == nil {
            reader.report(
                .unusedTLS, "realm '\(realm)' has tls settings but no tls:// listener to use them", at: tlsNode)
        }
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
}
