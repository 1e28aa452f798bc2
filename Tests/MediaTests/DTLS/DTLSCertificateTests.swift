import Foundation
import Media
import SDP
import Testing

/// The node certificate: generation, PEM, and the files in the state directory.
@Suite("DTLS certificate")
struct DTLSCertificateTests {
    @Test("a generated certificate has a SHA-256 fingerprint of 32 bytes as SDP writes it")
    func fingerprint() throws {
        let certificate = try DTLSCertificate.generate()
        #expect(certificate.fingerprint.hashFunction == "sha-256")
        #expect(certificate.fingerprint.verifiableDigest?.digest.count == 32)
        #expect(Fingerprint(attributeValue: certificate.fingerprint.attributeValue) == certificate.fingerprint)
        #expect(try DTLSCertificate.generate().fingerprint != certificate.fingerprint, "a new key each time")
    }

    @Test("PEM out and back in gives the same certificate")
    func pemRoundTrip() throws {
        let certificate = try DTLSCertificate.generate(commonName: "edge-1")
        let pem = String(decoding: certificate.certificatePEM, as: UTF8.self)
        #expect(pem.hasPrefix("-----BEGIN CERTIFICATE-----"))
        #expect(String(decoding: certificate.privateKeyPEM, as: UTF8.self).hasPrefix("-----BEGIN PRIVATE KEY-----"))
        let reloaded = try DTLSCertificate(
            certificatePEM: certificate.certificatePEM, privateKeyPEM: certificate.privateKeyPEM)
        #expect(reloaded.fingerprint == certificate.fingerprint)
    }

    @Test("bad PEM and a key of another certificate are typed errors")
    func badPEM() throws {
        let one = try DTLSCertificate.generate()
        let other = try DTLSCertificate.generate()
        #expect(throws: DTLSError.self) {
            _ = try DTLSCertificate(certificatePEM: Array("not pem".utf8), privateKeyPEM: one.privateKeyPEM)
        }
        #expect(throws: DTLSError.self) {
            _ = try DTLSCertificate(certificatePEM: one.certificatePEM, privateKeyPEM: [])
        }
        do {
            _ = try DTLSCertificate(certificatePEM: one.certificatePEM, privateKeyPEM: other.privateKeyPEM)
            Issue.record("a foreign key was accepted")
        } catch {
            #expect(error.code == .certificateInvalid)
        }
    }

    @Test("loadOrCreate writes the pair on first start (key 0600) and reuses it after")
    func persistence() throws {
        let directory = Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let created = try DTLSCertificate.loadOrCreate(directory: directory + "/state")
        let keyPath = directory + "/state/" + DTLSCertificate.privateKeyFileName
        let attributes = try FileManager.default.attributesOfItem(atPath: keyPath)
        #expect((attributes[.posixPermissions] as? NSNumber)?.intValue == 0o600)
        let certificatePath = directory + "/state/" + DTLSCertificate.certificateFileName
        #expect(FileManager.default.fileExists(atPath: certificatePath))
        let reloaded = try DTLSCertificate.loadOrCreate(directory: directory + "/state")
        #expect(reloaded.fingerprint == created.fingerprint)
        #expect(!FileManager.default.fileExists(atPath: keyPath + ".tmp"))
    }

    @Test("an expired or incomplete pair is replaced; a corrupt one is an error, left in place")
    func replacement() throws {
        let directory = Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let yearAgo = Date().addingTimeInterval(-400 * 86_400)
        let old = try DTLSCertificate.loadOrCreate(directory: directory, now: yearAgo)
        #expect(old.hasExpired(at: Date()))
        let renewed = try DTLSCertificate.loadOrCreate(directory: directory)
        #expect(renewed.fingerprint != old.fingerprint)
        #expect(!renewed.hasExpired(at: Date()))

        let keyPath = directory + "/" + DTLSCertificate.privateKeyFileName
        try FileManager.default.removeItem(atPath: keyPath)
        let regenerated = try DTLSCertificate.loadOrCreate(directory: directory)
        #expect(regenerated.fingerprint != renewed.fingerprint)

        try Data("garbage".utf8).write(to: URL(fileURLWithPath: keyPath))
        do {
            _ = try DTLSCertificate.loadOrCreate(directory: directory)
            Issue.record("a corrupt key was accepted")
        } catch {
            #expect(error.code == .certificateInvalid)
        }
        #expect(FileManager.default.contents(atPath: keyPath) == Data("garbage".utf8))
    }

    private static func temporaryDirectory() -> String {
        FileManager.default.temporaryDirectory.appendingPathComponent("gh-dtls-\(UUID().uuidString)").path
    }
}
