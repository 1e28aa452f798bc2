/// A tel URI (RFC 3966), and the telephone-subscriber of a `user=phone` SIP URI.
///
/// ```
/// telephone-uri        = "tel:" telephone-subscriber
/// telephone-subscriber = global-number / local-number
/// global-number        = global-number-digits *par
/// local-number         = local-number-digits *par context *par
/// par                  = parameter / extension / isdn-subaddress
/// isdn-subaddress      = ";isub=" 1*uric
/// extension            = ";ext=" 1*phonedigit
/// context              = ";phone-context=" descriptor
/// descriptor           = domainname / global-number-digits
/// global-number-digits = "+" *phonedigit DIGIT *phonedigit
/// local-number-digits  = *phonedigit-hex (HEXDIG / "*" / "#")*phonedigit-hex
/// parameter            = ";" pname ["=" pvalue ]
/// pname                = 1*( alphanum / "-" )
/// pvalue               = 1*paramchar
/// phonedigit           = DIGIT / [ visual-separator ]
/// phonedigit-hex       = HEXDIG / "*" / "#" / [ visual-separator ]
/// visual-separator     = "-" / "." / "(" / ")"
/// ```
///
/// The parser accepts parameters in any order (RFC 3966 §3 asks senders for ext/isub, then phone-context, then the
/// rest sorted), but a local number must carry `phone-context`. Parameter values are stored unescaped.
public struct TelURI: Hashable, Sendable, CustomStringConvertible {
    /// The number as written, with any visual separators: `+1-201-555-0123` or `863-1234`.
    public var number: String
    /// The parameters in order (`ext`, `isub`, `phone-context` and any others).
    public var parameters: [URIParameter]

    /// A tel URI built in code; nothing is checked.
    public init(number: String, parameters: [URIParameter] = []) {
        self.number = number
        self.parameters = parameters
    }

    /// Whether the number is global (starts with `+`); a local number needs `phone-context`.
    public var isGlobal: Bool { number.utf8.first == UInt8(ascii: "+") }

    /// The number without visual separators (`-`, `.`, `(`, `)`), hex digits in upper case, the `+` kept:
    /// `+1-201-555-0123` becomes `+12015550123`.
    public var digitsOnly: String { Self.digitsOnly(number) }

    static func digitsOnly(_ number: String) -> String {
        var bytes: [UInt8] = []
        for byte in number.utf8 where !isVisualSeparator(byte) {
            bytes.append(byte >= UInt8(ascii: "a") && byte <= UInt8(ascii: "f") ? byte - 0x20 : byte)
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    static func isVisualSeparator(_ byte: UInt8) -> Bool {
        byte == UInt8(ascii: "-") || byte == UInt8(ascii: ".") || byte == UInt8(ascii: "(")
            || byte == UInt8(ascii: ")")
    }

    // MARK: Parameters

    /// The first parameter of this name (ASCII case ignored), or nil.
    public func parameter(named name: String) -> URIParameter? { parameters.first(named: name) }

    /// Sets a parameter in place (removing repeats) or appends it; a nil value makes a flag.
    public mutating func setParameter(_ name: String, to value: String?) { parameters.set(name, to: value) }

    /// Removes every parameter of this name (ASCII case ignored).
    public mutating func removeParameter(named name: String) { parameters.removeAll(named: name) }

    /// The `ext` parameter (an extension number); nil removes it.
    public var extensionNumber: String? {
        get { parameter(named: "ext")?.value }
        set { parameters.setOrRemove("ext", newValue) }
    }

    /// The `isub` parameter (an ISDN subaddress); nil removes it.
    public var isdnSubaddress: String? {
        get { parameter(named: "isub")?.value }
        set { parameters.setOrRemove("isub", newValue) }
    }

    /// The `phone-context` parameter: a domain name or a global number prefix; nil removes it.
    public var phoneContext: String? {
        get { parameter(named: "phone-context")?.value }
        set { parameters.setOrRemove("phone-context", newValue) }
    }

    // MARK: Serialization

    /// Appends `tel:` and the telephone-subscriber.
    public func serialize(into buffer: inout [UInt8]) {
        URISyntax.append("tel:", to: &buffer)
        serializeSubscriber(into: &buffer)
    }

    /// The telephone-subscriber (number and parameters) as the user of a SIP URI holds it, unescaped
    /// (`+442079460000;npdi;rn=+447700900123`): what `SIPURI.setTelephoneNumber(_:)` writes (RFC 3261 §19.1.6).
    public var sipUser: String {
        var bytes: [UInt8] = []
        serializeSubscriber(into: &bytes)
        return URISyntax.unescapeLeniently(bytes)
    }

    /// Appends the telephone-subscriber alone (number and parameters), as in the user part of a SIP URI. Parameter
    /// values are escaped as `paramchar` requires (`uric` for `isub`); a parameter with an empty name is skipped and
    /// one with an empty value is written as a flag.
    public func serializeSubscriber(into buffer: inout [UInt8]) {
        URISyntax.append(number, to: &buffer)
        for parameter in parameters where !parameter.name.isEmpty {
            buffer.append(UInt8(ascii: ";"))
            URISyntax.escape(parameter.name, allowed: .parameter, into: &buffer)
            if let value = parameter.value, !value.isEmpty {
                buffer.append(UInt8(ascii: "="))
                let isSubaddress = URISyntax.equalsIgnoringCase(parameter.name, "isub")
                URISyntax.escape(value, allowed: isSubaddress ? .isdnSubaddress : .parameter, into: &buffer)
            }
        }
    }

    /// The URI in wire form.
    public var description: String {
        var buffer: [UInt8] = []
        buffer.reserveCapacity(64)
        serialize(into: &buffer)
        return String(decoding: buffer, as: UTF8.self)
    }

    // MARK: Equivalence

    /// Whether two tel URIs are equivalent (RFC 3966 §4): numbers equal without visual separators, and the same
    /// set of parameters in any order, compared without regard to ASCII case (a global `phone-context` without its
    /// visual separators).
    public func isEquivalent(to other: TelURI) -> Bool {
        guard digitsOnly == other.digitsOnly, parameters.count == other.parameters.count else { return false }
        for parameter in parameters {
            guard let counterpart = other.parameter(named: parameter.name) else { return false }
            switch (parameter.value, counterpart.value) {
            case (nil, nil):
                continue
            case (let a?, let b?):
                let isContext = URISyntax.equalsIgnoringCase(parameter.name, "phone-context")
                let lhs = isContext && a.utf8.first == UInt8(ascii: "+") ? Self.digitsOnly(a) : a
                let rhs = isContext && b.utf8.first == UInt8(ascii: "+") ? Self.digitsOnly(b) : b
                guard URISyntax.equalsIgnoringCase(lhs, rhs) else { return false }
            default:
                return false
            }
        }
        return true
    }
}
