import Yams

extension PolicyReader {
    /// `srtp: off | optional | required`, or `srtp: { mode: …, suites: [AES_CM_128_HMAC_SHA1_80, …] }`.
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
        guard let entries = reader.mapping(yaml, what, allowed: ["mode", "suites"], required: ["mode"]),
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
        return policy
    }
}
