import IMSInterfaces
import SIPMessage

/// The `application/reginfo+xml` document of the reg event (RFC 3680 §5): one `<registration>` per identity of
/// the implicit registration set (TS 24.229 §5.4.2.1.2), each with the set's contacts.
///
/// ```xml
/// <?xml version="1.0" encoding="UTF-8"?>
/// <reginfo xmlns="urn:ietf:params:xml:ns:reginfo" version="0" state="full">
///   <registration aor="sip:alice@ims.example.net" id="r1f0c…" state="active">
///     <contact id="c93a1…" state="active" event="registered" expires="3600" callid="…" cseq="2">
///       <uri>sip:alice@192.0.2.4:5060</uri>
///     </contact>
///   </registration>
/// </reginfo>
/// ```
///
/// Registration and contact ids are hashes of the identity (and the contact), the same in every document, as
/// RFC 3680 §5.1 asks of ids that a subscriber matches across partial notifications. All text is XML-escaped, and
/// characters XML 1.0 does not allow are dropped.
public enum ReginfoDocument {
    public static let contentType = ContentType(type: "application", subtype: "reginfo+xml")

    /// The document for `change`, as bytes.
    ///
    /// - Parameters:
    ///   - version: the subscription's document counter (RFC 3680 §5.1: 0 in the first, one more in each next).
    ///   - full: full state, or partial: then only the contacts the change touched (those with an event).
    ///   - now: when given, each contact says how long it has left (`expires`, 0 once terminated) and how long it
    ///     has been registered (`duration-registered`).
    public static func xml(version: Int, full: Bool, change: RegistrationChange, now: Timestamp? = nil) -> [UInt8] {
        let contacts = full ? change.contacts : change.contacts.filter { $0.event != nil }
        let registrationState: String
        if change.contacts.isEmpty {
            registrationState = "init"
        } else {
            registrationState = change.isTerminated ? "terminated" : "active"
        }
        var text = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
        text += "<reginfo xmlns=\"urn:ietf:params:xml:ns:reginfo\" version=\"\(version)\""
        text += " state=\"\(full ? "full" : "partial")\">\n"
        for identity in change.publicIdentities {
            text += "  <registration aor=\"\(escaped(identity.value))\" id=\"r\(stableID(identity.value))\""
            text += " state=\"\(registrationState)\">\n"
            for contact in contacts {
                text += contactElement(contact, of: identity, now: now)
            }
            text += "  </registration>\n"
        }
        text += "</reginfo>\n"
        return Array(text.utf8)
    }

    private static func contactElement(_ contact: ContactChange, of identity: PublicIdentity, now: Timestamp?) -> String
    {
        let binding = contact.binding
        let uri = contactURI(binding.contact)
        let event = contact.event ?? (contact.state == .active ? .registered : .unregistered)
        var text = "    <contact id=\"c\(stableID(identity.value + "\n" + uri))\" state=\"\(contact.state.rawValue)\""
        text += " event=\"\(event.rawValue)\""
        if let now {
            let remaining = contact.state == .active ? max(0, now.seconds(until: binding.expiresAt)) : 0
            text += " expires=\"\(remaining)\""
            text += " duration-registered=\"\(max(0, binding.registeredAt.seconds(until: now)))\""
        }
        text += " callid=\"\(escaped(binding.callID))\" cseq=\"\(binding.cseq)\">\n"
        text += "      <uri>\(escaped(uri))</uri>\n"
        if let instance = binding.instanceID {
            text += "      <unknown-param name=\"+sip.instance\">\(escaped(instance))</unknown-param>\n"
        }
        text += "    </contact>\n"
        return text
    }

    /// The URI of a contact kept as a name-addr (`<sip:…>;params`, `"Alice" <sip:…>`); a bare URI as it is (its
    /// parameters are URI parameters then, RFC 3261 §20.10).
    private static func contactURI(_ contact: String) -> String {
        let isNameAddress = contact.first == "\"" || contact.prefix { $0 != ":" }.contains("<")
        guard isNameAddress, let address = try? NameAddress(parsing: contact) else { return contact }
        return address.uriText
    }

    /// Text for an XML attribute or element: markup characters as entities, characters XML 1.0 forbids dropped
    /// (control characters other than tab, line feed and carriage return).
    static func escaped(_ text: String) -> String {
        var result = ""
        result.reserveCapacity(text.utf8.count)
        for scalar in text.unicodeScalars {
            switch scalar {
            case "&": result += "&amp;"
            case "<": result += "&lt;"
            case ">": result += "&gt;"
            case "\"": result += "&quot;"
            case "'": result += "&apos;"
            case "\t", "\n", "\r": result.unicodeScalars.append(scalar)
            default:
                if scalar.value >= 0x20 && scalar.value != 0xFFFE && scalar.value != 0xFFFF {
                    result.unicodeScalars.append(scalar)
                }
            }
        }
        return result
    }

    /// FNV-1a, 64 bits, as hex: the same in every process (Swift's `Hasher` is seeded per process).
    static func stableID(_ text: String) -> String {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in text.utf8 {
            hash ^= UInt64(byte)
            hash = hash &* 0x0000_0100_0000_01b3
        }
        let hex = String(hash, radix: 16)
        return String(repeating: "0", count: 16 - hex.count) + hex
    }
}
