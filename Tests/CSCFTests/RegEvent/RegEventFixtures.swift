import CSCF
import Foundation
import IMSInterfaces
import SIPMessage

#if canImport(FoundationXML)
    import FoundationXML
#endif

/// SUBSCRIBE requests, registration states and a reginfo reader for the reg-event tests.
enum RegEventFixtures {
    static let alice = PublicIdentity(parsing: "sip:alice@ims.gatehouse.test")!
    static let aliceTel = PublicIdentity(parsing: "tel:+15550100001")!
    static let bob = PublicIdentity(parsing: "sip:bob@ims.gatehouse.test")!
    static let aliceIMPI = PrivateIdentity("alice@ims.gatehouse.test")!
    static let start = Timestamp(secondsSince1970: 1_700_000_000)
    static let flow = UEFlow(transport: "udp", address: "127.0.0.4", port: 5060)

    static func notifier(
        maxSubscriptions: Int = 100, perIdentity: Int = 4
    ) -> RegEventNotifier {
        RegEventNotifier(
            configuration: .init(
                contactURI: "sip:scscf.ims.gatehouse.test", maxSubscriptions: maxSubscriptions,
                maxSubscriptionsPerIdentity: perIdentity),
            random: { count in (0..<count).map { _ in UInt8.random(in: 0...255) } })
    }

    /// A SUBSCRIBE from alice's UE for her own registration state; `toTag` makes it an in-dialog one.
    static func subscribe(
        uri: String = "sip:alice@ims.gatehouse.test", event: String? = "reg", expires: Int? = 600000,
        callID: String = "sub-1@127.0.0.4", fromTag: String = "ue-sub-1", toTag: String? = nil, cseq: Int = 1,
        contact: String? = "<sip:alice@127.0.0.4:5060>",
        recordRoute: [String] = ["<sip:scscf.ims.gatehouse.test;lr>", "<sip:term@pcscf.ims.gatehouse.test;lr>"]
    ) throws -> SIPMessage {
        var lines = [
            "SUBSCRIBE \(uri) SIP/2.0",
            "Via: SIP/2.0/UDP 127.0.0.10:5060;branch=z9hG4bK-sub-\(cseq)",
            "Max-Forwards: 69",
            "From: <sip:alice@ims.gatehouse.test>;tag=\(fromTag)",
            "To: <\(uri)>" + (toTag.map { ";tag=\($0)" } ?? ""),
            "Call-ID: \(callID)",
            "CSeq: \(cseq) SUBSCRIBE",
        ]
        lines += recordRoute.map { "Record-Route: \($0)" }
        if let event { lines.append("Event: \(event)") }
        if let expires { lines.append("Expires: \(expires)") }
        if let contact { lines.append("Contact: \(contact)") }
        lines.append("Accept: application/reginfo+xml")
        lines.append("Content-Length: 0")
        return try SIPMessage(parsing: lines.joined(separator: "\r\n") + "\r\n\r\n")
    }

    /// Alice's implicit set with one contact per entry of `contacts`.
    static func registration(
        _ contacts: [(uri: String, state: ContactChange.State, event: ContactChange.Event?)] = [
            ("sip:alice@127.0.0.4:5060", .active, .registered)
        ],
        identities: [PublicIdentity] = [alice, aliceTel], expiresAt: Timestamp = start + 3600
    ) -> RegistrationChange {
        RegistrationChange(
            publicIdentities: identities, privateIdentity: aliceIMPI,
            contacts: contacts.map { contact in
                ContactChange(
                    binding: ContactBinding(
                        publicIdentity: identities[0], privateIdentity: aliceIMPI, contact: contact.uri,
                        instanceID: "<urn:uuid:00000000-0000-1000-8000-000A95A0E128>", callID: "reg-1@127.0.0.4",
                        cseq: 2, expiresAt: contact.state == .active ? expiresAt : start, registeredAt: start,
                        receivedFrom: "udp:127.0.0.4:5060"),
                    state: contact.state, event: contact.event)
            })
    }

    static func text(_ message: SIPMessage, _ name: HeaderName) -> [String] {
        message.headers.fieldValues(name).map { String(decoding: $0, as: UTF8.self) }
    }

    static func header(_ message: SIPMessage, _ name: HeaderName) -> String? {
        message.headers.firstString(name)
    }

    /// The To tag the notifier gave the subscription.
    static func notifierTag(_ response: SIPMessage) throws -> String? {
        try response.to.tag
    }
}

/// A reginfo document as XMLParser reads it: the elements in order with their attributes and text.
struct ParsedReginfo {
    struct Element {
        var name: String
        var namespace: String?
        var attributes: [String: String]
        var text: String
    }

    var elements: [Element] = []

    func all(_ name: String) -> [Element] { elements.filter { $0.name == name } }

    /// Parses `bytes`; nil when XMLParser finds them not well-formed.
    init?(_ bytes: [UInt8]) {
        let delegate = Collector()
        let parser = XMLParser(data: Data(bytes))
        parser.shouldProcessNamespaces = true
        parser.delegate = delegate
        guard parser.parse() else { return nil }
        elements = delegate.elements
    }

    private final class Collector: NSObject, XMLParserDelegate {
        var elements: [Element] = []
        var open: [Int] = []

        func parser(
            _ parser: XMLParser, didStartElement elementName: String, namespaceURI: String?, qualifiedName: String?,
            attributes: [String: String] = [:]
        ) {
            open.append(elements.count)
            elements.append(Element(name: elementName, namespace: namespaceURI, attributes: attributes, text: ""))
        }

        func parser(_ parser: XMLParser, foundCharacters string: String) {
            if let index = open.last { elements[index].text += string }
        }

        func parser(
            _ parser: XMLParser, didEndElement elementName: String, namespaceURI: String?, qualifiedName: String?
        ) {
            if let index = open.popLast() {
                elements[index].text = elements[index].text.trimmingCharacters(in: .whitespacesAndNewlines)
            }
        }
    }
}
