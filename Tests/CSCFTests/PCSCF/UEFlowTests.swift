import CSCF
import SIPMessage
import Testing

/// The flow text the P-CSCF hands the S-CSCF: `transport:address:port`.
@Suite struct UEFlowTests {
    @Test(arguments: ["udp:1.2.3.4:5060", "tcp:[::1]:5060", "tls:[2001:db8::10]:45061", "udp:127.0.0.4:1"])
    func flowTextRoundTrips(_ text: String) throws {
        let flow = try #require(UEFlow(parsing: text))
        #expect(flow.description == text)
        #expect(UEFlow(parsing: flow.description) == flow)
    }

    @Test func thePartsAreKeptApart() throws {
        let flow = try #require(UEFlow(parsing: "TCP:[2001:DB8:0::10]:5060"))
        #expect(flow.transport == "tcp")
        #expect(flow.address == "2001:db8::10")
        #expect(flow.port == 5060)
        #expect(flow.isIPv6)
        #expect(flow == UEFlow(transport: "tcp", address: "2001:db8:0:0::10", port: 5060))
        #expect(flow.description == "tcp:[2001:db8::10]:5060")
    }

    @Test(arguments: [
        "", "udp", "udp:1.2.3.4", "udp:1.2.3.4:", "udp:1.2.3.4:0", "udp:1.2.3.4:65536", "udp:1.2.3.4:50x",
        "sctp:1.2.3.4:5060", "udp:host.example:5060", "udp:::1:5060", "tcp:[::1]5060", "tcp:[::1:5060",
        "udp:[1.2.3.4]:5060", "udp:1.2.3.4:+506",
    ])
    func notFlows(_ text: String) {
        #expect(UEFlow(parsing: text) == nil)
    }

    @Test func theFlowIsReadFromItsHeader() throws {
        var message = try SIPMessage(
            parsing: "REGISTER sip:ims.gatehouse.test SIP/2.0\r\nP-Gatehouse-Flow:  udp:127.0.0.4:5060 \r\n\r\n")
        #expect(UEFlow(header: message) == UEFlow(transport: "udp", address: "127.0.0.4", port: 5060))
        message.headers.set(UEFlow.headerName, "nonsense")
        #expect(UEFlow(header: message) == nil)
        message.headers.remove(UEFlow.headerName)
        #expect(UEFlow(header: message) == nil)
    }
}
