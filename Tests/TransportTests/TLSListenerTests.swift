import NIOCore
import NIOPosix
import NIOSSL
import SIPMessage
import TestSupport
import Testing
import Transport

@Suite("TLS listeners")
struct TLSListenerTests {
    @Test("a TLS listener frames an OPTIONS and the handler's answer reaches the client")
    func tlsListenerAnswers() async throws {
        let certificates = try CertificateDirectory()
        defer { certificates.remove() }
        let server = try certificates.make(
            "server", commonName: "gatehouse.test", subjectAltName: "DNS:gatehouse.test,IP:127.0.0.150")
        try await withGroup { group in
            let endpoint = SIPEndpoint(transport: .tls, host: "127.0.0.150", port: 0)
            let recorder = Recorder(answers: true)
            let listeners = try await SIPListeners.bind(
                [endpoint], group: group, handler: recorder, limits: SIPLimits(),
                tls: [endpoint: TLSSettings(certificateChainFile: server.certificate, privateKeyFile: server.key)],
                logger: testLogger)
            var configuration = TLSConfiguration.makeClientConfiguration()
            configuration.trustRoots = .file(server.certificate)
            let collector = ByteCollector()
            let client = try await connectClient(
                to: listeners.address(.tls), from: "127.0.0.151", group: group,
                tls: NIOSSLContext(configuration: configuration), serverHostname: "gatehouse.test",
                collector: collector)
            try await client.send(options())
            let received = try await recorder.waitFor(1)
            #expect(received.text.hasPrefix("OPTIONS sip:gatehouse.test"))
            #expect(received.context.transport == .tls)
            #expect(received.context.listener == endpoint)
            #expect(received.context.remote.ipAddress == "127.0.0.151")
            #expect(await collector.waitFor("SIP/2.0 200 OK"))
            #expect(listeners.counters.openConnections == 1)
            try? await client.close()
            await listeners.close()
        }
    }

    @Test("a missing key file fails the bind and names the file")
    func missingKeyFile() async throws {
        let certificates = try CertificateDirectory()
        defer { certificates.remove() }
        let server = try certificates.make("server", commonName: "gatehouse.test", subjectAltName: "DNS:gatehouse.test")
        let missing = certificates.path + "/absent.key"
        try await withGroup { group in
            let endpoint = SIPEndpoint(transport: .tls, host: "127.0.0.152", port: 0)
            let error = await #expect(throws: SIPListeners.BindError.self) {
                _ = try await SIPListeners.bind(
                    [endpoint], group: group, handler: Recorder(), limits: SIPLimits(),
                    tls: [endpoint: TLSSettings(certificateChainFile: server.certificate, privateKeyFile: missing)],
                    logger: testLogger)
            }
            let underlying = error?.underlying as? TransportError
            #expect(underlying?.code == .tlsFile)
            #expect(underlying?.detail.contains(missing) == true)
            #expect(error?.endpoint == endpoint)
        }
    }

    @Test("a tls:// endpoint without settings is refused")
    func tlsWithoutSettings() async throws {
        try await withGroup { group in
            let endpoint = SIPEndpoint(transport: .tls, host: "127.0.0.152", port: 0)
            let error = await #expect(throws: SIPListeners.BindError.self) {
                _ = try await SIPListeners.bind(
                    [endpoint], group: group, handler: Recorder(), limits: SIPLimits(), logger: testLogger)
            }
            #expect((error?.underlying as? TransportError)?.code == .tlsNotConfigured)
        }
    }

    @Test("a listener that requires client certificates refuses a client without one and serves one with one")
    func clientCertificateRequired() async throws {
        let certificates = try CertificateDirectory()
        defer { certificates.remove() }
        let server = try certificates.make(
            "server", commonName: "gatehouse.test", subjectAltName: "DNS:gatehouse.test,IP:127.0.0.153")
        let peer = try certificates.make("peer", commonName: "carrier.test", subjectAltName: "DNS:carrier.test")
        try await withGroup { group in
            let endpoint = SIPEndpoint(transport: .tls, host: "127.0.0.153", port: 0)
            let recorder = Recorder(answers: true)
            let settings = TLSSettings(
                certificateChainFile: server.certificate, privateKeyFile: server.key, trustedCAFile: peer.certificate,
                requireClientCertificate: true)
            let listeners = try await SIPListeners.bind(
                [endpoint], group: group, handler: recorder, limits: SIPLimits(), tls: [endpoint: settings],
                logger: testLogger)
            let address = try listeners.address(.tls)

            var anonymous = TLSConfiguration.makeClientConfiguration()
            anonymous.trustRoots = .file(server.certificate)
            let refused = ByteCollector()
            let client = try await connectClient(
                to: address, from: "127.0.0.154", group: group, tls: NIOSSLContext(configuration: anonymous),
                serverHostname: "gatehouse.test", collector: refused)
            try? await client.send(options())
            #expect(await eventually { !client.isActive })
            #expect(recorder.messages.isEmpty)
            #expect(!refused.text.contains("SIP/2.0"))

            var authenticated = anonymous
            authenticated.certificateChain = try NIOSSLCertificate.fromPEMFile(peer.certificate).map {
                .certificate($0)
            }
            authenticated.privateKey = .privateKey(try NIOSSLPrivateKey(file: peer.key, format: .pem))
            let served = ByteCollector()
            let good = try await connectClient(
                to: address, from: "127.0.0.154", group: group, tls: NIOSSLContext(configuration: authenticated),
                serverHostname: "gatehouse.test", collector: served)
            try await good.send(options())
            #expect(await served.waitFor("SIP/2.0 200 OK"))
            #expect(recorder.messages.count == 1)
            try? await good.close()
            await listeners.close()
        }
    }
}
