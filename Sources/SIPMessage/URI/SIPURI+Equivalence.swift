// URI comparison, RFC 3261 §19.1.4.
//
//   o  A SIP and SIPS URI are never equivalent.
//   o  Comparison of the userinfo of SIP and SIPS URIs is case-sensitive. [...] Comparison of all other components
//      of the URI is case-insensitive unless explicitly defined otherwise.
//   o  Characters other than those in the "reserved" set are equivalent to their "%" HEX HEX encoding.
//   o  An IP address that is the result of a DNS lookup of a host name does not match that host name.
//   o  For two URIs to be equal, the user, password, host, and port components must match. A URI omitting the user
//      component will not match a URI that includes one. A URI omitting the password component will not match a
//      URI that includes one. A URI omitting any component with a default value will not match a URI explicitly
//      containing that component with its default value.
//   o  URI uri-parameter components are compared as follows:
//      -  Any uri-parameter appearing in both URIs must match.
//      -  A user, ttl, or method uri-parameter appearing in only one URI never matches, even if it contains the
//         default value.
//      -  A URI that includes an maddr parameter will not match a URI that contains no maddr parameter.
//      -  All other uri-parameters appearing in only one URI are ignored when comparing the URIs.
//   o  URI header components are never ignored. Any present header component MUST be present in both URIs and match
//      for the URIs to match.
//
// Components are compared after unescaping, so "%61lice" equals "alice" (and, more leniently than the RFC, an
// escaped reserved character equals the character itself). `transport` falls under the "default value" rule.
// Header names compare without regard to ASCII case, header values exactly, and the order of headers does not
// matter (§19.1.4's example reorders them).

extension SIPURI {
    /// Parameters that must be present in both URIs or in neither.
    private static let parametersThatMustAgree = ["user", "ttl", "method", "maddr", "transport"]

    /// Whether the two URIs are equivalent under RFC 3261 §19.1.4.
    public func isEquivalent(to other: SIPURI) -> Bool {
        guard isSecure == other.isSecure,
            Self.sameBytes(user, other.user),
            Self.sameBytes(password, other.password),
            host == other.host,
            port == other.port
        else { return false }

        for name in Self.parametersThatMustAgree where hasParameter(named: name) != other.hasParameter(named: name) {
            return false
        }
        // A name repeated in one URI is compared by its first occurrence, so that a URI is equivalent to itself.
        let counterparts = Self.firstOccurrences(other.parameters)
        for (name, parameter) in Self.firstOccurrences(parameters) {
            guard let counterpart = counterparts[name] else { continue }
            guard Self.parameterValuesMatch(parameter, counterpart) else { return false }
        }
        return Self.sameHeaders(headers, other.headers)
    }

    /// The first parameter of each name, keyed by the name in lower case.
    private static func firstOccurrences(_ parameters: [URIParameter]) -> [[UInt8]: URIParameter] {
        var result: [[UInt8]: URIParameter] = [:]
        for parameter in parameters {
            let key = parameter.name.utf8.map(URISyntax.lowercased)
            if result[key] == nil { result[key] = parameter }
        }
        return result
    }

    private static func sameBytes(_ lhs: String?, _ rhs: String?) -> Bool {
        switch (lhs, rhs) {
        case (nil, nil): true
        case (let a?, let b?): a.utf8.elementsEqual(b.utf8)
        default: false
        }
    }

    /// Parameter values compare without regard to ASCII case; `maddr` values that are hosts compare as hosts.
    private static func parameterValuesMatch(_ lhs: URIParameter, _ rhs: URIParameter) -> Bool {
        switch (lhs.value, rhs.value) {
        case (nil, nil):
            return true
        case (let a?, let b?):
            if URISyntax.equalsIgnoringCase(lhs.name, "maddr"), let hostA = try? Host(parsing: a),
                let hostB = try? Host(parsing: b)
            {
                return hostA == hostB
            }
            return URISyntax.equalsIgnoringCase(a, b)
        default:
            return false
        }
    }

    /// Whether both lists hold the same headers, in any order (names without regard to case, values exactly).
    private static func sameHeaders(_ lhs: [URIHeader], _ rhs: [URIHeader]) -> Bool {
        guard lhs.count == rhs.count else { return false }
        struct Key: Hashable {
            var name: [UInt8]
            var value: [UInt8]
            init(_ header: URIHeader) {
                name = header.name.utf8.map(URISyntax.lowercased)
                value = Array(header.value.utf8)
            }
        }
        var unmatched: [Key: Int] = [:]
        for header in rhs { unmatched[Key(header), default: 0] += 1 }
        for header in lhs {
            let key = Key(header)
            guard let count = unmatched[key], count > 0 else { return false }
            unmatched[key] = count - 1
        }
        return true
    }
}
