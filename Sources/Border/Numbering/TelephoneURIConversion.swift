import SIPMessage

/// Moving a telephone number between a tel URI and a SIP URI, and finding or replacing the number a URI carries.
///
/// RFC 3261 §19.1.6: `tel:+358-555-1234567;postd=pp22` and `sip:+358-555-1234567;postd=pp22@foo.com;user=phone`
/// carry the same telephone-subscriber; its parameters (`isub`, `ext`, `phone-context`, `rn`, `npdi`, …) travel in
/// the user part, so converting keeps them all, and the SIP URI's own parameters (`transport`, `lr`) stay outside.
/// The conversions use SIPMessage's `TelURI` and `SIPURI.setTelephoneNumber(_:)`, so escaping follows their rules.
public enum TelephoneURIConversion {
    /// `tel:+15551230000;ext=22` → `sip:+15551230000;ext=22@host;user=phone`.
    public static func sipURI(
        from tel: TelURI, host: Host, port: UInt16? = nil, isSecure: Bool = false, parameters: [URIParameter] = []
    ) -> SIPURI {
        var uri = SIPURI(isSecure: isSecure, host: host, port: port, parameters: parameters)
        uri.setTelephoneNumber(tel)
        return uri
    }

    /// `sip:+15551230000;ext=22@host;user=phone` → `tel:+15551230000;ext=22`; nil without `user=phone` or when the
    /// user is not a valid telephone-subscriber (a local number needs `phone-context`).
    public static func telURI(from sip: SIPURI) -> TelURI? {
        sip.telephoneNumber
    }

    /// The user part a URI gives a SIP URI built from it: a SIP URI's user; a tel URI's telephone-subscriber,
    /// number and parameters (`+442079460000;npdi`), as RFC 3261 §19.1.6 carries it. Nil for other schemes.
    public static func sipUser(of uri: URI) -> String? {
        switch uri {
        case .sip(let sip):
            return sip.user
        case .tel(let tel):
            return tel.sipUser
        case .other:
            return nil
        }
    }

    /// The telephone number a URI carries, as a tel URI (number and parameters).
    ///
    /// A tel URI is its own number. A SIP URI carries one with `user=phone`; with `acceptingNumericUser`, also when
    /// its user is `+`, digits and visual separators without the flag, which is how most PBXs and many carriers write
    /// numbers (`sip:5551230000@gw`). Such a user may lack the `phone-context` RFC 3966 wants for local numbers; that
    /// is accepted, since the peer's numbering plan gives it meaning. Other schemes carry none.
    public static func subscriber(in uri: URI, acceptingNumericUser: Bool = true) -> TelURI? {
        switch uri {
        case .tel(let tel):
            return tel
        case .sip(let sip):
            if let tel = sip.telephoneNumber { return tel }
            guard let user = sip.user else { return nil }
            let flagged = sip.userParameter.map { $0.lowercased() == "phone" } ?? false
            guard flagged || acceptingNumericUser else { return nil }
            return lenientSubscriber(user)
        case .other:
            return nil
        }
    }

    /// The URI with its number replaced by `subscriber` (number and parameters), everything else kept: a tel URI
    /// becomes `subscriber`, a SIP URI gets it as its user (keeping `user=phone` if it had the flag, adding none).
    /// A URI of another scheme comes back unchanged.
    public static func replacingSubscriber(in uri: URI, with subscriber: TelURI) -> URI {
        switch uri {
        case .tel:
            return .tel(subscriber)
        case .sip(var sip):
            if let flag = sip.userParameter, flag.lowercased() == "phone" {
                sip.setTelephoneNumber(subscriber)
            } else {
                sip.user = subscriber.parameters.reduce(subscriber.number) { user, parameter in
                    user + ";" + parameter.description
                }
            }
            return .sip(sip)
        case .other:
            return uri
        }
    }

    /// A user part read as a telephone-subscriber without RFC 3966's strictness: `+`, digits and visual separators
    /// before the first `;`, then `name[=value]` parameters. Nil when the number part is anything else.
    static func lenientSubscriber(_ user: String) -> TelURI? {
        // Byte by byte: the user of every numbered From, To and Request-URI comes through here.
        let bytes = user.utf8
        let numberEnd = bytes.firstIndex(of: UInt8(ascii: ";")) ?? bytes.endIndex
        var digits = bytes[..<numberEnd]
        if digits.first == UInt8(ascii: "+") { digits = digits.dropFirst() }
        guard digits.contains(where: E164Number.isDigit),
            digits.allSatisfy({ E164Number.isDigit($0) || E164Number.isSeparator($0) })
        else { return nil }
        var parameters: [URIParameter] = []
        var start = numberEnd
        while start != bytes.endIndex {
            start = bytes.index(after: start)
            let end = bytes[start...].firstIndex(of: UInt8(ascii: ";")) ?? bytes.endIndex
            let piece = bytes[start..<end]
            if let equals = piece.firstIndex(of: UInt8(ascii: "=")) {
                parameters.append(
                    URIParameter(
                        name: String(decoding: piece[..<equals], as: UTF8.self),
                        value: String(decoding: piece[piece.index(after: equals)...], as: UTF8.self)))
            } else if !piece.isEmpty {
                parameters.append(URIParameter(name: String(decoding: piece, as: UTF8.self)))
            }
            start = end
        }
        let number = numberEnd == bytes.endIndex ? user : String(decoding: bytes[..<numberEnd], as: UTF8.self)
        return TelURI(number: number, parameters: parameters)
    }
}
