import SIPMessage

/// The value of an Event header (RFC 6665 §8.2.1): the package name and its `id`, which tells apart several
/// subscriptions to one package in one dialog.
///
/// ```
/// Event      = ( "Event" / "o" ) HCOLON event-type *( SEMI event-param )
/// event-type = event-package *( "." event-template )
/// event-param = generic-param / ( "id" EQUAL token )
/// ```
struct EventHeaderValue: Hashable, Sendable {
    var package: String
    var id: String?

    /// Nil for a value that is not `token *( ; param )`.
    init?(parsing bytes: ArraySlice<UInt8>) {
        let text = String(decoding: bytes, as: UTF8.self)
        let parts = text.split(separator: ";", maxSplits: 1, omittingEmptySubsequences: false)
        let package = parts[0].trimmingBlanks
        guard !package.isEmpty, !package.contains(where: { $0 == " " || $0 == "\t" }) else { return nil }
        self.package = package
        if parts.count > 1 {
            guard let parameters = try? HeaderParameters(parsing: Array(parts[1].utf8)[...]) else { return nil }
            id = parameters.value("id")
        } else {
            id = nil
        }
    }

    /// Whether this is the registration package (RFC 3680 §4.1), its name compared exactly as IANA registers it.
    var isRegistrationPackage: Bool { package == "reg" }
}

extension Substring {
    fileprivate var trimmingBlanks: String {
        var slice = self
        while slice.first == " " || slice.first == "\t" { slice = slice.dropFirst() }
        while slice.last == " " || slice.last == "\t" { slice = slice.dropLast() }
        return String(slice)
    }
}
