import IMSInterfaces
import SIPMessage
import Testing

/// The canonical text of public identities (TS 23.003 §13.4): the spelling a REGISTER uses and the one provisioned
/// must compare equal.
@Suite struct PublicIdentityTests {
    @Test(arguments: [
        ("sip:alice@ims.gatehouse.test", "sip:alice@ims.gatehouse.test"),
        ("sip:alice@IMS.Gatehouse.TEST", "sip:alice@ims.gatehouse.test"),
        ("sip:Alice@ims.gatehouse.test", "sip:Alice@ims.gatehouse.test"),
        ("sip:alice@ims.gatehouse.test:5061", "sip:alice@ims.gatehouse.test"),
        ("sip:alice@ims.gatehouse.test;transport=tcp;lr", "sip:alice@ims.gatehouse.test"),
        ("sip:alice@ims.gatehouse.test:5060;user=phone?subject=hi", "sip:alice@ims.gatehouse.test"),
        ("sips:alice@ims.gatehouse.test", "sips:alice@ims.gatehouse.test"),
        ("sip:ims.gatehouse.test", "sip:ims.gatehouse.test"),
        ("tel:+15550100001", "tel:+15550100001"),
        ("tel:+1-555-010-0001", "tel:+15550100001"),
        ("tel:+1.555.010.0001", "tel:+15550100001"),
        ("tel:+1(555)010-0001;foo=bar", "tel:+15550100001"),
        ("tel:0100001;phone-context=+1555", "tel:0100001"),
    ])
    func canonicalForm(text: String, canonical: String) throws {
        let identity = try #require(PublicIdentity(parsing: text))
        #expect(identity.value == canonical)
        #expect(identity.description == canonical)
    }

    @Test func spellingsOfOneIdentityAreEqual() throws {
        let provisioned = try #require(PublicIdentity(parsing: "tel:+15550100001"))
        let dialled = try #require(PublicIdentity(parsing: "tel:+1-555-010-0001;phone-context=example.net"))
        #expect(provisioned == dialled)
        #expect(provisioned.isTel)
        let sip = try #require(PublicIdentity(parsing: "sip:alice@IMS.gatehouse.test:5060"))
        #expect(sip == PublicIdentity(parsing: "sip:alice@ims.gatehouse.test;transport=udp"))
        #expect(!sip.isTel)
        #expect(sip != PublicIdentity(parsing: "sip:Alice@ims.gatehouse.test"), "the user part is case-sensitive")
    }

    @Test func notAnIdentity() throws {
        #expect(PublicIdentity(parsing: "mailto:alice@ims.gatehouse.test") == nil)
        #expect(PublicIdentity(parsing: "alice") == nil)
        #expect(PublicIdentity(parsing: "") == nil)
        let hostOnly = try URI(parsing: "sip:ims.gatehouse.test")
        #expect(PublicIdentity(hostOnly, requireUser: true) == nil)
        #expect(PublicIdentity(hostOnly)?.value == "sip:ims.gatehouse.test")
    }

    @Test func backToAURI() throws {
        let identity = try #require(PublicIdentity(parsing: "sip:bob@ims.gatehouse.test:5060;transport=tcp"))
        let uri = try #require(identity.uri)
        #expect(PublicIdentity(uri) == identity)
        #expect(uri.description == "sip:bob@ims.gatehouse.test")
    }

    @Test func ordersByText() throws {
        let identities = ["tel:+15550100002", "sip:bob@ims.gatehouse.test", "sip:alice@ims.gatehouse.test"]
            .compactMap { PublicIdentity(parsing: $0) }
        #expect(
            identities.sorted().map(\.value) == [
                "sip:alice@ims.gatehouse.test", "sip:bob@ims.gatehouse.test", "tel:+15550100002",
            ])
    }
}

@Suite struct PrivateIdentityTests {
    @Test func realmIsLowerCasedUserIsNot() throws {
        let identity = try #require(PrivateIdentity("Alice@IMS.Gatehouse.Test"))
        #expect(identity.value == "Alice@ims.gatehouse.test")
        #expect(identity.realm == "ims.gatehouse.test")
        #expect(identity == PrivateIdentity("Alice@ims.gatehouse.test"))
        #expect(identity != PrivateIdentity("alice@ims.gatehouse.test"))
    }

    @Test func theLastAtSeparatesTheRealm() throws {
        let identity = try #require(PrivateIdentity("user@corp@Realm.Example"))
        #expect(identity.value == "user@corp@realm.example")
        #expect(identity.realm == "realm.example")
    }

    @Test func bareNameHasNoRealm() throws {
        let identity = try #require(PrivateIdentity("LabUser"))
        #expect(identity.value == "LabUser")
        #expect(identity.realm == nil)
    }

    @Test(arguments: ["", "alice @ims.gatehouse.test", "alice@ims.gatehouse.test\n", "al\u{7F}ice"])
    func rejected(text: String) {
        #expect(PrivateIdentity(text) == nil)
    }
}
