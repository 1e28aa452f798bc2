import SIPMessage

/// Number ranges mapped to routes in the policy: the fallback when ENUM DNS has no answer, and all of ENUM in labs.
///
/// An entry's pattern is an E.164 prefix (`+1555123`), optionally followed by `x`s that stand for one digit each
/// and fix the length (`+1555123xxxx` matches only eleven-digit numbers under `+1555123`, as the lab policy writes
/// it). The longest matching prefix wins; between two entries with the same prefix, the one with a fixed length
/// wins. The table is checked when built, so a policy with a malformed or repeated entry never loads.
public struct StaticENUMTable: Hashable, Sendable {
    /// Where a matching number goes.
    public enum Target: Hashable, Sendable {
        /// A URI to send the request to.
        case uri(URI)
        /// A peer of the policy, by name.
        case peer(String)
        /// Refused with this status: a range the policy knows goes nowhere (`reject:604`).
        case reject(SIPStatus)
    }

    /// One range and its target.
    public struct Entry: Hashable, Sendable {
        /// The pattern as written in the policy.
        public let pattern: String
        /// The fixed digits, without `+`.
        public let prefix: String
        /// The total number of digits when the pattern ends in `x`s; nil for any length.
        public let length: Int?
        public let target: Target

        /// An entry from a pattern such as `+1555123`, `+1555123xxxx` or `+` (every number).
        ///
        /// - Throws: `.badTableEntry` for anything but `+`, digits, then `x`s (visual separators allowed), or a
        ///   pattern longer than 15 digits.
        public init(_ pattern: String, target: Target) throws(NumberingError) {
            let text = Array(E164Number.removingSeparators(pattern).utf8)
            guard text.first == UInt8(ascii: "+") else {
                throw NumberingError(.badTableEntry, "'\(pattern)': an ENUM table pattern starts with '+'")
            }
            let body = text.dropFirst()
            let digits = body.prefix(while: E164Number.isDigit)
            let wildcards = body.dropFirst(digits.count)
            guard wildcards.allSatisfy({ $0 | 0x20 == UInt8(ascii: "x") }) else {
                throw NumberingError(.badTableEntry, "'\(pattern)': digits, then optional 'x's for any digit")
            }
            guard body.count <= E164Number.maximumLength else {
                throw NumberingError(.badTableEntry, "'\(pattern)': longer than an E.164 number")
            }
            self.pattern = pattern
            self.prefix = String(decoding: digits, as: UTF8.self)
            self.length = wildcards.isEmpty ? nil : body.count
            self.target = target
        }

        /// Whether `number` falls in the entry's range.
        public func matches(_ number: E164Number) -> Bool {
            number.digits.utf8.starts(with: prefix.utf8) && (length.map { $0 == number.digits.utf8.count } ?? true)
        }
    }

    /// The entries in the order given.
    public let entries: [Entry]
    /// Entries by prefix, fixed-length ones first, for a lookup of at most 16 probes.
    private let byPrefix: [String: [Entry]]

    /// A table of these entries.
    ///
    /// - Throws: `.badTableEntry` when two entries have the same prefix and length.
    public init(_ entries: [Entry]) throws(NumberingError) {
        var byPrefix: [String: [Entry]] = [:]
        for entry in entries {
            if let clash = byPrefix[entry.prefix, default: []].first(where: { $0.length == entry.length }) {
                throw NumberingError(.badTableEntry, "'\(entry.pattern)' repeats '\(clash.pattern)'")
            }
            byPrefix[entry.prefix, default: []].append(entry)
        }
        for prefix in byPrefix.keys {
            byPrefix[prefix]?.sort { ($0.length == nil ? 1 : 0) < ($1.length == nil ? 1 : 0) }
        }
        self.entries = entries
        self.byPrefix = byPrefix
    }

    /// The entry for `number`: the longest matching prefix, a fixed length before an open one; nil when none.
    public func lookup(_ number: E164Number) -> Entry? {
        let digits = Array(number.digits.utf8)
        for length in stride(from: digits.count, through: 0, by: -1) {
            let prefix = String(decoding: digits[..<length], as: UTF8.self)
            if let match = byPrefix[prefix]?.first(where: { $0.matches(number) }) { return match }
        }
        return nil
    }
}
