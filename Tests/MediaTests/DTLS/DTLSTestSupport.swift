import Media
import SDP

/// Two associations wired back to back in memory: what one sends, the other receives, unless a test drops it.
struct DTLSPair {
    let client: DTLSAssociation
    let server: DTLSAssociation

    init(client: DTLSAssociation, server: DTLSAssociation) {
        self.client = client
        self.server = server
    }

    /// A client and a server with fresh certificates, each expecting the other's fingerprint unless told otherwise.
    init(
        configuration: DTLSConfiguration = DTLSConfiguration(),
        serverConfiguration: DTLSConfiguration? = nil,
        clientExpects: [Fingerprint]? = nil,
        serverExpects: [Fingerprint]? = nil
    ) throws {
        let clientContext = try DTLSContext(certificate: try DTLSCertificate.generate(), configuration: configuration)
        let serverContext = try DTLSContext(
            certificate: try DTLSCertificate.generate(), configuration: serverConfiguration ?? configuration)
        client = try DTLSAssociation(
            context: clientContext, role: .client,
            remoteFingerprints: clientExpects ?? [serverContext.certificate.fingerprint])
        server = try DTLSAssociation(
            context: serverContext, role: .server,
            remoteFingerprints: serverExpects ?? [clientContext.certificate.fingerprint])
    }

    /// Which way a flight goes, and its number in this run (0 is the ClientHello flight).
    struct Flight: Hashable {
        enum Direction: Hashable {
            case toServer
            case toClient
        }
        var direction: Direction
        var index: Int
    }

    /// Starts the client and passes flights back and forth until neither side has anything to send, dropping the
    /// flights `drop` names. Returns every datagram sent, in order.
    @discardableResult
    func run(from first: [[UInt8]]? = nil, dropping drop: Set<Flight> = []) -> [[UInt8]] {
        var toServer = first ?? client.start()
        var toClient: [[UInt8]] = []
        var sent: [[UInt8]] = []
        var index = 0
        while !toServer.isEmpty || !toClient.isEmpty, index < 40 {
            sent += toServer + toClient
            let deliverToServer = !drop.contains(Flight(direction: .toServer, index: index))
            let deliverToClient = !drop.contains(Flight(direction: .toClient, index: index))
            let fromServer = deliverToServer ? toServer.flatMap { server.receive($0) } : []
            let fromClient = deliverToClient ? toClient.flatMap { client.receive($0) } : []
            toServer = fromClient
            toClient = fromServer
            index += 1
        }
        return sent
    }
}

extension DTLSAssociation.State {
    var keys: DTLSSRTPKeys? {
        if case .connected(let keys) = self { return keys }
        return nil
    }

    var errorCode: DTLSError.Code? {
        if case .failed(let error) = self { return error.code }
        return nil
    }
}

func hexBytes(_ text: some StringProtocol) -> [UInt8]? {
    let digits = Array(text.utf8)
    guard digits.count.isMultiple(of: 2) else { return nil }
    var bytes: [UInt8] = []
    for index in stride(from: 0, to: digits.count, by: 2) {
        guard let byte = UInt8(String(decoding: digits[index..<index + 2], as: UTF8.self), radix: 16) else {
            return nil
        }
        bytes.append(byte)
    }
    return bytes
}
