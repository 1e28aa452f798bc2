// Serialization of SIP and SIPS URIs: the inverse of SIPURI+Parsing.swift.
//
// Each component is escaped against its own grammar rule, so parse → serialize → parse gives an equal value and a
// URI already in canonical form (nothing escaped that need not be, upper-case hex in escapes, lower-case scheme)
// comes out byte for byte. Hosts are written as they were parsed.

extension SIPURI {
    /// Appends the URI in wire form.
    ///
    /// Values that the grammar cannot carry are written in the nearest valid form rather than producing an invalid
    /// URI: an empty user is left out (with its password), a parameter with an empty name is skipped and one with an
    /// empty value is written as a flag, and a header with an empty name is skipped.
    public func serialize(into buffer: inout [UInt8]) {
        URISyntax.append(isSecure ? "sips:" : "sip:", to: &buffer)
        if let user, !user.isEmpty {
            URISyntax.escape(user, allowed: .user, into: &buffer)
            if let password {
                buffer.append(UInt8(ascii: ":"))
                URISyntax.escape(password, allowed: .password, into: &buffer)
            }
            buffer.append(UInt8(ascii: "@"))
        }
        host.serialize(into: &buffer)
        if let port {
            buffer.append(UInt8(ascii: ":"))
            URISyntax.append(String(port), to: &buffer)
        }
        Self.serialize(parameters, into: &buffer)
        var separator = UInt8(ascii: "?")
        for header in headers where !header.name.isEmpty {
            buffer.append(separator)
            separator = UInt8(ascii: "&")
            URISyntax.escape(header.name, allowed: .header, into: &buffer)
            buffer.append(UInt8(ascii: "="))
            URISyntax.escape(header.value, allowed: .header, into: &buffer)
        }
    }

    /// Appends `;name[=value]` for each parameter, escaped as `paramchar` requires.
    static func serialize(_ parameters: [URIParameter], into buffer: inout [UInt8]) {
        for parameter in parameters where !parameter.name.isEmpty {
            buffer.append(UInt8(ascii: ";"))
            URISyntax.escape(parameter.name, allowed: .parameter, into: &buffer)
            if let value = parameter.value, !value.isEmpty {
                buffer.append(UInt8(ascii: "="))
                URISyntax.escape(value, allowed: .parameter, into: &buffer)
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
}
