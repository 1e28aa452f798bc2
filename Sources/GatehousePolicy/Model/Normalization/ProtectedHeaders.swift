import SIPMessage

/// The headers normalization rules may not take apart, and the ones whose URI they may rewrite.
///
/// A B2BUA gives each leg its own transaction and dialog, so what identifies them is Gatehouse's to write, not a
/// rule's: Via, Call-ID, CSeq, the dialog's addresses (From, To, Contact, whose tags and parameters the dialog
/// depends on), the route set (Route, Record-Route), and the counters Gatehouse keeps true itself (Max-Forwards, which
/// `max_forwards` bounds, and Content-Length).
public enum ProtectedHeaders {
    /// No rule removes, adds or sets these; a wildcard `remove` or `private_headers` entry passes over them.
    public static let names: Set<HeaderName> = [
        .via, .callID, .cseq, .from, .to, .contact, .route, .recordRoute, .maxForwards, .contentLength,
    ]

    /// Of the protected headers, those whose URI's user, host or params a rewrite may change (the value as a whole
    /// holds the tags).
    public static let uriRewritable: Set<HeaderName> = [.from, .to, .contact]

    /// Registered headers whose values are name-addrs (`"Name" <URI>;params`), so that a rewrite may work on their
    /// URI. Extension headers (Diversion, Remote-Party-ID, …) are taken to be name-addrs too.
    public static let nameAddressHeaders: Set<HeaderName> = [
        .from, .to, .contact, .pAssertedIdentity, .pPreferredIdentity, .pCalledPartyID, .pAssociatedURI, .referTo,
        HeaderName("Referred-By"), HeaderName("Reply-To"), .path, .serviceRoute,
    ]

    public static func isProtected(_ name: HeaderName) -> Bool { names.contains(name) }

    /// Whether a rewrite of a URI part may name this header.
    public static func carriesURI(_ name: HeaderName) -> Bool {
        nameAddressHeaders.contains(name) || !name.isRegistered
    }
}
