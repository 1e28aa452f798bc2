import Testing

@testable import SIPMessage

/// Generator-driven properties of parse and serialize, over random valid messages (`MessageGenerator`) from fixed
/// seeds: 6 seeds × 400 messages.
///
/// 1. A generated message parses, validates, and reads back as the model it was generated from.
/// 2. `serialize(parse(x))` parses to the same model (Content-Length aside: it is always true after writing), with
///    equal typed views, and writing is idempotent.
/// 3. An untouched message with CRLF line endings and a true Content-Length is written back byte for byte.
/// 4. Changing one header (`set`, `prepend`, `remove`, `replaceFirstValue`) changes only that header's lines in the
///    output; every other line stays byte for byte.
@Suite struct RoundTripPropertyTests {
    static let seeds: [UInt64] = [1, 2, 3, 0x5EED, 0xC0FFEE, 0x5151_5151_5151]
    static let messagesPerSeed = 400

    /// All four properties, on each message of one seed (one pass, so the generator and parser run once each).
    @Test(arguments: seeds)
    func roundTripProperties(_ seed: UInt64) throws {
        var generator = MessageGenerator(seed: seed)
        var canonicalCount = 0
        for index in 0..<Self.messagesPerSeed {
            let generated = generator.message()
            let label = "seed \(seed) #\(index)"
            guard let message = parsesToTheGeneratedModel(generated, label) else { continue }
            try serializeThenParseGivesTheSameMessage(message, label)
            if generated.isCanonical {
                canonicalCount += 1
                #expect(message.serialize() == generated.bytes, "\(label): an untouched message changed")
            }
            try changingOneHeaderChangesOnlyItsLines(message, &generator, label)
        }
        // The byte-identity property ran on most of the messages.
        #expect(canonicalCount > Self.messagesPerSeed / 2)
    }

    /// Property 1.
    func parsesToTheGeneratedModel(_ generated: MessageGenerator.Message, _ label: String) -> SIPMessage? {
        let message: SIPMessage
        do {
            message = try SIPMessage(parsing: generated.bytes)
            try message.validate()
        } catch {
            let headerSection = generated.bytes.prefix(generated.bytes.count - generated.body.count)
            Issue.record("\(label): \(error)\n\(String(decoding: headerSection, as: UTF8.self))")
            return nil
        }
        #expect(message.startLine == generated.startLine, "\(label)")
        let fields = message.headers.map { ComparableField(name: $0.name, value: Array($0.value)) }
        let expected = generated.fields.map { ComparableField(name: $0.name, value: Array($0.value.utf8)) }
        #expect(fields == expected, "\(label)")
        for (position, field) in generated.fields.enumerated() where field.name.isList {
            let values = (try? HeaderValueSplitter.split(message.headers.value(at: position))) ?? []
            #expect(values.map { String(decoding: $0, as: UTF8.self) } == field.listValues, "\(label)")
        }
        #expect(Array(message.body) == generated.body, "\(label)")
        return message
    }

    /// Property 2.
    func serializeThenParseGivesTheSameMessage(_ message: SIPMessage, _ label: String) throws {
        let written = message.serialize()
        let reparsed = try SIPMessage(parsing: written)
        try expectSameMessage(reparsed, message, label)
        #expect(reparsed.serialize() == written, "\(label): writing is not idempotent")
        #expect(try reparsed.vias == message.vias, "\(label)")
        #expect(try reparsed.from == message.from, "\(label)")
        #expect(try reparsed.to == message.to, "\(label)")
        #expect(try reparsed.cseq == message.cseq, "\(label)")
        #expect(try reparsed.callID == message.callID, "\(label)")
        #expect(try reparsed.contacts == message.contacts, "\(label)")
        #expect(try reparsed.maxForwards == message.maxForwards, "\(label)")
        #expect(try reparsed.requestURI == message.requestURI, "\(label)")
    }

    /// Property 4.
    func changingOneHeaderChangesOnlyItsLines(
        _ parsed: SIPMessage, _ generator: inout MessageGenerator, _ label: String
    ) throws {
        // The serializer's output is canonical: its lines are what the expectation is built from.
        let message = try SIPMessage(parsing: parsed.serialize())
        let change = HeaderChange.random(for: message, using: &generator)
        var changed = message
        try change.apply(to: &changed)
        let expected = try change.expectedOutput(from: message)
        let output = changed.serialize()
        let outputText = String(decoding: output, as: UTF8.self)
        let expectedText = String(decoding: expected, as: UTF8.self)
        #expect(output == expected, "\(label): \(change)\n\(outputText)\n---\n\(expectedText)")
        // And the result still parses, with every other header as it was.
        let reparsed = try SIPMessage(parsing: output)
        #expect(
            reparsed.fieldsWithoutContentLength.filter { $0.name != change.name }
                == message.fieldsWithoutContentLength.filter { $0.name != change.name }, "\(label)")
    }
}

/// One change to a message's headers, and the bytes the serializer must write after it.
struct HeaderChange: CustomStringConvertible {
    enum Operation: CaseIterable {
        case set
        case prepend
        case remove
        case replaceFirstValue
    }

    var operation: Operation
    var name: HeaderName
    var value: [UInt8]

    var description: String { "\(operation) \(name.canonical): \(String(decoding: value, as: UTF8.self))" }

    /// A change to a header the message has (an extension header named in another case) or does not have.
    static func random(for message: SIPMessage, using generator: inout MessageGenerator) -> HeaderChange {
        let present = (0..<message.headers.count).map { message.headers.name(at: $0) }.filter { $0 != .contentLength }
        var name: HeaderName
        switch generator.int(0...5) {
        case 0: name = generator.pick([.subject, .warning, .route, .supported, .allow, "X-New-Header"])
        default: name = generator.pick(present)
        }
        if name.registryIndex == nil, generator.chance(0.5) {
            name = HeaderName(generator.chance(0.5) ? name.canonical.uppercased() : name.canonical.lowercased())
        }
        let value: String
        switch name {
        case .via: value = generator.via()
        case .contact, .from, .to: value = generator.nameAddress(tag: true)
        default: value = generator.text(words: 1...4)
        }
        return HeaderChange(operation: generator.pick(Operation.allCases), name: name, value: Array(value.utf8))
    }

    func apply(to message: inout SIPMessage) throws {
        switch operation {
        case .set: message.headers.set(name, value)
        case .prepend: message.headers.prepend(name, value)
        case .remove: message.headers.remove(name)
        case .replaceFirstValue: try message.headers.replaceFirstValue(name, with: value)
        }
    }

    /// The output expected from a message whose fields are all untouched (as parsed from canonical bytes): its own
    /// lines, with only the lines of `name` changed.
    func expectedOutput(from message: SIPMessage) throws -> [UInt8] {
        var lines: [[UInt8]] = (0..<message.headers.count).map { message.headers.rawLine(at: $0) }
        let positions = message.headers.indices(of: name)
        let written = Array(name.canonical.utf8) + Array(": ".utf8) + value
        switch operation {
        case .set:
            if let first = positions.first {
                lines[first] = written
                for position in positions.dropFirst().reversed() { lines.remove(at: position) }
            } else {
                lines.append(written)
            }
        case .prepend:
            lines.insert(written, at: positions.first ?? 0)
        case .remove:
            for position in positions.reversed() { lines.remove(at: position) }
        case .replaceFirstValue:
            guard let first = positions.first else {
                lines.append(written)
                break
            }
            // The field keeps the name it had: the registered canonical name, or an extension header's spelling.
            let fieldName = message.headers.name(at: first)
            lines[first] = Array(fieldName.canonical.utf8) + Array(": ".utf8) + value
            if name.isList {
                let rest = try HeaderValueSplitter.split(message.headers.value(at: first)).dropFirst()
                if !rest.isEmpty {
                    let joined = rest.map { String(decoding: $0, as: UTF8.self) }.joined(separator: ", ")
                    lines.insert(Array("\(fieldName.canonical): \(joined)".utf8), at: first + 1)
                }
            }
        }
        var output = message.headers.rawStartLine(message) + [ASCII.cr, ASCII.lf]
        for line in lines { output += line + [ASCII.cr, ASCII.lf] }
        output += [ASCII.cr, ASCII.lf]
        output += message.body
        return output
    }
}

extension SIPHeaders {
    /// The bytes of an untouched field as they were parsed, folds included, without its line ending.
    fileprivate func rawLine(at index: Int) -> [UInt8] {
        switch fields[index].storage {
        case .original(let line, _, _, _): Array(source[line])
        case .rewritten(let name, let value): Array(name.canonical.utf8) + Array(": ".utf8) + Array(appended[value])
        }
    }

    fileprivate func rawStartLine(_ message: SIPMessage) -> [UInt8] {
        message.originalStartLine.map { Array(source[$0]) } ?? []
    }
}
