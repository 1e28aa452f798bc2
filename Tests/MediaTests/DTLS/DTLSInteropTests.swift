import Foundation
import Media
import SDP
import TestSupport
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// The association against OpenSSL's own command-line peer over loopback UDP: the handshake completes and the
/// keying material the tool exports with the DTLS-SRTP label is the one the association split into its keys.
///
/// Addresses and ports are this suite's own (127.0.0.31–39, UDP 50000–50999).
@Suite("DTLS-SRTP against openssl s_server and s_client", .serialized)
struct DTLSInteropTests {
    /// Our client against `openssl s_server`. s_server ends a connection as soon as its stdin reads end of file,
    /// so its stdin is a FIFO this test holds open and never writes.
    @Test("our client handshakes with openssl s_server and exports the same keying material")
    func clientAgainstServer() async throws {
        let openssl = try #require(ExternalProcess.find("openssl"), "install openssl")
        let files = try PeerFiles()
        defer { files.remove() }
        let fifo = files.directory + "/stdin"
        try #require(mkfifo(fifo, 0o600) == 0)
        let holder = open(fifo, O_RDWR)
        try #require(holder >= 0)
        defer { close(holder) }

        let server = try ExternalProcess.start(
            "/bin/sh",
            [
                "-c",
                "exec \(openssl) s_server -dtls1_2 -accept 127.0.0.31:50101 -naccept 1 -verify 1"
                    + " -cert \(files.certificatePath) -key \(files.keyPath) -use_srtp SRTP_AES128_CM_SHA1_80"
                    + " -keymatexport EXTRACTOR-dtls_srtp -keymatexportlen 60 < \(fifo)",
            ])
        defer { server.stop() }
        try await server.waitUntilBound([.udp("127.0.0.31", 50101)])

        let association = try DTLSAssociation(
            context: try DTLSContext(certificate: try DTLSCertificate.generate()), role: .client,
            remoteFingerprints: [files.certificate.fingerprint])
        let socket = try LoopbackUDPSocket(host: "127.0.0.32", port: 50102)
        try Self.drive(association, over: socket, peerHost: "127.0.0.31", peerPort: 50101, start: association.start())
        let keys = try #require(association.state.keys, "state: \(association.state)")
        for datagram in association.close() { try socket.send(datagram, to: "127.0.0.31", port: 50101) }

        let outcome = try await server.finish(within: .seconds(10))
        let material = try #require(Self.keyingMaterial(in: outcome.output), "s_server said: \(outcome.output)")
        #expect(material == keys.localKey + keys.remoteKey + keys.localSalt + keys.remoteSalt, "client writes first")
        #expect(outcome.output.contains("SRTP_AES128_CM_SHA1_80") || outcome.output.contains("SRTP"))
    }

    /// Our server against `openssl s_client`, which handshakes before it reads its (empty) stdin and then quits.
    @Test("our server handshakes with openssl s_client and exports the same keying material")
    func serverAgainstClient() async throws {
        let openssl = try #require(ExternalProcess.find("openssl"), "install openssl")
        let files = try PeerFiles()
        defer { files.remove() }
        let socket = try LoopbackUDPSocket(host: "127.0.0.33", port: 50201)
        let association = try DTLSAssociation(
            context: try DTLSContext(certificate: try DTLSCertificate.generate()), role: .server,
            remoteFingerprints: [files.certificate.fingerprint])

        let client = try ExternalProcess.start(
            openssl,
            [
                "s_client", "-dtls1_2", "-connect", "127.0.0.33:50201", "-bind", "127.0.0.34:50202",
                "-cert", files.certificatePath, "-key", files.keyPath,
                "-use_srtp", "SRTP_AES128_CM_SHA1_32:SRTP_AES128_CM_SHA1_80",
                "-keymatexport", "EXTRACTOR-dtls_srtp", "-keymatexportlen", "60",
            ])
        defer { client.stop() }
        let sent = try Self.drive(association, over: socket, peerHost: "127.0.0.34", peerPort: 50202, start: [])
        let keys = try #require(association.state.keys, "state: \(association.state)")
        // RFC 6347 §4.2.1: s_client's first ClientHello got a HelloVerifyRequest (handshake type 3) alone, and
        // the server flight (ServerHello, 2) went only to the ClientHello that returned the cookie.
        let types = sent.compactMap { $0.count > 13 && $0[0] == 22 ? $0[13] : nil }
        #expect(types.first == 3, "handshake types sent: \(types)")
        #expect(sent.first.map(\.count) ?? 0 < 100)
        #expect(types.dropFirst().first == 2)
        #expect(keys.profile == .aes128CMSHA1Tag80, "the server's first choice among the client's")

        let outcome = try await client.finish(within: .seconds(10))
        let material = try #require(Self.keyingMaterial(in: outcome.output), "s_client said: \(outcome.output)")
        #expect(material == keys.remoteKey + keys.localKey + keys.remoteSalt + keys.localSalt, "client writes first")
    }

    /// Sends `start`, then passes datagrams between the socket and the association, retransmitting on its timer,
    /// until it leaves the handshake or 10 s pass. Returns what the association sent, in order.
    @discardableResult
    private static func drive(
        _ association: DTLSAssociation, over socket: LoopbackUDPSocket, peerHost: String, peerPort: UInt16,
        start: [[UInt8]]
    ) throws -> [[UInt8]] {
        var sent = start
        for datagram in start { try socket.send(datagram, to: peerHost, port: peerPort) }
        let deadline = ContinuousClock.now + .seconds(10)
        while case .handshaking = association.state, ContinuousClock.now < deadline {
            let wait = association.retransmissionTimeout ?? .milliseconds(100)
            let outgoing: [[UInt8]]
            if let (datagram, _) = socket.receive(timeout: min(wait, .milliseconds(100))) {
                guard MediaDatagramKind(classifying: datagram) == .dtls else { continue }
                outgoing = association.receive(datagram, from: Array("\(peerHost):\(peerPort)".utf8))
            } else {
                outgoing = association.handleTimeout()
            }
            sent += outgoing
            for datagram in outgoing { try socket.send(datagram, to: peerHost, port: peerPort) }
        }
        return sent
    }

    /// The hex after "Keying material: " in s_server's or s_client's output.
    private static func keyingMaterial(in output: String) -> [UInt8]? {
        guard let line = output.split(separator: "\n").first(where: { $0.contains("Keying material:") }),
            let hex = line.split(separator: " ").last
        else { return nil }
        return hexBytes(hex)
    }
}

/// The peer's certificate and key, written where the tool can read them.
private struct PeerFiles {
    let directory: String
    let certificate: DTLSCertificate

    init() throws {
        directory =
            FileManager.default.temporaryDirectory.appendingPathComponent("gh-dtls-peer-\(UUID().uuidString)")
            .path
        certificate = try DTLSCertificate.loadOrCreate(directory: directory)
    }

    var certificatePath: String { directory + "/" + DTLSCertificate.certificateFileName }
    var keyPath: String { directory + "/" + DTLSCertificate.privateKeyFileName }

    func remove() {
        try? FileManager.default.removeItem(atPath: directory)
    }
}
