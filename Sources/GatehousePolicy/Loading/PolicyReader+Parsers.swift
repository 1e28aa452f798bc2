import SIPMessage

extension PolicyReader {
    // MARK: Small parsers

    static func isValidName(_ name: String) -> Bool {
        !name.isEmpty && name.utf8.count <= 64
            && name.utf8.allSatisfy {
                $0 == UInt8(ascii: "-") || $0 == UInt8(ascii: "_")
                    || ($0 < 0x80 && Character(UnicodeScalar($0)).isLetter) || ($0 >= 0x30 && $0 <= 0x39)
            }
    }

    struct ListenerProblem: Error {
        var message: String
    }

    /// `udp://127.0.0.10:5060`, `tcp://[::1]:5060`.
    static func parseListener(_ text: String) -> Result<SIPEndpoint, ListenerProblem> {
        guard let schemeEnd = text.range(of: "://") else {
            return .failure(ListenerProblem(message: "a listener is written TRANSPORT://ADDRESS:PORT"))
        }
        let scheme = String(text[..<schemeEnd.lowerBound]).lowercased()
        guard let transport = SIPTransport(rawValue: scheme) else {
            return .failure(ListenerProblem(message: "transport '\(scheme)' is not one of udp, tcp, tls"))
        }
        return parseHostPort(String(text[schemeEnd.upperBound...])).map {
            SIPEndpoint(transport: transport, host: $0.host, port: $0.port)
        }
    }

    /// `IP:PORT` or `[IPv6]:PORT`; the port is required. Names are refused: a listener binds an address.
    static func parseHostPort(_ text: String) -> Result<(host: String, port: Int), ListenerProblem> {
        let hostPart: Substring
        let portPart: Substring
        if text.hasPrefix("[") {
            guard let close = text.firstIndex(of: "]"), text[text.index(after: close)...].hasPrefix(":") else {
                return .failure(ListenerProblem(message: "an IPv6 address is written [ADDRESS]:PORT"))
            }
            hostPart = text[text.index(after: text.startIndex)..<close]
            portPart = text[text.index(close, offsetBy: 2)...]
        } else {
            guard let colon = text.lastIndex(of: ":") else {
                return .failure(ListenerProblem(message: "the port is missing (ADDRESS:PORT)"))
            }
            hostPart = text[..<colon]
            portPart = text[text.index(after: colon)...]
            if hostPart.contains(":") {
                return .failure(ListenerProblem(message: "an IPv6 address must be in brackets: [ADDRESS]:PORT"))
            }
        }
        guard let host = parseIPLiteral(String(hostPart)) else {
            return .failure(
                ListenerProblem(message: "'\(hostPart)' is not an IP address (listeners bind addresses, not names)"))
        }
        guard let port = Int(portPart), (1...65_535).contains(port) else {
            return .failure(ListenerProblem(message: "port '\(portPart)' is not a number from 1 to 65535"))
        }
        return .success((host, port))
    }

    /// An IPv4 or IPv6 literal (IPv6 without brackets), returned as written.
    static func parseIPLiteral(_ text: String) -> String? {
        if (try? IPv4Address(parsing: text)) != nil { return text }
        if (try? IPv6Address(parsing: text)) != nil { return text }
        return nil
    }
}
