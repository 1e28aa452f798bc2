import SIPMessage
import Yams

/// The schema of a policy file, read top-down: one function per section, each returning its model value or nil
/// after reporting what is wrong. `policies/README.md` documents every key read here.
enum PolicyReader {
    static let topLevelKeys = [
        "version", "node", "admin", "sip_limits", "realms", "peers", "routes", "ims", "timers", "limits", "dns",
        "admission", "enum", "sanity", "firewall", "detection", "capture", "mrf", "pcf", "cdr",
    ]

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
        // Peers and routes refer to realms (and routes to peers): they are checked against what was read, so a
        // broken realm does not also make every peer of it an error.
        let realmNames = Set(realms?.map(\.realm.name) ?? [])
        let peers = top["peers"].flatMap { readPeers($0, realms: realms ?? [], reader: &reader) } ?? []
        let ims = top["ims"].flatMap { readIMS($0, peers: peers, reader: &reader) }
        let mrf = top["mrf"].flatMap { readMRF($0, reader: &reader) }
        let routes =
            top["routes"].flatMap {
                readRoutes(
                    $0, context: RouteContext(realms: realmNames, peers: peers, hasIMS: ims != nil, mrf: mrf),
                    reader: &reader)
            } ?? []
        let timers = top["timers"].map { readTimers($0, reader: &reader) } ?? TimerSettings()
        let nodeLimits = top["limits"].map { readNodeLimits($0, reader: &reader) } ?? NodeLimits()
        let dns = top["dns"].map { readDNS($0, reader: &reader) } ?? DNSSettings()
        let admission = top["admission"].map { readAdmission($0, reader: &reader) } ?? AdmissionSettings()
        let enumSettings = top["enum"].map { readENUM($0, peers: peers, reader: &reader) } ?? ENUMSettings()
        let sanity = top["sanity"].map { readSanity($0, reader: &reader) } ?? SanitySettings()
        let firewall = top["firewall"].flatMap { readFirewall($0, reader: &reader) }
        let detection = top["detection"].map { readDetection($0, reader: &reader) } ?? DetectionSettings()
        let capture = top["capture"].flatMap { readCapture($0, reader: &reader) }
        let policyControl =
            top["pcf"].map {
                readPolicyControl($0, realms: realmNames, peers: Set(peers.map(\.peer.name)), reader: &reader)
            } ?? PolicyControlSettings()
        let cdr = top["cdr"].map { readCDR($0, reader: &reader) } ?? CDRSettings()

        guard let version, let node, let realms else { return nil }
        return Policy(
            version: version, node: node, admin: admin, sipLimits: limits, realms: realms.map(\.realm),
            peers: peers.map(\.peer), routes: RouteTable(routes: routes), ims: ims, timers: timers,
            limits: nodeLimits, dns: dns, admission: admission, enumSettings: enumSettings, sanity: sanity,
            firewall: firewall, detection: detection, capture: capture, mrf: mrf, policyControl: policyControl,
            cdr: cdr)
    }

    // MARK: node, admin, limits

    static func readNode(_ yaml: Node, reader: inout YAMLReader) -> NodeSettings? {
        guard
            let entries = reader.mapping(
                yaml, "node", allowed: ["name", "state", "log_level", "drain_timeout"], required: ["name"]),
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
        if let levelNode = entries["log_level"], let text = reader.string(levelNode, "node.log_level") {
            if let level = NodeSettings.LogLevel(rawValue: text) {
                settings.logLevel = level
            } else {
                let names = NodeSettings.LogLevel.allCases.map(\.rawValue).joined(separator: ", ")
                reader.report(.badValue, "node.log_level '\(text)' is not one of \(names)", at: levelNode)
            }
        }
        if let drainNode = entries["drain_timeout"],
            let timeout = reader.duration(drainNode, "node.drain_timeout", in: .zero ... .seconds(3600))
        {
            settings.drainTimeout = timeout
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
}
