import SIPMessage
import Yams

extension PolicyReader {
    /// A peer's `topology`: the headers it may receive from the other side of a call.
    static func readTopology(_ yaml: Node, peer: String, reader: inout YAMLReader) -> TopologySettings? {
        let what = "peer '\(peer)' topology"
        guard let entries = reader.mapping(yaml, what, allowed: ["pass_headers"]) else { return nil }
        var settings = TopologySettings()
        if let node = entries["pass_headers"], let items = reader.stringOrList(node, "\(what) pass_headers") {
            for (text, item) in items {
                guard text != "*" else {
                    reader.report(
                        .badHeaderName,
                        "\(what) pass_headers: '*' alone would pass every header of the other side; name "
                            + "the headers or their prefixes ('X-*')",
                        at: item)
                    continue
                }
                do {
                    settings.passHeaders.append(try HeaderPattern(parsing: text))
                } catch {
                    reader.report(.badHeaderName, "\(what) pass_headers: \(error.message)", at: item)
                }
            }
        }
        return settings
    }
}
