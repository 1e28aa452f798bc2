import Foundation

/// A SIPp message log (`-trace_msg -message_file`) split into the messages the SIPp sent and the ones it received,
/// each whole (start line, headers and body, as on the wire), without SIPp's separator lines.
struct SIPpTrace {
    var sent: [String] = []
    var received: [String] = []

    /// Every byte the SIPp received, one message after the other.
    var receivedText: String { received.joined(separator: "\n") }

    init(_ log: String) {
        // Each message: a line of dashes and a time stamp, "UDP message sent (N bytes):" or "UDP message
        // received [N] bytes :", a blank line, the message.
        let blocks = log.components(separatedBy: "\n-----------------------------------------------")
        for block in blocks {
            var lines = block.split(separator: "\n", omittingEmptySubsequences: false).dropFirst()
            guard let kind = lines.first else { continue }
            lines = lines.dropFirst()
            let message = lines.joined(separator: "\n").trimmingCharacters(in: .whitespacesAndNewlines)
            guard !message.isEmpty else { continue }
            if kind.contains("message sent") {
                sent.append(message)
            } else if kind.contains("message received") {
                received.append(message)
            }
        }
    }

    /// The values of a header (long or compact name), in every message of `messages`.
    static func values(of names: [String], in messages: [String]) -> [String] {
        let prefixes = names.map { $0.lowercased() + ":" }
        return messages.flatMap { message in
            message.split(whereSeparator: \.isNewline).compactMap { line -> String? in
                let lowered = line.lowercased()
                guard let prefix = prefixes.first(where: { lowered.hasPrefix($0) }) else { return nil }
                return line.dropFirst(prefix.count).trimmingCharacters(in: .whitespaces)
            }
        }
    }

    /// Every value of the parameter `name` (`tag`, `branch`) in the header values `values`.
    static func parameters(_ name: String, in values: [String]) -> [String] {
        values.flatMap { value in
            value.components(separatedBy: ";").dropFirst().compactMap { parameter -> String? in
                let pair = parameter.split(separator: "=", maxSplits: 1)
                guard pair.count == 2, pair[0].trimmingCharacters(in: .whitespaces).lowercased() == name else {
                    return nil
                }
                return String(pair[1].prefix { !">, ".contains($0) })
            }
        }
    }

    /// The SDP lines of kind `kind` (`o`, `m`, `c`) in the bodies of `messages`, without the `x=`.
    static func sdpLines(_ kind: Character, in messages: [String]) -> [String] {
        messages.flatMap { message in
            message.split(whereSeparator: \.isNewline).compactMap { line -> String? in
                guard line.count > 2, line.first == kind, line.dropFirst().first == "=" else { return nil }
                return String(line.dropFirst(2))
            }
        }
    }
}

/// What identifies one side of a call on the wire: the strings (addresses, Call-IDs, tags, branches, Contact
/// users, `o=` usernames and session ids, marked header values) and port numbers nobody on the other side may see.
struct WireIdentity {
    var strings: Set<String> = []
    var ports: Set<String> = []

    /// From a side's trace, sent and received alike (each leg's identifiers are the endpoint's and Gatehouse's
    /// on that leg): Call-IDs, From and To tags, Via branches, the endpoint's own Contact users, every `o=`
    /// username and session id, every `m=` port and the RTCP port above it; plus `addresses`, `ports` and `markers` the test knows.
    init(of trace: SIPpTrace, addresses: [String], ports: [UInt16], markers: [String]) {
        let all = trace.sent + trace.received
        strings.formUnion(SIPpTrace.values(of: ["Call-ID", "i"], in: all))
        strings.formUnion(SIPpTrace.parameters("tag", in: SIPpTrace.values(of: ["From", "f", "To", "t"], in: all)))
        strings.formUnion(SIPpTrace.parameters("branch", in: SIPpTrace.values(of: ["Via", "v"], in: all)))
        for contact in SIPpTrace.values(of: ["Contact", "m"], in: trace.sent) {
            guard let start = contact.range(of: "sip:")?.upperBound, let end = contact[start...].firstIndex(of: "@")
            else { continue }
            strings.insert(String(contact[start..<end]))
        }
        for origin in SIPpTrace.sdpLines("o", in: all) {
            let fields = origin.split(separator: " ")
            guard fields.count >= 2 else { continue }
            if fields[0] != "-" { strings.insert(String(fields[0])) }
            strings.insert(String(fields[1]))
        }
        for media in SIPpTrace.sdpLines("m", in: all) {
            let fields = media.split(separator: " ")
            guard fields.count >= 2, let port = UInt16(fields[1]), port != 0 else { continue }
            // The RTCP port beside it too (RFC 3550 §11), which an `a=rtcp` line may name.
            self.ports.formUnion([String(port), String(port &+ 1)])
        }
        strings.formUnion(addresses)
        strings.formUnion(markers)
        self.ports.formUnion(ports.map(String.init))
    }

    /// What of this identity appears in `text`: strings anywhere, ports as whole tokens (between characters that
    /// are neither letters nor digits: `:22062`, `m=audio 22100`, `a=rtcp:22101` but not a hex run in a tag).
    func leaks(in text: String) -> [String] {
        let tokens = Set(text.split { !($0.isLetter || $0.isNumber) }.map(String.init))
        return strings.filter { text.contains($0) }.sorted() + ports.filter { tokens.contains($0) }.sorted()
    }
}
