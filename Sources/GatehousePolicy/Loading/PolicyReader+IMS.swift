import SIPMessage
import Yams

extension PolicyReader {
    /// The keys of the embedded core; with `next_hop` (an external core) they are errors, not ignored.
    static let embeddedIMSKeys = [
        "pcscf", "scscf", "registration", "authentication", "reg_event", "subscribers", "emergency",
    ]

    /// The largest Expires value (RFC 3261 §20.19: 2³² − 1 seconds), and the largest S-CSCF capability (a
    /// Diameter Unsigned32, TS 29.228 §6.3.6).
    static let largestUnsigned32 = 4_294_967_295

    /// `ims: { domain, next_hop }` for an external core, or `ims: { domain, hss: embedded, … }` for the core in
    /// this process.
    static func readIMS(_ yaml: Node, peers: [ReadPeer] = [], reader: inout YAMLReader) -> IMSSettings? {
        guard
            let entries = reader.mapping(
                yaml, "ims", allowed: ["domain", "next_hop", "hss"] + embeddedIMSKeys, required: ["domain"])
        else { return nil }
        var domain: String?
        if let node = entries["domain"], let text = reader.string(node, "ims.domain") {
            if case .name = try? Host(parsing: text) {
                domain = text
            } else {
                reader.report(.badValue, "ims.domain '\(text)' must be a domain name", at: node)
            }
        }
        let core: IMSCore?
        switch (entries["next_hop"], entries["hss"]) {
        case (nil, nil):
            reader.report(
                .missingKey, "ims needs 'next_hop' (an external core) or 'hss: embedded' (the core in this process)",
                at: yaml)
            core = nil
        case (.some, let hss?):
            reader.report(
                .conflictingKeys, "ims takes 'next_hop' (an external core) or 'hss: embedded', not both", at: hss)
            core = nil
        case (let node?, nil):
            for key in embeddedIMSKeys {
                guard let keyed = entries[key] else { continue }
                reader.report(
                    .conflictingKeys, "ims.\(key) is a setting of the embedded core (hss: embedded), not of next_hop",
                    at: keyed)
            }
            core = readNextHop(node, "ims.next_hop", reader: &reader).map(IMSCore.external)
        case (nil, let node?):
            // A broken domain is reported once; the rest is still checked against a stand-in.
            core = readEmbeddedIMS(
                entries, hss: node, domain: domain ?? "ims.invalid", peers: peers, reader: &reader
            )
            .map(IMSCore.embedded)
        }
        guard let domain, let core else { return nil }
        return IMSSettings(domain: domain, core: core)
    }

    static func readEmbeddedIMS(
        _ entries: [String: Node], hss: Node, domain: String, peers: [ReadPeer] = [], reader: inout YAMLReader
    ) -> EmbeddedIMSSettings? {
        var valid = true
        if let text = reader.string(hss, "ims.hss"), text != "embedded" {
            reader.report(
                .badValue, "ims.hss '\(text)' must be 'embedded' (the HSS in this process), or use next_hop", at: hss)
            valid = false
        }
        var settings = EmbeddedIMSSettings(domain: domain)
        if let node = entries["pcscf"] {
            if let uri = readNextHop(node, "ims.pcscf", reader: &reader) { settings.pcscf = uri } else { valid = false }
        }
        var scscfsAreValid = true
        if let node = entries["scscf"] {
            if let scscfs = readSCSCFs(node, reader: &reader) {
                settings.scscfs = scscfs
            } else {
                scscfsAreValid = false
            }
        }
        if let node = entries["registration"] {
            settings.registration = readExpiry(
                node, "ims.registration", defaults: EmbeddedIMSSettings.defaultRegistration, reader: &reader)
        }
        if let node = entries["reg_event"] {
            settings.regEvent = readExpiry(
                node, "ims.reg_event", defaults: EmbeddedIMSSettings.defaultRegEvent, reader: &reader)
        }
        if let node = entries["authentication"] {
            settings.authentication = readIMSAuthentication(node, reader: &reader)
        }
        if let node = entries["emergency"] {
            if let target = readEmergencyTarget(node, peers: peers, reader: &reader) {
                settings.emergency = target
            } else {
                valid = false
            }
        }
        if let node = entries["subscribers"] {
            let subscribers = readSubscribers(node, "ims.subscribers", digestRealm: domain, reader: &reader)
            settings.subscribers = subscribers.map(\.subscriber)
            if scscfsAreValid { checkCapabilities(of: subscribers, servedBy: settings.scscfs, reader: &reader) }
        }
        return valid && scscfsAreValid ? settings : nil
    }

    /// `scscf: [ "sip:scscf.example", { name: "sip:…", capabilities: [1, 2] } ]`: at least one, no name twice.
    static func readSCSCFs(_ yaml: Node, reader: inout YAMLReader) -> [SCSCFSettings]? {
        guard let items = reader.sequence(yaml, "ims.scscf") else { return nil }
        guard !items.isEmpty else {
            reader.report(
                .badValue, "ims.scscf must list at least one S-CSCF (or be left out for the default)", at: yaml)
            return nil
        }
        var scscfs: [SCSCFSettings] = []
        var valid = true
        for item in items {
            var nameNode = item
            var capabilities: [Int] = []
            if case .mapping = item {
                guard
                    let entries = reader.mapping(
                        item, "an ims.scscf entry", allowed: ["name", "capabilities"], required: ["name"]),
                    let node = entries["name"]
                else {
                    valid = false
                    continue
                }
                nameNode = node
                if let node = entries["capabilities"] {
                    capabilities = readCapabilityList(node, "ims.scscf capabilities", reader: &reader) ?? []
                }
            }
            guard let name = readNextHop(nameNode, "ims.scscf name", reader: &reader) else {
                valid = false
                continue
            }
            if scscfs.contains(where: { $0.name == name }) {
                reader.report(.badValue, "S-CSCF \(name) is listed twice in ims.scscf", at: nameNode)
                valid = false
            }
            scscfs.append(SCSCFSettings(name: name, capabilities: capabilities))
        }
        return valid ? scscfs : nil
    }

    /// A list of S-CSCF capabilities: whole numbers 0 … 2³² − 1, none twice.
    static func readCapabilityList(_ yaml: Node, _ what: String, reader: inout YAMLReader) -> [Int]? {
        guard let items = reader.sequence(yaml, what) else { return nil }
        var capabilities: [Int] = []
        for item in items {
            guard let value = reader.integer(item, "\(what) entry", in: 0...largestUnsigned32) else { continue }
            if capabilities.contains(value) {
                reader.report(.badValue, "\(what): capability \(value) is listed twice", at: item)
            }
            capabilities.append(value)
        }
        return capabilities
    }

    /// `{ min_expires, default_expires, max_expires }`, each whole seconds, in that order of size.
    static func readExpiry(
        _ yaml: Node, _ what: String, defaults: ExpirySettings, reader: inout YAMLReader
    ) -> ExpirySettings {
        var settings = defaults
        let keys: [(String, WritableKeyPath<ExpirySettings, Duration>)] = [
            ("min_expires", \.minimumExpires), ("default_expires", \.defaultExpires),
            ("max_expires", \.maximumExpires),
        ]
        guard let entries = reader.mapping(yaml, what, allowed: keys.map(\.0)) else { return settings }
        var valid: Set<String> = []
        for (key, path) in keys {
            if let node = entries[key], let value = reader.seconds(node, "\(what).\(key)", in: 1...largestUnsigned32) {
                settings[keyPath: path] = value
                valid.insert(key)
            }
        }
        // Only an order that a value written here breaks is reported, at the key that breaks it.
        let pairs: [(String, Duration, String, Duration)] = [
            ("min_expires", settings.minimumExpires, "default_expires", settings.defaultExpires),
            ("default_expires", settings.defaultExpires, "max_expires", settings.maximumExpires),
        ]
        for (lowKey, low, highKey, high) in pairs where low > high {
            guard valid.contains(lowKey) || valid.contains(highKey) else { continue }
            reader.report(
                .badValue,
                "\(what).\(lowKey) (\(YAMLReader.format(low))) must not exceed \(highKey) (\(YAMLReader.format(high)))",
                at: valid.contains(highKey) ? entries[highKey] : entries[lowKey])
        }
        return settings
    }

    /// `{ challenge_lifetime: 30s, failures: { max: 5, window: 5m, block: 10m } }`.
    static func readIMSAuthentication(_ yaml: Node, reader: inout YAMLReader) -> IMSAuthenticationSettings {
        var settings = IMSAuthenticationSettings()
        let what = "ims.authentication"
        guard let entries = reader.mapping(yaml, what, allowed: ["challenge_lifetime", "failures"]) else {
            return settings
        }
        if let node = entries["challenge_lifetime"],
            let value = reader.duration(node, "\(what).challenge_lifetime", in: .seconds(1) ... .seconds(3600))
        {
            settings.challengeLifetime = value
        }
        guard let node = entries["failures"],
            let failures = reader.mapping(node, "\(what).failures", allowed: ["max", "window", "block"])
        else { return settings }
        if let node = failures["max"], let value = reader.integer(node, "\(what).failures.max", in: 1...1000) {
            settings.failures.maximum = value
        }
        if let node = failures["window"],
            let value = reader.duration(node, "\(what).failures.window", in: .seconds(1) ... .seconds(86_400))
        {
            settings.failures.window = value
        }
        if let node = failures["block"],
            let value = reader.duration(node, "\(what).failures.block", in: .seconds(1) ... .seconds(604_800))
        {
            settings.failures.blockDuration = value
        }
        return settings
    }

    /// A subscriber whose mandatory capabilities no S-CSCF offers could never be assigned one: its REGISTERs would
    /// all fail (TS 29.228 §6.7 leaves the I-CSCF nothing to choose).
    static func checkCapabilities(
        of subscribers: [ReadSubscriber], servedBy scscfs: [SCSCFSettings], reader: inout YAMLReader
    ) {
        for read in subscribers {
            let needed = read.subscriber.capabilities.mandatory
            guard !needed.isEmpty,
                !scscfs.contains(where: { scscf in needed.allSatisfy(scscf.capabilities.contains) })
            else { continue }
            let list = needed.map(String.init).joined(separator: ", ")
            reader.report(
                .unservedCapabilities,
                "subscriber '\(read.subscriber.privateIdentity)' needs capabilities [\(list)], which no S-CSCF of ims.scscf has together",
                at: read.capabilitiesNode ?? read.node)
        }
    }

    /// `emergency: peer:NAME` or `reject:STATUS[ REASON]`: where the P-CSCF sends `urn:service:sos…` calls
    /// (TS 24.229 §5.2.10). Not `ims` (the core is where they come from) nor `enum` (a URN has no number).
    static func readEmergencyTarget(_ yaml: Node, peers: [ReadPeer], reader: inout YAMLReader) -> RouteTarget? {
        let context = RouteContext(realms: [], peers: peers, hasIMS: true, mrf: nil)
        guard let target = readTarget(yaml, route: "ims.emergency", context: context, reader: &reader) else {
            return nil
        }
        switch target {
        case .peer, .reject: return target
        case .ims, .enumLookup, .mrf:
            reader.report(.badTarget, "ims.emergency must be peer:NAME or reject:STATUS, not \(target)", at: yaml)
            return nil
        }
    }
}
