import SIPMessage
import Synchronization

@testable import Transport

/// A lookup table standing in for DNS in locator tests: what is not in it is NXDOMAIN, and every question asked is
/// recorded in order (`"SRV _sip._udp.example.test"`).
final class FakeDNS: Sendable {
    private let answers: [String: Result<[DNSRecordData], DNSError>]
    private let log = Mutex<[String]>([])

    init(
        _ records: [(name: String, type: DNSRecordType, data: [DNSRecordData])],
        failing: [(name: String, type: DNSRecordType, code: DNSError.Code)] = []
    ) {
        var answers: [String: Result<[DNSRecordData], DNSError>] = [:]
        for record in records { answers[Self.key(record.name, record.type)] = .success(record.data) }
        for failure in failing {
            answers[Self.key(failure.name, failure.type)] = .failure(DNSError(failure.code, "fake \(failure.code)"))
        }
        self.answers = answers
    }

    /// The questions asked so far.
    var asked: [String] { log.withLock { $0 } }

    var lookup: SIPServerLocator.Lookup {
        { name, type throws(DNSError) in
            let key = Self.key(name.description, type)
            self.log.withLock { $0.append(key) }
            switch self.answers[key] {
            case .success(let data)?: return data
            case .failure(let error)?: throw error
            case nil: throw DNSError(.nxdomain, question: DNSQuestion(name: name, type: type), "not in the table")
            }
        }
    }

    private static func key(_ name: String, _ type: DNSRecordType) -> String {
        "\(type) \((try? DNSName(parsing: name))?.description.lowercased() ?? name)"
    }
}

extension DNSRecordData {
    static func a(_ text: String) -> DNSRecordData { .a(try! IPv4Address(parsing: text)) }
    static func aaaa(_ text: String) -> DNSRecordData { .aaaa(try! IPv6Address(parsing: text)) }

    static func srv(_ priority: UInt16, _ weight: UInt16, _ port: UInt16, _ target: DNSName) -> DNSRecordData {
        .srv(DNSSRVRecord(priority: priority, weight: weight, port: port, target: target))
    }

    static func naptr(
        _ order: UInt16, _ preference: UInt16, _ flags: String, _ services: String, _ replacement: DNSName
    ) -> DNSRecordData {
        .naptr(
            DNSNAPTRRecord(
                order: order, preference: preference, flags: Array(flags.utf8), services: Array(services.utf8),
                regexp: [], replacement: replacement))
    }
}
