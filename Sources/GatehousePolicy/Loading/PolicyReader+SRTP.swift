import Yams

extension PolicyReader {
    /// `srtp: off | optional | required`, or
    /// `srtp: { mode: …, suites: [AES_CM_128_HMAC_SHA1_80, …], key_exchange: [sdes, dtls] }`.
    static func readSRTP(_ yaml: Node, _ what: String, reader: inout YAMLReader) -> SRTPPolicy? {
        let modes = SRTPPolicy.Mode.allCases.map(\.rawValue).joined(separator: ", ")
        func mode(_ node: Node) -> SRTPPolicy.Mode? {
            guard let text = reader.string(node, what) else { return nil }
            guard let mode = SRTPPolicy.Mode(rawValue: text) else {
                reader.report(.badValue, "\(what) must be one of \(modes), not '\(text)'", at: node)
                return nil
            }
            return mode
        }
        guard case .mapping = yaml else { return mode(yaml).map { SRTPPolicy(mode: $0) } }
        guard
            let entries = reader.mapping(yaml, what, allowed: ["mode", "suites", "key_exchange"], required: ["mode"]),
            let modeNode = entries["mode"], let chosen = mode(modeNode)
        else { return nil }
        var policy = SRTPPolicy(mode: chosen)
        if let suitesNode = entries["suites"], let items = reader.stringOrList(suitesNode, "\(what) suites") {
            var suites: [String] = []
            for (name, node) in items {
                let upper = name.uppercased()
                guard SRTPPolicy.knownSuites.contains(upper) else {
                    reader.report(
                        .badValue,
                        "\(what) suites: '\(name)' is not one of \(SRTPPolicy.knownSuites.joined(separator: ", "))",
                        at: node)
                    continue
                }
                if suites.contains(upper) {
                    reader.report(.duplicateKey, "\(what) suites: '\(name)' appears twice", at: node)
                    continue
                }
                suites.append(upper)
            }
            guard !suites.isEmpty else { return nil }
            policy.suites = suites
        }
        if let node = entries["key_exchange"] {
            guard let exchanges = readKeyExchanges(node, "\(what) key_exchange", reader: &reader) else { return nil }
            policy.keyExchanges = exchanges
        }
        return policy
    }

    /// `key_exchange: sdes | dtls`, or a list of both in order of preference, each once.
    private static func readKeyExchanges(
        _ yaml: Node, _ what: String, reader: inout YAMLReader
    ) -> [SRTPPolicy.KeyExchange]? {
        guard let items = reader.stringOrList(yaml, what) else { return nil }
        let known = SRTPPolicy.KeyExchange.allCases.map(\.rawValue).joined(separator: ", ")
        var exchanges: [SRTPPolicy.KeyExchange] = []
        for (name, node) in items {
            guard let exchange = SRTPPolicy.KeyExchange(rawValue: name.lowercased()) else {
                reader.report(.badValue, "\(what): '\(name)' is not one of \(known)", at: node)
                return nil
            }
            guard !exchanges.contains(exchange) else {
                reader.report(.duplicateKey, "\(what): '\(name)' appears twice", at: node)
                return nil
            }
            exchanges.append(exchange)
        }
        // An empty list was reported by `stringOrList`.
        return exchanges.isEmpty ? nil : exchanges
    }
}
