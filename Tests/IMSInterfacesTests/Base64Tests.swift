import IMSInterfaces
import Testing

/// RFC 4648 §10 test vectors, and the spellings the RFC 3310 parameters may take.
@Suite struct Base64Tests {
    static let vectors = [
        ("", ""), ("f", "Zg=="), ("fo", "Zm8="), ("foo", "Zm9v"), ("foob", "Zm9vYg=="), ("fooba", "Zm9vYmE="),
        ("foobar", "Zm9vYmFy"),
    ]

    @Test(arguments: vectors)
    func rfc4648Vectors(plain: String, encoded: String) {
        #expect(Base64.encode(Array(plain.utf8)) == encoded)
        #expect(Base64.decode(encoded) == Array(plain.utf8))
    }

    @Test func paddingMayBeLeftOut() {
        #expect(Base64.decode("Zm9vYg") == Array("foob".utf8))
        #expect(Base64.decode("Zm9vYmE") == Array("fooba".utf8))
    }

    @Test(arguments: ["Zm9v!", "Zg===", "Z", "Zh==", "Zm9=v", "Zm9vY==="])
    func malformedIsRefused(text: String) {
        #expect(Base64.decode(text) == nil)
    }
}
