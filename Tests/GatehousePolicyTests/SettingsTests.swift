import GatehousePolicy
import SIPMessage
import Testing

/// Realm TLS settings, timers, limits, the IMS section, and the shipped example policies.
struct SettingsTests {
    @Test func tlsSettings() throws {
        let policy = try PolicyFixtures.load(
            """
            version: 1
            node: { name: t }
            realms:
              access:
                listen: ["tls://[2001:db8::10]:5061", "udp://127.0.0.10:5060"]
                tls:
                  certificate: /etc/gatehouse/edge.crt
                  key: /etc/gatehouse/edge.key
                  client_cas: /etc/gatehouse/cas.pem
                  require_client_certificate: true
              plain:
                listen: ["tls://127.0.0.20:5061"]
                tls: { certificate: e.crt, key: e.key }
            """)
        #expect(
            policy.realm(named: "access")?.tls
                == RealmTLSSettings(
                    certificate: "/etc/gatehouse/edge.crt", key: "/etc/gatehouse/edge.key",
                    clientCAs: "/etc/gatehouse/cas.pem", requireClientCertificate: true))
        #expect(policy.realm(named: "plain")?.tls == RealmTLSSettings(certificate: "e.crt", key: "e.key"))
        #expect(policy.realm(named: "plain")?.tls?.requireClientCertificate == false)
    }

    @Test func tlsErrors() {
        let found = PolicyFixtures.diagnostics(
            """
            version: 1
            node: { name: t }
            realms:
              a:
                listen: ["udp://127.0.0.1:5060", "tls://127.0.0.1:5061"]
              b:
                listen: ["udp://127.0.0.2:5060"]
                tls: { certificate: b.crt, key: b.key }
              c:
                listen: ["tls://127.0.0.3:5061"]
                tls: { certificate: c.crt, require_client_certificate: yes }
            """)
        #expect(
            found.map(\.located) == [
                "missing-tls@5:38", "unused-tls@8:10", "missing-key@11:10", "wrong-type@11:60",
            ])
        #expect(found.first?.message.contains("tls://127.0.0.1:5061 needs realm 'a' to have tls settings") == true)
    }

    @Test func timersAndLimitsHaveDocumentedDefaults() throws {
        let policy = try PolicyFixtures.load(PolicyFixtures.head)
        #expect(policy.timers.t1 == .milliseconds(500))
        #expect(policy.timers.t2 == .seconds(4))
        #expect(policy.timers.t4 == .seconds(5))
        #expect(policy.timers.inviteTimeout == .seconds(180))
        #expect(policy.timers.sessionExpires == .seconds(1800))
        #expect(policy.timers.minSE == .seconds(90))
        #expect(policy.limits == NodeLimits())
        #expect(policy.limits.maxCalls == 10_000 && policy.limits.maxConnections == 10_000)
        #expect(policy.limits.maxConnectionsPerAddress == 64 && policy.limits.tcpIdleTimeout == .seconds(300))
        #expect(policy.peers.isEmpty && policy.routes.routes.isEmpty && policy.ims == nil)
    }

    @Test func durations() throws {
        let policy = try PolicyFixtures.load(
            PolicyFixtures.head + """
                timers: { t1: 250ms, t2: 8s, t4: 1_000ms, invite_timeout: 3m, session_expires: 1h, min_se: 120s }
                limits: { max_calls: 500, max_connections: 1_000, max_connections_per_address: 8, tcp_idle_timeout: 2m }
                """)
        #expect(policy.timers.t1 == .milliseconds(250))
        #expect(policy.timers.t2 == .seconds(8))
        #expect(policy.timers.t4 == .seconds(1))
        #expect(policy.timers.inviteTimeout == .seconds(180))
        #expect(policy.timers.sessionExpires == .seconds(3600))
        #expect(policy.timers.minSE == .seconds(120))
        #expect(policy.limits.maxCalls == 500 && policy.limits.maxConnections == 1000)
        #expect(policy.limits.maxConnectionsPerAddress == 8 && policy.limits.tcpIdleTimeout == .seconds(120))
    }

    @Test func dnsServersTakePort53UnlessTheySayOtherwise() throws {
        let policy = try PolicyFixtures.load(
            PolicyFixtures.head + """
                dns:
                  servers: ["192.0.2.53", "127.0.0.1:5353", "2001:db8::53", "[::1]:5354"]
                  timeout: 500ms
                  attempts: 3
                """)
        #expect(
            policy.dns.servers == [
                DNSSettings.Server(host: "192.0.2.53", port: 53), DNSSettings.Server(host: "127.0.0.1", port: 5353),
                DNSSettings.Server(host: "2001:db8::53", port: 53), DNSSettings.Server(host: "::1", port: 5354),
            ])
        #expect(policy.dns.timeout == .milliseconds(500) && policy.dns.attempts == 3)
        #expect(try PolicyFixtures.load(PolicyFixtures.head).dns == DNSSettings())

        let found = PolicyFixtures.diagnostics(
            PolicyFixtures.head + """
                dns:
                  servers: ["dns.example.net", "127.0.0.1:99999"]
                  attempts: 0
                """)
        #expect(found.map(\.code.rawValue) == ["bad-address", "bad-address", "bad-value"])
    }

    @Test func timerAndLimitErrors() {
        let found = PolicyFixtures.diagnostics(
            PolicyFixtures.head + """
                timers:
                  t1: 1.5s
                  t2: 4
                  t4: 5 s
                  invite_timeout: -3m
                  session_expires: 60s
                  min_se: 2h
                  t3: 1s
                limits:
                  max_calls: 0
                  max_connections: 10
                  max_connections_per_address: 20
                  tcp_idle_timeout: 5d
                """)
        #expect(
            found.map(\.located) == [
                "unknown-key@15:3",
                "bad-duration@9:7", "bad-duration@10:7", "bad-duration@11:7", "bad-duration@12:19",
                "bad-value@13:20", "bad-value@14:11",
                "bad-value@17:14", "bad-duration@20:21", "bad-value@19:32",
            ])
        #expect(found[1].description.hasPrefix("test.yaml:9:7: bad-duration: timers.t1 '1.5s' is not a duration"))
        #expect(found[5].message.contains("between 90s and 24h"))
        #expect(found[9].message.contains("must not exceed max_connections (10)"))
    }

    @Test func timerOrder() {
        let found = PolicyFixtures.diagnostics(
            PolicyFixtures.head + "timers: { t1: 5s, t2: 2s, session_expires: 10m, min_se: 20m }\n")
        #expect(found.map(\.located) == ["bad-value@8:23", "bad-value@8:57"])
    }

    @Test func imsErrors() {
        let found = PolicyFixtures.diagnostics(
            PolicyFixtures.head + """
                ims: { domain: 10.0.0.1, next_hop: "tel:+15550100000" }
                routes:
                  - { match: {}, to: ims }
                """)
        #expect(found.map(\.located) == ["bad-value@8:16", "bad-uri@8:36", "missing-ims@10:22"])
        let transport = PolicyFixtures.diagnostics(
            PolicyFixtures.head + "ims: { domain: ims.test, next_hop: \"sip:core.ims.test;transport=sctp\" }\n")
        #expect(transport.map(\.located) == ["bad-uri@8:36"])
    }

    @Test func shippedPolicies() throws {
        let lab = try PolicyFixtures.shipped("lab.yaml")
        #expect(
            lab.peer(named: "lab-pbx")?.signallingEndpoints == [
                SIPEndpoint(transport: .udp, host: "127.0.0.2", port: 5060)
            ])
        #expect(lab.peer(named: "lab-pbx")?.realm == "access")
        #expect(
            lab.peer(named: "lab-carrier")?.signallingEndpoints == [
                SIPEndpoint(transport: .udp, host: "127.0.0.3", port: 5060)
            ])
        #expect(lab.peer(named: "lab-carrier")?.realm == "interconnect")
        // TLS on 5061 in both realms, with the lab certificate `make lab-certs` generates (not in git).
        let labTLS = RealmTLSSettings(certificate: "../.gatehouse/tls/lab.crt", key: "../.gatehouse/tls/lab.key")
        #expect(lab.realm(named: "access")?.tls == labTLS)
        #expect(lab.realm(named: "interconnect")?.tls == labTLS)
        #expect(
            lab.realms.flatMap(\.listeners).filter { $0.transport == .tls } == [
                SIPEndpoint(transport: .tls, host: "127.0.0.10", port: 5061),
                SIPEndpoint(transport: .tls, host: "127.0.0.20", port: 5061),
            ])

        let enterprise = try PolicyFixtures.shipped("enterprise-trunk.yaml")
        let pbx = try #require(enterprise.peer(named: "acme-pbx"))
        #expect(pbx.transport == .tls && pbx.port == 5061 && pbx.credentials?.realm == "edge.example.net")
        #expect(enterprise.peer(for: "2001:db8:20::99", realm: "enterprise")?.name == "acme-pbx")
        #expect(enterprise.realm(named: "enterprise")?.tls?.requireClientCertificate == true)
        #expect(
            enterprise.realm(named: "enterprise")?.listeners.contains(
                SIPEndpoint(transport: .tls, host: "2001:db8:10::10", port: 5061)) == true)
        let out = enterprise.routes.decide(
            RouteQuery(sourceRealm: "enterprise", sourcePeer: "acme-pbx", method: .invite, user: "+442071234567"))
        #expect(out.target == .peer("carrier-x"))

        let ibcf = try PolicyFixtures.shipped("carrier-interconnect.yaml")
        #expect(ibcf.peer(for: "198.51.100.200", realm: "nni")?.name == "carrier-a-lab")
        #expect(ibcf.peer(for: "198.51.100.201", realm: "nni")?.name == "carrier-a")
        #expect(ibcf.peer(for: "203.0.113.65", realm: "nni")?.name == "carrier-b")
        #expect(ibcf.peer(named: "carrier-a")?.trust == .trusted)
        let premium = ibcf.routes.decide(
            RouteQuery(sourceRealm: "nni", sourcePeer: "carrier-a", method: .invite, user: "+449012345678"))
        #expect(premium.target == .reject(SIPStatus(603, "Decline")))
        let message = ibcf.routes.decide(RouteQuery(sourceRealm: "nni", sourcePeer: "carrier-b", method: .message))
        #expect(message.target == .reject(SIPStatus(405, "Method Not Allowed")))
    }
}
