import Yams

extension PolicyReader {
    /// `pcf: { rules: [ { id, match: { realm, peer, class, media }, five_qi, arp, dscp, max_bandwidth } ],
    /// default: { five_qi, arp, dscp, max_bandwidth }, classes: { NAME: [MEMBER, …] }, variable_bitrate }`.
    static func readPolicyControl(
        _ yaml: Node, realms: Set<String>, peers: Set<String>, reader: inout YAMLReader
    ) -> PolicyControlSettings {
        var settings = PolicyControlSettings()
        guard
            let entries = reader.mapping(
                yaml, "pcf", allowed: ["rules", "default", "classes", "variable_bitrate"])
        else { return settings }
        if let node = entries["classes"] { settings.classes = readSubscriberClasses(node, reader: &reader) }
        if let node = entries["default"],
            let defaults = reader.mapping(node, "pcf.default", allowed: qosKeys)
        {
            settings.defaults = readQoS(defaults, "pcf.default", reader: &reader)
        }
        if let node = entries["variable_bitrate"],
            let text = reader.string(node, "pcf.variable_bitrate")
        {
            if let rate = parseBitrate(text), (1_000...100_000_000).contains(rate) {
                settings.variableBitrate = rate
            } else {
                reader.report(
                    .badValue, "pcf.variable_bitrate '\(text)' must be like 32kbit or 2Mbit (1kbit to 100Mbit)",
                    at: node)
            }
        }
        if let node = entries["rules"], let items = reader.sequence(node, "pcf.rules") {
            let known = RuleNames(realms: realms, peers: peers, classes: Set(settings.classes.map(\.name)))
            var ids: Set<String> = []
            for (position, item) in items.enumerated() {
                guard let rule = readPolicyControlRule(item, position: position + 1, known: known, reader: &reader)
                else { continue }
                if ids.insert(rule.id).inserted {
                    settings.rules.append(rule)
                } else {
                    reader.report(.duplicateKey, "pcf rule id '\(rule.id)' is used twice", at: item)
                }
            }
        }
        return settings
    }

    private struct RuleNames {
        var realms: Set<String>
        var peers: Set<String>
        var classes: Set<String>
    }

    private static let qosKeys = ["five_qi", "arp", "dscp", "max_bandwidth"]

    private static func readPolicyControlRule(
        _ yaml: Node, position: Int, known: RuleNames, reader: inout YAMLReader
    ) -> PolicyControlRule? {
        let what = "pcf rule \(position)"
        guard let entries = reader.mapping(yaml, what, allowed: ["id", "match"] + qosKeys) else { return nil }
        var id = "rule-\(position)"
        if let node = entries["id"], let text = reader.string(node, "\(what) id") {
            if isValidName(text) {
                id = text
            } else {
                reader.report(.badName, "\(what) id '\(text)' must be letters, digits, '-' and '_'", at: node)
            }
        }
        var match = PolicyControlRule.Match()
        if let node = entries["match"],
            let conditions = reader.mapping(node, "\(what) match", allowed: ["realm", "peer", "class", "media"])
        {
            if let node = conditions["realm"], let realm = reader.string(node, "\(what) match.realm") {
                if !known.realms.contains(realm) {
                    reader.report(
                        .unknownRealm, "\(what) matches realm '\(realm)', which the policy does not define", at: node)
                }
                match.realm = realm
            }
            if let node = conditions["peer"], let peer = reader.string(node, "\(what) match.peer") {
                if !known.peers.contains(peer) {
                    reader.report(
                        .unknownPeer, "\(what) matches peer '\(peer)', which the policy does not define", at: node)
                }
                match.peer = peer
            }
            if let node = conditions["class"], let name = reader.string(node, "\(what) match.class") {
                if !known.classes.contains(name) {
                    reader.report(
                        .badValue, "\(what) matches class '\(name)', which pcf.classes does not define", at: node)
                }
                match.subscriberClass = name
            }
            if let node = conditions["media"], let media = reader.string(node, "\(what) match.media") {
                if media.isEmpty || !media.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-") }) {
                    reader.report(
                        .badValue, "\(what) match.media '\(media)' must be a media type such as audio or video",
                        at: node)
                }
                match.media = media.lowercased()
            }
        }
        let qos = readQoS(entries, what, reader: &reader)
        if !qosKeys.contains(where: { entries[$0] != nil }) {
            reader.report(.badRule, "\(what) sets none of \(qosKeys.joined(separator: ", "))", at: yaml)
        }
        return PolicyControlRule(id: id, match: match, qos: qos)
    }

    private static func readQoS(_ entries: [String: Node], _ what: String, reader: inout YAMLReader) -> QoSParameters {
        var qos = QoSParameters()
        if let node = entries["five_qi"] {
            // TS 23.501 §5.7.4: standardized values are 1–90; 128–254 are operator-specific.
            qos.fiveQI = reader.integer(node, "\(what) five_qi", in: 1...254)
        }
        if let node = entries["arp"] { qos.arpPriority = reader.integer(node, "\(what) arp", in: 1...15) }
        if let node = entries["dscp"], let text = reader.string(node, "\(what) dscp") {
            if let value = Int(text), (0...63).contains(value) {
                qos.dscp = value
            } else if let value = QoSParameters.dscpNames[text.lowercased()] {
                qos.dscp = value
            } else {
                reader.report(
                    .badValue, "\(what) dscp '\(text)' must be 0–63 or a name such as ef, af41, cs5 or be", at: node)
            }
        }
        if let node = entries["max_bandwidth"], let text = reader.string(node, "\(what) max_bandwidth") {
            if let rate = parseBitrate(text), (1_000...100_000_000_000).contains(rate) {
                qos.maxBandwidth = rate
            } else {
                reader.report(
                    .badValue, "\(what) max_bandwidth '\(text)' must be like 200kbit or 2Mbit (1kbit to 100Gbit)",
                    at: node)
            }
        }
        return qos
    }

    private static func readSubscriberClasses(_ yaml: Node, reader: inout YAMLReader) -> [SubscriberClass] {
        guard let named = reader.namedEntries(yaml, "pcf.classes") else { return [] }
        var classes: [SubscriberClass] = []
        for (name, keyNode, value) in named {
            guard isValidName(name) else {
                reader.report(.badName, "pcf class name '\(name)' must be letters, digits, '-' and '_'", at: keyNode)
                continue
            }
            guard let items = reader.stringOrList(value, "pcf.classes.\(name)") else { continue }
            var members: [String] = []
            for (member, node) in items {
                if member.isEmpty || member.contains(where: \.isWhitespace) {
                    reader.report(
                        .badIdentity, "pcf.classes.\(name) member '\(member)' must be a number prefix or a URI",
                        at: node)
                } else {
                    members.append(member)
                }
            }
            classes.append(SubscriberClass(name: name, members: members))
        }
        return classes
    }

    /// `200kbit`, `2Mbit`, `1Gbit` (decimal multiples, as bit rates are counted; `kbps`/`Mbps` too) or a plain
    /// number of bits per second.
    static func parseBitrate(_ text: String) -> Int? {
        let digits = text.prefix { $0.isASCII && $0.isNumber }
        guard let number = Int(digits) else { return nil }
        let multiplier: Int
        switch text.dropFirst(digits.count).lowercased() {
        case "", "bit", "bps": multiplier = 1
        case "kbit", "kbps", "k": multiplier = 1_000
        case "mbit", "mbps", "m": multiplier = 1_000_000
        case "gbit", "gbps", "g": multiplier = 1_000_000_000
        default: return nil
        }
        let (product, overflow) = number.multipliedReportingOverflow(by: multiplier)
        return overflow ? nil : product
    }
}
