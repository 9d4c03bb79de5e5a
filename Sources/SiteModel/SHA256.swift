import CSHA256

/// SHA-256 (FIPS 180-4), for the build manifest and the digests that let a rebuild reuse pages: the C target `CSHA256`, which uses the processor's SHA
/// extensions where it has them. Checked against FIPS vectors, `sha256sum` and its own portable code.
public enum SHA256 {
    /// The digest of `bytes` as 64 lowercase hex digits.
    public static func hex(_ bytes: [UInt8]) -> String {
        bytes.withUnsafeBytes { hex($0) }
    }

    public static func hex(_ bytes: UnsafeRawBufferPointer) -> String {
        hex(bytes, orbis_sha256)
    }

    /// The first 128 bits of the digest of `bytes`: enough to tell whether something changed, at a quarter of
    /// the size of the hex text.
    public static func short(_ bytes: UnsafeRawBufferPointer) -> ShortDigest {
        var raw = (UInt64(0), UInt64(0), UInt64(0), UInt64(0))
        withUnsafeMutableBytes(of: &raw) { orbis_sha256(bytes.baseAddress, bytes.count, $0.baseAddress!.assumingMemoryBound(to: UInt8.self)) }
        return ShortDigest(high: raw.0, low: raw.1)
    }

    public static func short(_ bytes: [UInt8]) -> ShortDigest {
        bytes.withUnsafeBytes { short($0) }
    }

    /// The digest from the portable code only, whatever the processor (tests compare it with `hex`).
    public static func portableHex(_ bytes: UnsafeRawBufferPointer) -> String {
        hex(bytes, orbis_sha256_portable)
    }

    /// Whether `hex` uses the processor's SHA extensions on this machine.
    public static var isAccelerated: Bool { orbis_sha256_accelerated() != 0 }

    private static func hex(_ bytes: UnsafeRawBufferPointer,
                            _ digest: (UnsafeRawPointer?, Int, UnsafeMutablePointer<UInt8>?) -> Void) -> String {
        var raw = [UInt8](repeating: 0, count: 32)
        raw.withUnsafeMutableBufferPointer { digest(bytes.baseAddress, bytes.count, $0.baseAddress) }
        return Hex.string(raw)
    }
}

/// Bytes as lowercase hex, two digits each.
public enum Hex {
    public static func string<Bytes: Sequence<UInt8>>(_ bytes: Bytes) -> String {
        let digits = Array("0123456789abcdef".utf8)
        var out: [UInt8] = []
        out.reserveCapacity(bytes.underestimatedCount * 2)
        for byte in bytes {
            out.append(digits[Int(byte >> 4)])
            out.append(digits[Int(byte & 0xf)])
        }
        return String(decoding: out, as: UTF8.self)
    }
}

/// 128 bits of a SHA-256 (`SHA256.short`).
public struct ShortDigest: Sendable, Hashable {
    public var high: UInt64
    public var low: UInt64

    public init(high: UInt64, low: UInt64) {
        self.high = high
        self.low = low
    }
}
