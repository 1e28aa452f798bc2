import Foundation
import GatehousePolicy
import SIPMessage
import Testing

@testable import GatehouseServer

/// Next hops before and after RFC 3263: the Request-URI a callee sees, and the system's DNS servers.
struct NextHopTests {
    @Test func theRequestURINamesTheDomainOfANamedNextHop() throws {
        let named = NextHop(uri: try SIPURI(parsing: "sip:carrier.example.net;transport=tcp"))
        let resolved = SIPEndpoint(transport: .tcp, host: "192.0.2.7", port: 5070)
        #expect(named.transport == .tcp)
        #expect(
            named.requestURI(user: "+15551230000", destination: resolved).description
                == "sip:+15551230000@carrier.example.net;transport=tcp")

        let address = NextHop(uri: try SIPURI(parsing: "sip:[2001:db8::7]:5080"))
        let endpoint = SIPEndpoint(transport: .udp, host: "2001:db8::7", port: 5080)
        guard case .address(endpoint) = address else {
            Issue.record("an IP literal is an address, not a name: \(address)")
            return
        }
        #expect(address.requestURI(user: "+1555", destination: endpoint).description == "sip:+1555@[2001:db8::7]:5080")
        #expect(NextHop(uri: try SIPURI(parsing: "sips:edge.example.net")).transport == .tls)
    }

    @Test func systemServersComeFromResolvConf() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("resolv-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        try """
        # generated
        search example.net
        nameserver 192.0.2.53
        nameserver\tfe80::1%eth0
        options ndots:1
        """.write(toFile: path, atomically: true, encoding: .utf8)
        #expect(
            NextHopLocator.systemServers(resolvConf: path) == [
                DNSSettings.Server(host: "192.0.2.53"), DNSSettings.Server(host: "fe80::1"),
            ])
        #expect(NextHopLocator.systemServers(resolvConf: path + ".missing").isEmpty)
    }
}
