import GatehousePolicy
import SIPMessage

/// Recognizes requests sent by known SIP scanners and attack tools: by a substring of their User-Agent, or by the
/// marker some of them write into From and To. Matching ignores ASCII case; every User-Agent field is looked at, so
/// a second one cannot hide the first.
///
/// Only requests are looked at: scanners probe with requests, and a response answers a request this node chose to
/// send, so its `Server` names a party the policy routes to.
public struct ScannerDetector: Sendable, Hashable {
    /// The User-Agent substrings of well-known scanning tools, as Kamailio's default configuration (its
    /// `ANTIFLOOD` block), OpenSIPS examples and the iptables and fail2ban recipes for Asterisk list them:
    /// SIPVicious (`friendly-scanner`, `sipvicious`), sipcli, sip-scan, sundayddr, iWar, the VaxSIP SDK used by
    /// brute-forcers, SIPPTS (`pplsip`, `sippts`), SiVuS, SIP Army Knife and Nmap's SIP scripts.
    ///
    /// Tools with honest uses that tests and operators run on purpose (sipsak, SIPp) are left out; a policy can add
    /// them (`sanity.scanners.user_agents`).
    public static let builtinUserAgents: [String] = [
        "friendly-scanner", "friendly-request", "sipvicious", "sipcli", "sip-scan", "sundayddr", "iWar",
        "VaxSIPUserAgent", "VaxIPUserAgent", "pplsip", "sippts", "SIVuS", "siparmyknife", "Nmap NSE",
    ]

    /// What SIPVicious writes as the display name of From and To (`"sipvicious"<sip:100@1.1.1.1>`), looked for in
    /// the From and To fields.
    public static let builtinNameMarkers: [String] = ["sipvicious"]

    /// Why a request looks like a scanner's.
    public struct Match: Hashable, Sendable, CustomStringConvertible {
        /// User-Agent, From or To.
        public var header: HeaderName
        /// The pattern that matched, as configured.
        public var pattern: String

        public var description: String { "\(header) matches scanner pattern '\(pattern)'" }
    }

    /// A pattern as written, and its bytes in ASCII lower case.
    struct Pattern: Hashable, Sendable {
        var text: String
        var lowercased: [UInt8]

        init(_ text: String) {
            self.text = text
            self.lowercased = text.utf8.map(Self.lowercase)
        }

        static func lowercase(_ byte: UInt8) -> UInt8 {
            byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "Z") ? byte | 0x20 : byte
        }

        /// Whether `value` contains this pattern, ASCII case ignored.
        func isFound(in value: ArraySlice<UInt8>) -> Bool {
            guard !lowercased.isEmpty, value.count >= lowercased.count else { return false }
            var start = value.startIndex
            let lastStart = value.endIndex - lowercased.count
            while start <= lastStart {
                var offset = 0
                while offset < lowercased.count, Self.lowercase(value[start + offset]) == lowercased[offset] {
                    offset += 1
                }
                if offset == lowercased.count { return true }
                start += 1
            }
            return false
        }
    }

    let userAgents: [Pattern]
    let nameMarkers: [Pattern]

    /// A detector with exactly these patterns.
    public init(userAgents: [String], nameMarkers: [String] = []) {
        self.userAgents = userAgents.map(Pattern.init)
        self.nameMarkers = nameMarkers.map(Pattern.init)
    }

    /// The built-in patterns (when `settings.builtin`) and the policy's own User-Agents.
    public init(_ settings: SanitySettings.Scanners) {
        self.init(
            userAgents: (settings.builtin ? Self.builtinUserAgents : []) + settings.userAgents,
            nameMarkers: settings.builtin ? Self.builtinNameMarkers : [])
    }

    /// Whether any pattern is configured at all.
    public var isEmpty: Bool { userAgents.isEmpty && nameMarkers.isEmpty }

    /// The first pattern the request matches, or nil. Reads raw field values: nothing is parsed.
    public func match(_ message: SIPMessage) -> Match? {
        guard message.isRequest, !isEmpty else { return nil }
        let headers = message.headers
        for index in 0..<headers.count {
            let name: HeaderName
            let patterns: [Pattern]
            if headers.field(at: index, is: .userAgent) {
                (name, patterns) = (.userAgent, userAgents)
            } else if headers.field(at: index, is: .from) {
                (name, patterns) = (.from, nameMarkers)
            } else if headers.field(at: index, is: .to) {
                (name, patterns) = (.to, nameMarkers)
            } else {
                continue
            }
            let value = headers.value(at: index)
            if let pattern = patterns.first(where: { $0.isFound(in: value) }) {
                return Match(header: name, pattern: pattern.text)
            }
        }
        return nil
    }
}
