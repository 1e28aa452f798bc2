import Foundation
import GatehousePolicy
import GatehouseServer
import Testing

/// `gatehouse hss …` as the CLI drives it: provisioning from a subscriber file, listing, showing, removing, in the
/// store the policy names; a bad file changes nothing.
@Suite struct IMSAdministrationTests {
    static func administration(in workspace: PolicyWorkspace) throws -> IMSAdministration {
        let policy = try PolicyLoader.load(
            yaml: """
                version: 1
                node: { name: hss-admin, state: "sqlite:state/hss.db" }
                realms:
                  access:
                    listen: ["udp://127.0.0.219:5060"]
                ims: { domain: ims.gatehouse.test, hss: embedded }
                """, file: "hss-admin.yaml")
        return try IMSAdministration(policy: policy, directory: workspace.directory)
    }

    static let file = """
        subscribers:
          - private_identity: carol@ims.gatehouse.test
            public_identities: [sip:carol@ims.gatehouse.test, "tel:+15550100003"]
            aka: { k: 000102030405060708090a0b0c0d0e0f, opc: 0f0e0d0c0b0a09080706050403020100, amf: "8000" }
          - private_identity: pbx@ims.gatehouse.test
            public_identities:
              - sip:pbx@ims.gatehouse.test
              - { identity: "tel:+1555019!\\\\d{4}!", implicit_set: pbx }
            digest: { password: pbx-secret }
            authentication: digest-md5
        """

    @Test func aSubscriberFileIsProvisionedListedShownAndRemoved() throws {
        let workspace = try PolicyWorkspace()
        defer { workspace.remove() }
        let administration = try Self.administration(in: workspace)
        let added = try administration.importFile(Self.file, file: "subscribers.yaml")
        #expect(added == ["carol@ims.gatehouse.test", "pbx@ims.gatehouse.test"])
        #expect(FileManager.default.fileExists(atPath: workspace.directory + "/state/hss.db"))

        let list = try administration.list()
        #expect(list.contains("carol@ims.gatehouse.test  [sip:carol@ims.gatehouse.test, tel:+15550100003]"))
        #expect(list.contains("not registered"))

        let shown = try administration.show(privateIdentity: "pbx@ims.gatehouse.test")
        #expect(shown.contains("tel:+1555019!\\d{4}!  set pbx"))
        #expect(shown.contains("authentication: SIP Digest"))
        #expect(!shown.contains("pbx-secret"), "a secret was printed")
        let carol = try administration.show(privateIdentity: "carol@ims.gatehouse.test")
        #expect(!carol.contains("000102030405060708090a0b0c0d0e0f"), "a key was printed")

        #expect(try administration.remove(privateIdentity: "carol@ims.gatehouse.test"))
        #expect(try !administration.remove(privateIdentity: "carol@ims.gatehouse.test"))
        #expect(throws: IMSAdministration.AdministrationError.self) {
            try administration.show(privateIdentity: "carol@ims.gatehouse.test")
        }
    }

    @Test func aBadFileIsRefusedWithItsLineAndChangesNothing() throws {
        let workspace = try PolicyWorkspace()
        defer { workspace.remove() }
        let administration = try Self.administration(in: workspace)
        let bad = """
            subscribers:
              - private_identity: dave@ims.gatehouse.test
                public_identities: [sip:dave@ims.gatehouse.test]
                aka: { k: 0011, op: 47617465686f7573654c61624f503031 }
            """
        do {
            _ = try administration.importFile(bad, file: "bad.yaml")
            Issue.record("a short K was accepted")
        } catch let error as PolicyValidationError {
            #expect(error.diagnostics.contains { $0.description.hasPrefix("bad.yaml:4:") })
        }
        #expect(try administration.list().isEmpty)
    }

    @Test func aPolicyWithoutTheEmbeddedCoreHasNoHSS() throws {
        let policy = try PolicyLoader.load(
            yaml: """
                version: 1
                node: { name: hss-admin }
                realms:
                  access:
                    listen: ["udp://127.0.0.219:5060"]
                """, file: "plain.yaml")
        #expect(throws: IMSAdministration.AdministrationError.self) {
            _ = try IMSAdministration(policy: policy, directory: "/tmp")
        }
    }
}
