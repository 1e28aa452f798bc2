import Foundation
import GatehouseServer
import SIPMessage
import Testing

/// `tls://` listeners: the realm's certificate (relative paths resolved against the policy file), a real TLS
/// client (openssl s_client verifying the certificate), and a start that fails with the missing file's name.
@Suite(.serialized)
struct NodeTLSIntegrationTests {
    @Test func optionsOverTLSGets200() async throws {
        let workspace = try PolicyWorkspace()
        defer { workspace.remove() }
        let certificate = try await workspace.makeCertificate(for: "127.0.0.120")
        let file = try workspace.writePolicy(
            listeners: ["udp://127.0.0.120:5060", "tls://127.0.0.120:5061"],
            realmExtra: "    tls: { certificate: tls/node.crt, key: tls/node.key }")
        let node = try workspace.node(policyFile: file)
        let running = try await node.start()
        defer { Task { await node.stop(running) } }

        let answer = try await TLSClientProbe.exchange(
            ReloadProbe.options(branch: "tls1", host: "127.0.0.120", transport: "TLS"), host: "127.0.0.120",
            port: 5061, caFile: certificate)
        let response = try SIPMessage(parsing: answer)
        #expect(response.statusCode == 200, "\(answer)")
        #expect(response.headers.firstString(.callID) == "tls1@example.com")
        #expect(node.counters.snapshot.responses[200] == 1)
        #expect(node.transportCounters.snapshot.acceptedConnections == 1)
    }

    @Test func aMissingCertificateFailsTheStartNamingTheFile() async throws {
        let workspace = try PolicyWorkspace()
        defer { workspace.remove() }
        let file = try workspace.writePolicy(
            listeners: ["udp://127.0.0.121:5060", "tls://127.0.0.121:5061"],
            realmExtra: "    tls: { certificate: tls/absent.crt, key: tls/absent.key }")
        let node = try workspace.node(policyFile: file)
        do {
            let running = try await node.start()
            await node.stop(running)
            Issue.record("started without its certificate")
        } catch {
            #expect("\(error)".contains(workspace.directory + "/tls/absent.crt"), "\(error)")
            #expect("\(error)".contains("tls://127.0.0.121:5061"), "\(error)")
        }
        // Nothing stayed bound: the UDP listener bound before the TLS one was closed again.
        let probe = try SocketProbe(udpFrom: "127.0.0.139")
        probe.send(ReloadProbe.options(branch: "m1", host: "127.0.0.121"), to: "127.0.0.121", port: 5060)
        #expect(probe.receive(timeoutMilliseconds: 300) == nil)
    }
}
